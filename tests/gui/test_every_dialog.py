"""Every dialog of the program: Esc and the window's close button cancel (the safe choice, nothing
changes), and the button Enter presses is never the destructive one.

The dialogs are found by construction: ``found_dialogs()`` walks every module of ``gui`` for a class
derived from a Qt dialog and every place that builds one (``QMessageBox(...)``, ``QFileDialog.get…``,
``QProgressDialog(...)``…). Each must be listed in ``COVERED`` with the flows below that open it, so a
new dialog without a test fails ``test_every_dialog_is_covered``. The flows run with the **real**
dialogs (not the scripted seam): an answerer presses Esc — or closes the dialog as the title bar's
close button does — on every modal window as it appears, and records the button Enter would press.
The question dialogs all come from ``gui.dialogs``; ``test_no_call_makes_a_destructive_answer_the_default``
reads every call of ``ask``/``choose`` in ``gui`` so a new question with a destructive default fails.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from core.store.records import EncounterStatus
from gui import background
from gui.dialogs import Dialogs, set_dialogs
from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter
from tests.signing_in import PASSWORD, USER

GUI = Path(__file__).resolve().parents[2] / "gui"
QT_DIALOGS = {
    "QDialog",
    "QMessageBox",
    "QProgressDialog",
    "QInputDialog",
    "QFileDialog",
    "QPrintDialog",
    "QPrintPreviewDialog",
    "QPageSetupDialog",
    "QColorDialog",
    "QFontDialog",
    "QWizard",
    "QErrorMessage",
}
#: words of an answer that drops, deletes or replaces something: never the one Enter presses
DESTRUCTIVE = re.compile(r"\b(drop|delete|remove|restore|replace|void|discard|overwrite|reopen)\b", re.I)


def found_dialogs() -> set[str]:
    """``gui.module.Class`` for a dialog class, ``gui.module.Class.method`` where a dialog is built."""
    found: set[str] = set()
    for path in sorted(GUI.glob("*.py")):
        module = f"gui.{path.stem}"

        def visit(node: ast.AST, scope: list[str], module: str = module) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    if any(isinstance(b, ast.Name) and b.id in QT_DIALOGS for b in child.bases):
                        found.add(f"{module}.{child.name}")
                    visit(child, [*scope, child.name])
                elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    visit(child, [*scope, child.name] if len(scope) < 2 else scope)
                else:
                    if isinstance(child, ast.Call):
                        func = child.func
                        if isinstance(func, ast.Attribute):
                            func = func.value  # QFileDialog.getSaveFileName
                        if isinstance(func, ast.Name) and func.id in QT_DIALOGS:
                            found.add(".".join([module, *scope]))
                    visit(child, scope)

        visit(ast.parse(path.read_text(encoding="utf-8")), [])
    return found


# -- the answerer: Esc (or the close button) on every modal window --------------------------------------
@dataclass
class Seen:
    title: str
    default: str  # the text of the button Enter presses ("" when none)
    kind: str


@dataclass
class Answerer:
    """Presses Esc on (or closes) each modal window as it appears, recording what it was."""

    how: str
    seen: list[Seen] = field(default_factory=list)
    handled: set[int] = field(default_factory=set)

    def tick(self) -> None:
        box = QApplication.activeModalWidget()
        if box is None or id(box) in self.handled or not box.isVisible():
            return
        self.handled.add(id(box))
        self.seen.append(Seen(box.windowTitle(), default_text(box), type(box).__name__))
        answer(box, self.how)


def default_text(box: QWidget) -> str:
    if isinstance(box, QMessageBox) and box.defaultButton() is not None:
        return box.defaultButton().text()
    defaults = [b for b in box.findChildren(QPushButton) if b.isDefault() and b.isVisible()]
    return defaults[0].text() if defaults else ""


def answer(box: QWidget, how: str) -> None:
    """Esc, as a user presses it, or the window's close button (a close event)."""
    if how == "esc":
        focused = box.focusWidget() or box
        QTest.keyClick(focused, Qt.Key.Key_Escape)
    else:
        box.close()


@pytest.fixture(params=["esc", "close"])
def answerer(request: pytest.FixtureRequest, fake_dialogs: FakeDialogs) -> Iterator[Answerer]:
    """The real dialogs, each answered with Esc or closed (every test runs both ways)."""
    real = Answerer(str(request.param))
    previous = set_dialogs(Dialogs())
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(real.tick)
    timer.start()
    yield real
    timer.stop()
    set_dialogs(previous)
    for seen in real.seen:
        assert not DESTRUCTIVE.search(seen.default.replace("&", "")), (
            f"Enter presses “{seen.default}” in “{seen.title}”"
        )


