"""GUI test fixtures: a scripted dialog seam, a synchronous background pool, a shown window, and the
panels on their own (``editor``, ``patient_panel``) on the ``store`` of the demo practice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from core.store import Store
from core.store.records import Patient
from gui import background
from gui.app import build_main_window
from gui.dialogs import Dialogs, set_dialogs
from gui.encounter_editor import EncounterEditor
from gui.main_window import WINDOW_PROGRAM, MainWindow
from gui.patient_panel import PatientPanel
from gui.window_state import window_settings
from tests.signing_in import PASSWORD, USER, open_signed_in

W = TypeVar("W", bound=QWidget)


class FakeDialogs(Dialogs):
    """Records every question and answers from a scripted queue per kind of question.

    ``answers["ask"]`` etc. are used first; when a queue is empty, ``defaults[kind]`` answers (if set);
    otherwise the question was not expected and the test fails.
    """

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str]] = []
        self.answers: dict[str, list[object]] = {
            "ask": [],
            "choose": [],
            "ask_text": [],
            "save_file": [],
            "open_file": [],
        }
        self.defaults: dict[str, object] = {}
        #: the two buttons of each ``ask``, as (yes, no)
        self.buttons: list[tuple[str, str]] = []
        self.printed_pages: list[int] = []
        #: for each yes/no question, whether Enter would answer yes
        self.defaults_seen: list[bool] = []
        #: where the print dialog "prints to file" (set by the fixture); ``None``: the user cancels it
        self.print_to: Path | None = None
        #: the recovery keys a new database showed (kept apart from ``seen``: every new file shows one)
        self.recovery_keys: list[str] = []

    def _answer(self, kind: str, title: str, text: str) -> object:
        self.seen.append((kind, title, text))
        if self.answers[kind]:
            return self.answers[kind].pop(0)
        if kind in self.defaults:
            return self.defaults[kind]
        raise AssertionError(f"unexpected {kind} question: {title}: {text}")

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.seen.append(("inform", title, text))

    def problem(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        self.seen.append(("problem", title, text))

    def ask(
        self, parent: QWidget | None, title: str, text: str, yes: str, no: str, *, default_yes: bool = True
    ) -> bool:
        self.defaults_seen.append(default_yes)
        self.buttons.append((yes, no))
        return bool(self._answer("ask", title, text))

    def choose(
        self, parent: QWidget | None, title: str, text: str, options: list[str], *, default: int = 0
    ) -> int | None:
        answer = self._answer("choose", title, text)
        return None if answer is None else int(answer)  # type: ignore[call-overload]

    def ask_text(self, parent: QWidget | None, title: str, text: str) -> str | None:
        return self._answer("ask_text", title, text)  # type: ignore[return-value]

    def save_file(self, parent: QWidget | None, title: str, suggested: Path, pattern: str) -> Path | None:
        return self._answer("save_file", title, str(suggested))  # type: ignore[return-value]

    def open_file(self, parent: QWidget | None, title: str, folder: Path, pattern: str) -> Path | None:
        return self._answer("open_file", title, str(folder))  # type: ignore[return-value]

    def show_recovery_key(self, parent: QWidget | None, text: str, path: Path | None) -> bool:
        """As a person who wrote the key down."""
        self.recovery_keys.append(text)
        return True

    def setup_printer(self, parent: QWidget | None, printer: QPrinter, pages: int) -> bool:
        """As a user choosing *Print to file (PDF)* in the print dialog, with ``print_to`` as the file."""
        self.seen.append(("setup_printer", "Print", str(pages)))
        if self.print_to is None:
            return False
        self.printed_pages.append(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.print_to))
        return True

    def kinds(self) -> list[str]:
        """The kinds of dialog shown so far, in order."""
        return [kind for kind, _title, _text in self.seen]


class _KeyWrittenDown(Dialogs):
    """The real dialogs, except that a new database's recovery key is taken as written down: a test
    without ``fake_dialogs`` that makes a new file must not wait on that modal window."""

    def show_recovery_key(self, parent: QWidget | None, text: str, path: Path | None) -> bool:
        return True


@pytest.fixture(autouse=True)
def recovery_key_written_down() -> Iterator[None]:
    previous = set_dialogs(_KeyWrittenDown())
    yield
    set_dialogs(previous)


@pytest.fixture
def fake_dialogs(tmp_path: Path) -> Iterator[FakeDialogs]:
    fake = FakeDialogs()
    fake.print_to = tmp_path / "printed.pdf"
    previous = set_dialogs(fake)
    yield fake
    set_dialogs(previous)


@pytest.fixture(autouse=True)
def forgotten_window_settings() -> None:
    """Each test starts with nothing remembered in ``QSettings`` (size, splitters, the last PDF folder)."""
    window_settings().clear()


@pytest.fixture
def sync_pool() -> Iterator[background.SynchronousPool]:
    pool = background.SynchronousPool()
    previous = background.set_pool(pool)
    yield pool
    background.set_pool(previous)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "practice.db"


def sign_in_window(qtbot: QtBot, win: MainWindow, name: str = USER, password: str = PASSWORD) -> None:
    """Sign in on the window's sign-in screen as a person does: name, password, Enter (on a new file the
    same fields set up its first administrator)."""
    user = win.findChild(QLineEdit, "signInUser")
    assert user is not None, "the sign-in screen is not there"
    user.setFocus()
    user.selectAll()
    qtbot.keyClicks(user, name)
    field = win.findChild(QLineEdit, "signInPassword")
    assert field is not None
    field.setFocus()
    qtbot.keyClicks(field, password)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert win.store.account is not None, win.findChild(QLabel, "signInMessage").text()


@pytest.fixture
def window(qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object) -> MainWindow:
    """The whole window on the demo practice, signed in as the tests' administrator."""
    if not db_path.exists():
        open_signed_in(db_path).close()  # the first administrator (set-up is tested on its own)
    win = build_main_window(db_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    sign_in_window(qtbot, win)
    assert win.built and win.store.account is not None, win.gate.message.text()
    return win


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """The demo practice's database, for a test that builds one panel instead of the whole window."""
    with open_signed_in(db_path, program=WINDOW_PROGRAM) as opened:
        yield opened


def shown(qtbot: QtBot, widget: W) -> W:
    """``widget`` shown on its own, as a top-level window with the focus (pytest-qt deletes it)."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def gone(widget: QWidget) -> None:
    """Close ``widget`` and stop its timers before the ``store`` it reads is closed (the window owns its
    store instead): the search as you type must not fire on a closed database in a later test. pytest-qt
    deletes the widget afterwards."""
    for timer in widget.findChildren(QTimer):
        timer.stop()
    widget.close()


@pytest.fixture
def editor(
    store: Store, qtbot: QtBot, fake_dialogs: FakeDialogs, sync_pool: object
) -> Iterator[EncounterEditor]:
    """The encounter editor on its own, showing a visit with no patient yet."""
    widget = shown(qtbot, EncounterEditor(store))
    yield widget
    gone(widget)


@pytest.fixture
def patient_panel(store: Store, qtbot: QtBot, fake_dialogs: FakeDialogs) -> Iterator[PatientPanel]:
    """The patient search and form on their own."""
    widget = shown(qtbot, PatientPanel(store))
    yield widget
    gone(widget)


def start_visit(editor: EncounterEditor, store: Store, query: str = "sample") -> Patient:
    """Start a visit in ``editor`` for the first patient ``query`` finds, on today, as choosing them does."""
    patient = store.search_patients(query)[0]
    editor.start_new(patient, store.today())
    return patient


def named(window: QWidget, name: str) -> QWidget:
    """The child widget with this objectName (fails the test when missing)."""
    widget = window.findChild(QWidget, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def open_first_patient(qtbot: QtBot, window: MainWindow, query: str = "sample") -> None:
    """Search for ``query`` and press Enter on the first match, as the front desk does."""
    search = named(window, "patientSearch")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # focus and select the search
    qtbot.keyClicks(search, query)
    results = named(window, "patientResults")
    hint = named(window, "patientSearchHint")
    # the list shows everyone until the search for what was typed has run
    qtbot.waitUntil(lambda: "found" in hint.text() and results.model().rowCount() > 0)
    qtbot.keyClick(search, Qt.Key.Key_Down)
    qtbot.keyClick(results, Qt.Key.Key_Return)


def quick_enter(qtbot: QtBot, window: QWidget, line: str) -> None:
    """Type one quick-entry line and press Enter."""
    entry = named(window, "lesionQuickEntry")
    qtbot.keyClicks(entry, line)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def table_rows(view: QWidget) -> list[list[str]]:
    """The text of every cell of a table view, row by row."""
    model = view.model()
    return [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def type_in_cell(qtbot: QtBot, table: QTableView, text: str) -> None:
    """F2 on the current cell, replace its text, Enter."""
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editors[0].selectAll()
    qtbot.keyClicks(editors[0], text)
    qtbot.keyClick(editors[0], Qt.Key.Key_Return)
    # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def codes(window: QWidget) -> list[tuple[str, str]]:
    """(CPT, units) of each coded line shown."""
    return [(row[0], row[3]) for row in table_rows(named(window, "codedLinesTable"))]


def fill_form(qtbot: QtBot, window: MainWindow, **fields: str) -> None:
    """Open the new-patient form and type the given fields (widget name → text)."""
    qtbot.mouseClick(named(window, "newPatientButton"), Qt.MouseButton.LeftButton)
    for name, text in fields.items():
        widget = named(window, name)
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findText(text))
        else:
            widget.clear()
            qtbot.keyClicks(widget, text)
