"""The window checked from outside, as an acceptance suite reads docs/gui.md: only the named widgets,
their Qt classes, what a person types and what the tables show by their header text.

Nothing here reaches into the window's attributes or private methods; modal questions are answered
through the one dialog seam (``gui.dialogs``), and background work runs on Qt's real thread pool.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gui.app import build_main_window
from tests.gui.conftest import FakeDialogs, sign_in_window

#: the contract's table: objectName → the widget classes it may be
CONTRACT: dict[str, tuple[type[QWidget], ...]] = {
    "dayDate": (QDateEdit,),
    "dayTable": (QTableView,),
    "patientSearch": (QLineEdit,),
    "patientResults": (QListView, QTableView),
    "newPatientButton": (QPushButton,),
    "patientFirstName": (QLineEdit,),
    "patientLastName": (QLineEdit,),
    "patientDob": (QDateEdit, QLineEdit),
    "patientPayer": (QComboBox,),
    "patientMemberId": (QLineEdit,),
    "savePatientButton": (QPushButton,),
    "encounterProvider": (QComboBox,),
    "encounterPos": (QComboBox,),
    "encounterEmCode": (QComboBox,),
    "lesionQuickEntry": (QLineEdit,),
    "lesionTable": (QTableView,),
    "codedLinesTable": (QTableView,),
    "codingMessages": (QListView, QListWidget),
    "encounterTotal": (QLabel,),
    "saveEncounterButton": (QPushButton,),
    "printSuperbillButton": (QPushButton,),
    "printDayButton": (QPushButton,),
    "signInUser": (QLineEdit,),
    "signInPassword": (QLineEdit,),
    "signInButton": (QPushButton,),
}

#: the contract's quick-entry examples (and the issue's), with the CPT lines they must give
EXAMPLES: list[tuple[str, list[tuple[str, str]]]] = [
    ("12 ak face cryo", [("17000", "1"), ("17003", "11")]),
    ("15 ak face cryo", [("17004", "1")]),
    ("3 sk trunk cryo L82.1", [("17110", "1")]),
    ("1 bcc nose electro C44.311 0.8cm", [("17281", "1")]),
    ("1 vasc face laser I78.1 12cm2", [("17107", "1")]),
    ("20 tag neck electro", [("11200", "1"), ("11201", "1")]),
    ("12 AK Face CRYO", [("17000", "1"), ("17003", "11")]),
]


# -- reaching the window only by the contract's names -----------------------------------------------
def widget(window: QWidget, name: str) -> QWidget:
    found = window.findChild(QWidget, name)
    assert found is not None, f"no widget named {name}"
    return found


def column(view: QTableView, header: str) -> int:
    """The column whose header text starts with ``header`` (case-insensitive)."""
    model = view.model()
    for col in range(model.columnCount()):
        text = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        if text.lower().startswith(header.lower()):
            return col
    raise AssertionError(f"no column {header!r} in {view.objectName()}")


def cells(view: QTableView, header: str) -> list[str]:
    model = view.model()
    col = column(view, header)
    return [str(model.index(row, col).data() or "") for row in range(model.rowCount())]


def coded_lines(window: QWidget) -> list[tuple[str, str]]:
    """(CPT, units) of each row of ``codedLinesTable``, read by header text."""
    table = widget(window, "codedLinesTable")
    assert isinstance(table, QTableView)
    return list(zip(cells(table, "CPT"), cells(table, "Units"), strict=True))


def type_quick_entry(qtbot: QtBot, window: QWidget, line: str) -> QLineEdit:
    entry = widget(window, "lesionQuickEntry")
    assert isinstance(entry, QLineEdit)
    entry.setFocus()
    qtbot.keyClicks(entry, line)
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    return entry


def choose_patient(qtbot: QtBot, window: QWidget, query: str) -> None:
    """Type in patientSearch, wait for the matches, press Enter on the first one in patientResults."""
    search = widget(window, "patientSearch")
    results = widget(window, "patientResults")
    assert isinstance(search, QLineEdit) and isinstance(results, QListView | QTableView)
    search.setFocus()
    qtbot.keyClicks(search, query)
    model = results.model()

    def listed() -> str:  # the first match, once the list shows the results of what was typed
        if model.rowCount() == 0:
            return ""
        return " ".join(str(model.index(0, c).data() or "") for c in range(model.columnCount())).lower()

    qtbot.waitUntil(lambda: query.lower() in listed())
    results.setFocus()
    results.setCurrentIndex(results.model().index(0, 0))
    qtbot.keyClick(results, Qt.Key.Key_Return)


def visible_labels_below(window: QWidget, anchor: QWidget) -> list[str]:
    """Texts of the visible labels whose top is below ``anchor``'s top (the message "under it")."""
    top = anchor.mapToGlobal(anchor.rect().topLeft()).y()
    return [
        label.text()
        for label in window.findChildren(QLabel)
        if label.isVisible() and label.text() and label.mapToGlobal(label.rect().topLeft()).y() > top
    ]