def trigger(window: MainWindow, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def final_visit(qtbot: QtBot, window: MainWindow) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.current_encounter().status is EncounterStatus.FINAL


# -- the flows: each opens dialogs and checks that nothing changed after Esc / close --------------------
def remove_demo(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    trigger(window, "removeDemoAction")
    assert window.store.has_demo_data()
    return ["Remove the demo patients?"]


def quit_with_lesions(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    quick_enter(qtbot, window, "2 ak face")
    trigger(window, "quitAction")
    assert window.isVisible() and window.editor.pending is not None
    return ["Lesions without a patient"]


def final_without_patient(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    quick_enter(qtbot, window, "2 ak face")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.pending is not None and window.current_encounter() is None
    return [answerer.seen[0].title] if answerer.seen else ["a problem message"]


def already_seen(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")  # saved as a draft
    first = window.current_encounter().id
    open_first_patient(qtbot, window)
    assert window.current_encounter().id == first
    assert len(window.store.encounters_on(window.day())) == 1
    return ["Already seen on this day"]


def reopen_and_void(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    final_visit(qtbot, window)
    trigger(window, "reopenAction")
    assert window.current_encounter().status is EncounterStatus.FINAL
    qtbot.mouseClick(named(window, "voidEncounterButton"), Qt.MouseButton.LeftButton)
    assert window.current_encounter().status is EncounterStatus.FINAL
    return ["Reopen this encounter?", "Void this encounter?"]


def backup_and_restore(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    folder = window.store.path.parent
    before = sorted(folder.iterdir())
    trigger(window, "backupAction")
    trigger(window, "restoreAction")
    assert sorted(folder.iterdir()) == before and window.store.has_demo_data()
    return ["Back up the database to…", "Restore from which backup?"]


def about_and_shortcuts(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    trigger(window, "aboutAction")
    trigger(window, "shortcutsAction")
    return ["About Superbill Desk", "Keyboard shortcuts"]


def preview_and_print(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    final_visit(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = named(window, "superbillPreview")
    qtbot.mouseClick(named(preview, "previewPrintButton"), Qt.MouseButton.LeftButton)  # the print dialog
    qtbot.mouseClick(named(preview, "previewSaveButton"), Qt.MouseButton.LeftButton)  # the file dialog
    assert window.findChild(QWidget, "printProgress") is None
    assert window.current_encounter().status is EncounterStatus.FINAL  # nothing printed or saved
    answer(preview, answerer.how)  # the preview itself (not modal)
    qtbot.waitUntil(lambda: not preview.isVisible())
    return ["Print", "Save the superbill as PDF"]


def settings(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    stored = window.store.practice().name
    trigger(window, "settingsAction")
    dialog = named(window, "settingsDialog")
    name = named(dialog, "practice_name")
    assert isinstance(name, QLineEdit)
    name.setFocus()
    qtbot.keyClicks(name, " typed, not saved")
    assert not DESTRUCTIVE.search(default_text(dialog).replace("&", ""))
    answer(dialog, answerer.how)
    qtbot.waitUntil(lambda: not window.findChildren(QDialog, "settingsDialog"))  # closed, not hidden
    assert window.store.practice().name == stored
    trigger(window, "settingsAction")  # opened again: it shows what is stored, not the typing dropped
    again = next(d for d in window.findChildren(QDialog, "settingsDialog") if d.isVisible())
    assert named(again, "practice_name").text() == stored  # type: ignore[attr-defined]
    return []


def people_and_password(qtbot: QtBot, window: MainWindow, answerer: Answerer) -> list[str]:
    """File → People… and Change my password…: typing, then Esc or close, adds and changes nothing."""
    before = window.store.accounts()
    trigger(window, "peopleAction")
    people = named(window, "peopleDialog")
    field = named(people, "personName")
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "typed, not added")
    qtbot.waitUntil(lambda: not shiboken6.isValid(people) or not people.isVisible())
    assert window.store.accounts() == before
    trigger(window, "changePasswordAction")
    change = named(window, "changePasswordDialog")
    qtbot.keyClicks(named(change, "newPassword"), "typed, not saved")
    qtbot.waitUntil(lambda: not shiboken6.isValid(change) or not change.isVisible())
    window.store.sign_out()
    window.store.sign_in(USER, PASSWORD)  # the old password still works
    return ["People who sign in", "Change my password"]


class HeldPool:
    """Background work waits until ``release`` (so the print progress can be answered meanwhile)."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], None]] = []

    def start(self, runnable: object) -> None:
        self.waiting.append(runnable.run)  # type: ignore[attr-defined]

    def release(self) -> None:
        while self.waiting:
            self.waiting.pop(0)()


def print_progress(qtbot: QtBot, window: MainWindow, answerer: Answerer, tmp_path: Path) -> list[str]:
    final_visit(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = named(window, "superbillPreview")
    fake = FakeDialogs()  # the print dialog answered "print to file", the rest stays real
    fake.print_to = tmp_path / "printed.pdf"
    real = set_dialogs(fake)
    held = HeldPool()
    previous_pool = background.set_pool(held)
    try:
        qtbot.mouseClick(named(preview, "previewPrintButton"), Qt.MouseButton.LeftButton)
        progress = named(window, "printProgress")
        answer(progress, answerer.how)  # Esc or close: stop printing
        held.release()
    finally:
        background.set_pool(previous_pool)
        set_dialogs(real)
    qtbot.waitUntil(lambda: "cancelled" in named(window, "statusText").text())
    assert not fake.print_to.exists()
    assert window.current_encounter().status is EncounterStatus.FINAL  # not marked printed
    return []


FLOWS: dict[str, Callable[..., list[str]]] = {
    "remove demo": remove_demo,
    "quit with lesions": quit_with_lesions,
    "final without patient": final_without_patient,
    "already seen": already_seen,
    "reopen and void": reopen_and_void,
    "backup and restore": backup_and_restore,
    "about and shortcuts": about_and_shortcuts,
    "preview and print": preview_and_print,
    "settings": settings,
    "people and password": people_and_password,
}

#: every dialog found in ``gui`` → the flows that open it (checked by ``test_every_dialog_is_covered``)
COVERED: dict[str, tuple[str, ...]] = {
    "gui.dialogs.Dialogs.choose": ("remove demo", "quit with lesions", "already seen", "reopen and void"),
    "gui.dialogs.Dialogs.inform": ("about and shortcuts",),
    "gui.dialogs.Dialogs.problem": ("final without patient",),
    "gui.dialogs.Dialogs.ask_text": ("reopen and void",),
    "gui.dialogs.Dialogs.save_file": ("backup and restore", "preview and print"),
    "gui.dialogs.Dialogs.open_file": ("backup and restore",),
    "gui.dialogs.Dialogs.setup_printer": ("preview and print",),
    "gui.preview.PreviewDialog": ("preview and print",),
    "gui.settings_dialog.SettingsDialog": ("settings",),
    "gui.printing.Printing._print": ("print progress",),
    "gui.people.PeopleDialog": ("people and password",),
    "gui.people.ChangePasswordDialog": ("people and password",),
}


def test_every_dialog_is_covered() -> None:
    found = found_dialogs()
    assert found, "the walk found no dialog at all"
    assert found == set(COVERED), (
        f"dialogs without a flow here: {sorted(found - set(COVERED))}; "
        f"listed but gone: {sorted(set(COVERED) - found)}"
    )
    flows = {*FLOWS, "print progress"}
    assert {flow for flows_of in COVERED.values() for flow in flows_of} <= flows


@pytest.mark.parametrize("flow", list(FLOWS))
def test_esc_and_the_close_button_cancel_every_dialog(
    qtbot: QtBot, window: MainWindow, answerer: Answerer, flow: str
) -> None:
    expected = FLOWS[flow](qtbot, window, answerer)
    titles = [seen.title for seen in answerer.seen]
    for title in expected:
        assert title in titles or title == "a problem message", (title, titles)
    if flow != "settings":
        assert answerer.seen, "no dialog was shown"


def test_esc_and_the_close_button_stop_printing(
    qtbot: QtBot, window: MainWindow, answerer: Answerer, tmp_path: Path
) -> None:
    print_progress(qtbot, window, answerer, tmp_path)


# -- the question dialogs' defaults, read from every call in gui --------------------------------------
def _words(node: ast.expr) -> str:
    """The literal words of a string argument (an f-string's fixed parts)."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    if isinstance(node, ast.JoinedStr):
        return " ".join(str(p.value) for p in node.values if isinstance(p, ast.Constant))
    raise AssertionError(f"line {node.lineno}: give the answers as literal text")


def question_calls() -> Iterator[tuple[str, ast.Call]]:
    for path in sorted(GUI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"ask", "choose"}
                and isinstance(node.func.value, ast.Call)
                and isinstance(node.func.value.func, ast.Name)
                and node.func.value.func.id == "dialogs"
            ):
                yield f"{path.name}:{node.lineno}", node


def test_no_call_makes_a_destructive_answer_the_default() -> None:
    """``ask(yes=…)`` whose yes drops, deletes or replaces something passes ``default_yes=False``;
    ``choose``'s default option is never such an answer."""
    checked = 0
    wrong = []
    for where, call in question_calls():
        keywords = {k.arg: k.value for k in call.keywords}
        if call.func.attr == "ask":  # type: ignore[attr-defined]
            yes = _words(call.args[3])
            default_yes = keywords.get("default_yes")
            enter_says_yes = not (isinstance(default_yes, ast.Constant) and default_yes.value is False)
            if enter_says_yes and DESTRUCTIVE.search(yes):
                wrong.append(f"{where}: Enter answers “{yes}”")
        else:
            options = call.args[3]
            assert isinstance(options, ast.List), f"{where}: give the options as a literal list"
            default = keywords.get("default", ast.Constant(0))
            assert isinstance(default, ast.Constant), where
            chosen = _words(options.elts[default.value])
            if DESTRUCTIVE.search(chosen):
                wrong.append(f"{where}: Enter answers “{chosen}”")
        checked += 1
    assert checked >= 10, "the walk missed the questions"
    assert not wrong, wrong
