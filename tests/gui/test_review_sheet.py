"""The biller's review sheet from the window (issue 10): Day → Review sheet… (Ctrl+Shift+R) and the
Visit menu's sheet of one visit, drawn in the background, shown in the preview, saved and printed
through the same path as superbills, and never marking a visit printed."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from core.store.records import EncounterStatus
from gui import background
from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter
from tests.gui.test_printing import FolderOpened, add_patient, finalise_visit, folder_opened  # noqa: F401

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def review_preview(window: MainWindow) -> QWidget:
    dialog = window.findChild(QWidget, "reviewSheetPreview")
    assert dialog is not None and dialog.isVisible()
    return dialog


def a_day_with_a_warning_and_a_draft(qtbot: QtBot, window: MainWindow, fake: FakeDialogs) -> None:
    """Sample: final, with a warning acknowledged at Save as final; Hopper: still a draft."""
    add_patient(window, "Grace", "Hopper")
    fake.answers["ask_text"].append("checked with the doctor")  # why, if the warning asks
    finalise_visit(qtbot, window, fake, "sample", "3 ak genitalia")  # a site-specific warning
    open_first_patient(qtbot, window, "hopper")
    quick_enter(qtbot, window, "3 sk trunk")


def test_ctrl_shift_r_shows_the_days_review_sheet_and_marks_nothing_printed(
    qtbot: QtBot,
    window: MainWindow,
    fake_dialogs: FakeDialogs,
    tmp_path: Path,
    folder_opened: FolderOpened,  # noqa: F811
) -> None:
    a_day_with_a_warning_and_a_draft(qtbot, window, fake_dialogs)
    background.set_pool(None)  # Qt's real thread pool: the sheet is drawn on a worker thread
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)
    assert named(window, "busyIndicator").isVisible()  # the click came back before the drawing
    qtbot.waitUntil(lambda: window.findChild(QWidget, "reviewSheetPreview") is not None, timeout=20_000)
    dialog = review_preview(window)
    assert not named(window, "busyIndicator").isVisible()
    assert window.findChild(QWidget, "superbillPreview") is None
    assert "Review sheet" in dialog.windowTitle()
    assert named(dialog, "previewPageCount").text() == "1 page"

    target = tmp_path / "staff" / "review.pdf"
    target.parent.mkdir()
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    text = PdfReader(target).pages[0].extract_text()
    assert "review sheet" in text.lower() and "For staff only" in text
    assert "Sample" in text and "Acknowledged by" in text
    assert "Hopper" in text and "still in draft" in text
    status = named(window, "statusText").text()
    assert "review.pdf" in status and str(target.parent) in status
    qtbot.mouseClick(named(window, "openFolderButton"), Qt.MouseButton.LeftButton)
    assert folder_opened.folders == [target.parent]

    printed = tmp_path / "printed-review.pdf"
    fake_dialogs.print_to = printed
    qtbot.mouseClick(named(dialog, "previewPrintButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QWidget, "printProgress") is None, timeout=30_000)
    page = PdfReader(printed).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)  # US Letter
    assert str(printed) in named(window, "statusText").text()
    statuses = sorted(str(e.status) for e in window.store.encounters_on(window.day()))
    assert statuses == [EncounterStatus.DRAFT, EncounterStatus.FINAL]  # the sheet marks nothing printed


def test_the_review_sheet_is_in_the_day_menu_and_the_shortcut_list(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    action = window.findChild(QAction, "reviewSheetAction")
    assert action is not None and action.text().replace("&", "") == "Review sheet…"
    day_menu = next(m for m in window.menuBar().actions() if m.text() == "&Day").menu()
    assert action in day_menu.actions()
    assert "Ctrl+Shift+R" in action.toolTip()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    _kind, title, text = fake_dialogs.seen[-1]
    assert title == "Keyboard shortcuts"
    assert any("Ctrl+Shift+R" in line and "Review sheet" in line for line in text.splitlines())


def test_a_day_with_no_visit_gets_a_calm_word(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)
    assert fake_dialogs.kinds() == ["inform"]  # not a problem box, no traceback
    assert "nothing to review" in fake_dialogs.seen[0][2].lower()
    assert window.findChild(QWidget, "reviewSheetPreview") is None
    assert not named(window, "busyIndicator").isVisible()


def test_the_review_sheet_of_the_open_visit(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    a_day_with_a_warning_and_a_draft(qtbot, window, fake_dialogs)
    fake_dialogs.answers["choose"].append(0)  # Sample already has a visit today: open it
    open_first_patient(qtbot, window, "sample")
    action = window.findChild(QAction, "reviewVisitAction")
    assert action is not None
    action.trigger()
    dialog = review_preview(window)
    assert "Sample" in dialog.windowTitle()
    target = tmp_path / "one.pdf"
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    text = PdfReader(target).pages[0].extract_text()
    assert "Sample" in text and "Acknowledged by" in text
    assert "Hopper" not in text
    assert window.current_encounter().status is EncounterStatus.FINAL


def test_no_review_sheet_for_a_visit_with_no_patient_yet(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    quick_enter(qtbot, window, "2 ak face")  # typed before the patient is chosen
    action = window.findChild(QAction, "reviewVisitAction")
    assert action is not None
    action.trigger()
    assert fake_dialogs.kinds() == ["inform"]
    assert "patient" in fake_dialogs.seen[0][2]
    assert window.findChild(QWidget, "reviewSheetPreview") is None