def dollars(text: str) -> str | None:
    match = re.search(r"\$\d{1,3}(,\d{3})*\.\d{2}", text)
    return match.group(0) if match else None


def show(qtbot: QtBot, window: QWidget) -> None:
    """Show and activate ``window`` (window shortcuts such as Ctrl+S need the active window)."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture
def real_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(10_000)  # background work done before the files go


@pytest.fixture
def shown(qtbot: QtBot, tmp_path: Path, fake_dialogs: FakeDialogs, real_pool: None) -> QWidget:
    window = build_main_window(tmp_path / "practice.db")
    qtbot.addWidget(window)
    sign_in_window(qtbot, window)
    show(qtbot, window)
    return window


# -- startup --------------------------------------------------------------------------------------
def test_build_main_window_makes_a_new_file_with_a_demo_provider_and_does_not_show(
    qtbot: QtBot, tmp_path: Path, fake_dialogs: FakeDialogs
) -> None:
    path = tmp_path / "new" / "fresh.db"
    path.parent.mkdir()
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    sign_in_window(qtbot, window)
    assert path.exists()
    assert not window.isVisible()
    assert QApplication.instance() is not None
    provider = widget(window, "encounterProvider")
    assert isinstance(provider, QComboBox) and provider.count() >= 1 and provider.currentText().strip()


def test_every_named_widget_has_its_class_and_an_accessible_name(
    qtbot: QtBot, tmp_path: Path, fake_dialogs: FakeDialogs
) -> None:
    window = build_main_window(tmp_path / "practice.db")
    qtbot.addWidget(window)
    sign_in_window(qtbot, window)
    for name, classes in CONTRACT.items():
        found = widget(window, name)
        assert isinstance(found, classes), f"{name} is a {type(found).__name__}, not one of {classes}"
        assert found.accessibleName().strip(), f"{name} has no accessible name"


def test_defaults_day_place_of_service_visit_code_and_total(shown: QWidget) -> None:
    day = widget(shown, "dayDate")
    assert isinstance(day, QDateEdit) and day.date().toPython() == date.today()
    pos = widget(shown, "encounterPos")
    assert isinstance(pos, QComboBox) and pos.currentText() == "11"
    em = widget(shown, "encounterEmCode")
    assert isinstance(em, QComboBox) and em.currentText() == ""
    total = widget(shown, "encounterTotal")
    assert isinstance(total, QLabel) and dollars(total.text()) == "$0.00"


# -- the quick-entry line -----------------------------------------------------------------------
@pytest.mark.parametrize(("line", "expected"), EXAMPLES, ids=[line for line, _ in EXAMPLES])
def test_quick_entry_before_a_patient_is_chosen(
    qtbot: QtBot, shown: QWidget, line: str, expected: list[tuple[str, str]]
) -> None:
    entry = type_quick_entry(qtbot, shown, line)
    assert entry.text() == ""
    assert widget(shown, "lesionTable").model().rowCount() == 1  # type: ignore[attr-defined]
    assert coded_lines(shown) == expected
    amount = dollars(widget(shown, "encounterTotal").text())  # type: ignore[attr-defined]
    assert amount is not None and amount != "$0.00"
    messages = widget(shown, "codingMessages")
    assert isinstance(messages, QListView)
    said = " ".join(
        str(messages.model().index(row, 0).data() or "") for row in range(messages.model().rowCount())
    )
    assert all(cpt in said for cpt, _units in expected)  # why each code was chosen


@pytest.mark.parametrize(("line", "expected"), EXAMPLES[:6], ids=[line for line, _ in EXAMPLES[:6]])
def test_quick_entry_for_a_patient_found_by_search(
    qtbot: QtBot, shown: QWidget, line: str, expected: list[tuple[str, str]]
) -> None:
    choose_patient(qtbot, shown, "sample")
    type_quick_entry(qtbot, shown, line)
    assert coded_lines(shown) == expected
    day = widget(shown, "dayTable")
    assert isinstance(day, QTableView)
    qtbot.waitUntil(lambda: day.model().rowCount() == 1)  # the draft is on the day sheet


def test_left_out_words_take_the_defaults(qtbot: QtBot, shown: QWidget) -> None:
    type_quick_entry(qtbot, shown, "2 ak")
    table = widget(shown, "lesionTable")
    assert isinstance(table, QTableView)
    assert [c.lower() for c in cells(table, "Site")] == ["trunk"]
    assert [c.lower() for c in cells(table, "Method")] == ["cryosurgery"]
    assert cells(table, "Diagnosis") == ["L57.0"]
    assert cells(table, "Count") == ["2"]
    assert coded_lines(shown) == [("17000", "1"), ("17003", "1")]


@pytest.mark.parametrize(
    ("line", "wrong"),
    [
        ("12 ak fcae cryo", "fcae"),
        ("12 AK FCAE CRYO", "FCAE"),
        ("twelve ak face", "twelve"),
        ("12 Zebra face", "Zebra"),
        ("3 sk trunk cryo L82.1 Banana", "Banana"),
    ],
)
def test_a_line_that_cannot_be_read_stays_with_a_message_under_it(
    qtbot: QtBot, shown: QWidget, line: str, wrong: str
) -> None:
    type_quick_entry(qtbot, shown, "3 sk trunk")
    before = coded_lines(shown)
    entry = type_quick_entry(qtbot, shown, line)
    assert entry.text() == line
    assert widget(shown, "lesionTable").model().rowCount() == 1  # type: ignore[attr-defined]
    assert coded_lines(shown) == before
    messages = [text for text in visible_labels_below(shown, entry) if wrong in text]
    assert messages, f"no message naming {wrong!r} under the line"
    # …and once the line is fixed the message goes and the group is added
    entry.selectAll()
    qtbot.keyClicks(entry, "12 ak face cryo")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert entry.text() == ""
    assert not [text for text in visible_labels_below(shown, entry) if wrong in text]
    assert widget(shown, "lesionTable").model().rowCount() == 2  # type: ignore[attr-defined]


def test_em_code_chosen_then_emptied_again(qtbot: QtBot, shown: QWidget) -> None:
    type_quick_entry(qtbot, shown, "12 ak face cryo")
    em = widget(shown, "encounterEmCode")
    assert isinstance(em, QComboBox)
    index = em.findText("99213")
    assert index > 0
    em.setFocus()
    for _ in range(index):
        qtbot.keyClick(em, Qt.Key.Key_Down)
    assert em.currentText() == "99213"
    assert "99213" in [cpt for cpt, _units in coded_lines(shown)]
    for _ in range(index):
        qtbot.keyClick(em, Qt.Key.Key_Up)
    assert em.currentText() == ""
    assert "99213" not in [cpt for cpt, _units in coded_lines(shown)]


# -- a new patient, saved, reopened, printed ----------------------------------------------------
def add_new_patient(qtbot: QtBot, window: QWidget, first: str, last: str, dob: str) -> None:
    qtbot.mouseClick(widget(window, "newPatientButton"), Qt.MouseButton.LeftButton)
    for name, text in (("patientFirstName", first), ("patientLastName", last), ("patientDob", dob)):
        field = widget(window, name)
        assert isinstance(field, QLineEdit)  # the contract allows QDateEdit; this window uses a line
        field.clear()
        qtbot.keyClicks(field, text)
    payer = widget(window, "patientPayer")
    assert isinstance(payer, QComboBox)
    payer.setCurrentIndex(payer.findText("Medicare"))
    assert payer.currentText() == "Medicare"
    member = widget(window, "patientMemberId")
    qtbot.keyClicks(member, "1EG4TE5MK73")
    qtbot.mouseClick(widget(window, "savePatientButton"), Qt.MouseButton.LeftButton)


def save_final(qtbot: QtBot, window: QWidget, fake: FakeDialogs) -> None:
    fake.defaults["ask"] = True  # "please look at these warnings" → Save as final
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    del fake.defaults["ask"]


def test_new_patient_saved_final_and_reopened_in_a_new_window(
    qtbot: QtBot, tmp_path: Path, fake_dialogs: FakeDialogs, real_pool: None
) -> None:
    path = tmp_path / "practice.db"
    first = build_main_window(path)
    qtbot.addWidget(first)
    sign_in_window(qtbot, first)
    show(qtbot, first)
    add_new_patient(qtbot, first, "Grace", "Hopper", "12/09/1936")
    type_quick_entry(qtbot, first, "12 ak face cryo")
    save_final(qtbot, first, fake_dialogs)
    assert "problem" not in fake_dialogs.kinds()
    total = dollars(widget(first, "encounterTotal").text())  # type: ignore[attr-defined]
    day = widget(first, "dayTable")
    assert isinstance(day, QTableView)
    assert any("Hopper" in text for text in cells(day, "Patient"))
    first.close()

    second = build_main_window(path)
    qtbot.addWidget(second)
    sign_in_window(qtbot, second)
    show(qtbot, second)
    day = widget(second, "dayTable")
    assert isinstance(day, QTableView)
    row = next(i for i, text in enumerate(cells(day, "Patient")) if "Hopper" in text)
    day.setFocus()
    day.setCurrentIndex(day.model().index(row, 0))
    qtbot.keyClick(day, Qt.Key.Key_Return)
    assert coded_lines(second) == [("17000", "1"), ("17003", "11")]
    assert dollars(widget(second, "encounterTotal").text()) == total  # type: ignore[attr-defined]
    # the patient is found again by date of birth, with the insurance typed
    search = widget(second, "patientSearch")
    qtbot.keyClicks(search, "12/09/1936")
    results = widget(second, "patientResults")
    qtbot.waitUntil(lambda: results.model().rowCount() == 1)  # type: ignore[attr-defined]
    model = results.model()  # type: ignore[attr-defined]
    row_text = " ".join(str(model.index(0, c).data() or "") for c in range(model.columnCount()))
    assert "Grace" in row_text and "Hopper" in row_text and "Medicare" in row_text


def test_print_day_writes_one_pdf_page_per_patient(
    qtbot: QtBot, shown: QWidget, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    add_new_patient(qtbot, shown, "Grace", "Hopper", "12/09/1936")
    type_quick_entry(qtbot, shown, "12 ak face cryo")
    save_final(qtbot, shown, fake_dialogs)
    add_new_patient(qtbot, shown, "Alan", "Turing", "06/23/1912")
    type_quick_entry(qtbot, shown, "20 tag neck electro")
    save_final(qtbot, shown, fake_dialogs)
    qtbot.mouseClick(widget(shown, "printDayButton"), Qt.MouseButton.LeftButton)

    def save_button() -> QPushButton | None:
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and top is not shown:
                for button in top.findChildren(QPushButton):
                    if "pdf" in button.text().lower() and button.isVisible():
                        return button
        return None

    qtbot.waitUntil(lambda: save_button() is not None, timeout=20_000)
    target = tmp_path / "day.pdf"
    fake_dialogs.answers["save_file"].append(target)
    button = save_button()
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert len(pages) == 2
    assert sum("Hopper" in text for text in pages) == 1 and sum("Turing" in text for text in pages) == 1


def test_python_main_py_with_db_opens_the_window_on_a_new_file_with_a_demo_provider(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """``python main.py --db PATH`` as a person starts it: the program keeps running (its window is
    open) and the new file holds a practice and a provider. The process is ended by its id."""
    path = tmp_path / "started.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SUPERBILL_DATA_DIR": str(tmp_path / "data")}
    main_py = Path(__file__).resolve().parents[2] / "main.py"
    process = subprocess.Popen(
        [sys.executable, str(main_py), "--db", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:

        def has_a_provider() -> bool:
            """Read-only look (opening a Store here could set the new file up itself)."""
            if not path.exists():
                return False
            try:
                with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
                    providers = db.execute("SELECT count(*) FROM providers").fetchone()[0]
                    practices = db.execute("SELECT count(*) FROM practice WHERE name != ''").fetchone()[0]
            except sqlite3.OperationalError:  # no tables yet
                return False
            return bool(providers and practices)

        qtbot.waitUntil(has_a_provider, timeout=30_000)
        qtbot.wait(500)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
    finally:
        process.terminate()
        process.wait(10)
        if process.stderr:
            process.stderr.close()


def test_count_changed_in_place_to_15_flips_to_17004(qtbot: QtBot, shown: QWidget) -> None:
    type_quick_entry(qtbot, shown, "12 ak face cryo")
    assert coded_lines(shown) == [("17000", "1"), ("17003", "11")]
    table = widget(shown, "lesionTable")
    assert isinstance(table, QTableView)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, column(table, "Count")))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor is not widget(shown, "lesionQuickEntry")
    editor.selectAll()
    qtbot.keyClicks(editor, "15")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: coded_lines(shown) == [("17004", "1")])
    assert cells(table, "Count") == ["15"]


def test_enter_on_a_match_opens_a_visit_on_the_day_shown(qtbot: QtBot, shown: QWidget) -> None:
    day = widget(shown, "dayDate")
    assert isinstance(day, QDateEdit)
    day.setFocus()
    day.setDate(day.date().addDays(-3))
    choose_patient(qtbot, shown, "sample")
    type_quick_entry(qtbot, shown, "3 sk trunk cryo L82.1")
    table = widget(shown, "dayTable")
    assert isinstance(table, QTableView)
    qtbot.waitUntil(lambda: len(cells(table, "Patient")) == 1)
    assert "Sample" in cells(table, "Patient")[0]
    day.setDate(date.today())  # today's sheet does not list the visit of three days ago
    assert cells(table, "Patient") == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("dayTable", ["patient", "provider", "lesion", "code", "charge", "status"]),
        ("lesionTable", ["kind", "count", "site", "method", "diameter", "area", "diagnosis"]),
        ("codedLinesTable", ["cpt", "description", "modifier", "unit", "diagnosis pointer", "charge"]),
    ],
)
def test_tables_have_the_columns_the_contract_names(
    qtbot: QtBot, tmp_path: Path, fake_dialogs: FakeDialogs, name: str, words: list[str]
) -> None:
    window = build_main_window(tmp_path / "practice.db")
    qtbot.addWidget(window)
    sign_in_window(qtbot, window)
    view = widget(window, name)
    assert isinstance(view, QTableView)
    model = view.model()
    headers = " | ".join(
        str(model.headerData(c, Qt.Orientation.Horizontal) or "").lower() for c in range(model.columnCount())
    )
    assert [word for word in words if word not in headers] == []


def test_patient_found_by_chart_number(qtbot: QtBot, shown: QWidget) -> None:
    search = widget(shown, "patientSearch")
    results = widget(shown, "patientResults")
    assert isinstance(search, QLineEdit) and isinstance(results, QTableView | QListView)

    def first_row() -> str:
        model = results.model()
        if model.rowCount() == 0:
            return ""
        return " ".join(str(model.index(0, c).data() or "") for c in range(model.columnCount()))

    search.setFocus()
    qtbot.keyClicks(search, "DEMO-2")
    qtbot.waitUntil(lambda: "Example" in first_row())
    search.clear()
    qtbot.keyClicks(search, "demo-4")
    qtbot.waitUntil(lambda: "Placeholder" in first_row())


@pytest.mark.parametrize("word", ["mal", "bcc", "scc"])
def test_only_count_and_kind_are_required_for_malignant_too(qtbot: QtBot, shown: QWidget, word: str) -> None:
    """No default diagnosis for malignant lesions: the group is added and the missing code is said."""
    entry = type_quick_entry(qtbot, shown, f"1 {word} nose 0.8cm")
    table = widget(shown, "lesionTable")
    assert isinstance(table, QTableView)
    assert entry.text() == ""
    assert cells(table, "Kind") == ["Malignant"] and cells(table, "Diagnosis") == [""]
    assert any("diagnosis" in text.lower() for text in visible_labels_below(shown, entry))
    # the code typed in the row's Diagnosis cell brings the codes
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, column(table, "Diagnosis")))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "C44.311")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: coded_lines(shown) == [("17281", "1")])
