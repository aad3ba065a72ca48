"""Superbill preview (Ctrl+P) and the day's PDF: built in the background, saved and printed via the seam."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from core.store.records import EncounterStatus
from gui import background
from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter


def add_patient(window: MainWindow, first: str, last: str) -> None:
    from datetime import date

    from core.store.records import Patient

    window.store.save_patient(Patient(first_name=first, last_name=last, date_of_birth=date(1970, 1, 2)))


def finalise_visit(qtbot: QtBot, window: MainWindow, fake: FakeDialogs, query: str, line: str) -> None:
    open_first_patient(qtbot, window, query)
    quick_enter(qtbot, window, line)
    fake.defaults["ask"] = True  # the warning question, if any
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    del fake.defaults["ask"]
    assert window.current_encounter().status is EncounterStatus.FINAL


def preview(window: MainWindow) -> QWidget:
    dialog = window.findChild(QWidget, "superbillPreview")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_ctrl_p_previews_then_saves_and_prints(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "12 ak face cryo")
    fake_dialogs.defaults["ask"] = True
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # a draft is finalised first
    dialog = preview(window)
    assert named(dialog, "previewPageCount").text() == "1 page(s)"
    target = tmp_path / "out" / "bill"
    target.parent.mkdir()
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    text = PdfReader(target.with_suffix(".pdf")).pages[0].extract_text()
    assert "17000" in text and "17003" in text and "Sample" in text
    qtbot.mouseClick(named(dialog, "previewPrintButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.printed_pages == [1]
    assert window.current_encounter().status is EncounterStatus.PRINTED


def test_print_day_writes_one_page_per_patient(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    add_patient(window, "Grace", "Hopper")
    add_patient(window, "Alan", "Turing")
    finalise_visit(qtbot, window, fake_dialogs, "sample", "12 ak face cryo")
    finalise_visit(qtbot, window, fake_dialogs, "hopper", "3 sk trunk")
    finalise_visit(qtbot, window, fake_dialogs, "turing", "20 tag neck electro")
    qtbot.mouseClick(named(window, "printDayButton"), Qt.MouseButton.LeftButton)
    dialog = preview(window)
    target = tmp_path / "day.pdf"
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    pages = PdfReader(target).pages
    assert len(pages) == 3
    names = [page.extract_text() for page in pages]
    assert "Sample" in names[0] and "Hopper" in names[1] and "Turing" in names[2]
    assert [row.encounter.status for row in window.day_sheet.model.records()] == [EncounterStatus.PRINTED] * 3


def test_print_day_runs_in_the_background_and_keeps_the_window_free(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    finalise_visit(qtbot, window, fake_dialogs, "sample", "2 ak face")
    background.set_pool(None)  # Qt's real thread pool for this test
    qtbot.mouseClick(named(window, "printDayButton"), Qt.MouseButton.LeftButton)
    assert named(window, "busyIndicator").isVisible()
    qtbot.waitUntil(lambda: window.findChild(QWidget, "superbillPreview") is not None, timeout=20000)
    assert not named(window, "busyIndicator").isVisible()


def test_print_day_with_nothing_final_says_why(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    qtbot.keyClick(
        window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert fake_dialogs.kinds() == ["inform"]  # a calm word, not an error
    assert "draft" in fake_dialogs.seen[0][2].lower()
    # the button is never a silent grey: clicking it says the same
    button = named(window, "printDayButton")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["inform", "inform"]
    assert window.findChild(QWidget, "superbillPreview") is None
