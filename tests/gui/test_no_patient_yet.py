"""A visit typed before the patient is chosen: coded live, kept in memory, and saved for the patient
chosen next — driven like the front desk does, right after the window opens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from core.coding.model import LesionKind
from core.store.records import EncounterRecord, EncounterStatus
from gui.main_window import MainWindow
from tests.gui.conftest import (
    FakeDialogs,
    codes,
    fill_form,
    named,
    open_first_patient,
    quick_enter,
    table_rows,
    type_in_cell,
)
from tests.gui.test_main_window import CONTRACT
from tests.signing_in import open_signed_in


def quit_from_the_menu(window: MainWindow) -> None:
    """File → Quit (its standard keys depend on the platform, so the menu command is used)."""
    action = window.findChild(QAction, "quitAction")
    assert action is not None and action.isEnabled()
    action.trigger()


def choose(combo: QWidget, value: object) -> None:
    """Pick the item carrying ``value``, as choosing it with the mouse or keys does."""
    index = combo.findData(value)
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_every_contract_widget_is_usable_on_a_fresh_start(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(named(window, "newPatientButton"), Qt.MouseButton.LeftButton)  # the form's fields too
    assert [name for name in CONTRACT if not named(window, name).isEnabled()] == []


def test_lesions_typed_first_go_to_the_patient_chosen_next(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    quick_enter(qtbot, window, "12 ak face cryo")
    assert codes(window) == [("17000", "1"), ("17003", "11")]
    assert named(window, "lesionQuickEntry").text() == ""
    header = named(window, "encounterPatient").text()
    assert header.startswith("No patient chosen yet") and "Ctrl+F" in header and "Ctrl+N" in header
    assert "not saved until the patient is chosen" in named(window, "encounterStatus").text()
    assert named(window, "encounterTotal").text().startswith("$")
    assert window.current_encounter() is None
    assert window.store.drafts() == []  # a visit is stored once it has a patient

    table = named(window, "lesionTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    type_in_cell(qtbot, table, "15")  # three more
    assert codes(window) == [("17004", "1")]

    open_first_patient(qtbot, window, "sample")
    assert "Sample, Avery" in named(window, "encounterPatient").text()
    assert table_rows(named(window, "lesionTable")) == [
        ["Premalignant", "15", "face", "cryosurgery", "", "L57.0"]
    ]
    assert codes(window) == [("17004", "1")]
    assert "draft, saved" in named(window, "encounterStatus").text()
    assert [row[5] for row in table_rows(named(window, "dayTable"))] == ["Draft"]
    with open_signed_in(db_path) as other:
        (draft,) = other.drafts()
        assert other.get_patient(draft.patient_id).last_name == "Sample"
        assert draft.date_of_service == window.day()
        assert [(g.kind, g.count, g.site, g.method, g.diagnosis) for g in draft.lesions] == [
            (LesionKind.PREMALIGNANT, 15, "face", "cryosurgery", "L57.0")
        ]


def test_place_and_visit_code_chosen_first_go_with_a_new_patient(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    choose(named(window, "encounterPos"), "22")
    choose(named(window, "encounterEmCode"), "99213")
    quick_enter(qtbot, window, "2 ak face")
    assert [row[0] for row in table_rows(named(window, "codedLinesTable"))] == ["99213", "17000", "17003"]
    fill_form(
        qtbot,
        window,
        patientFirstName="Ada",
        patientLastName="Lovelace",
        patientDob="12/10/1960",
        patientPayer="Medicare",
        patientMemberId="1EG4TE5MK73",
        patientZip="10001",
    )
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "Lovelace, Ada" in named(window, "encounterPatient").text()
    with open_signed_in(db_path) as other:
        (draft,) = other.drafts()
        assert other.get_patient(draft.patient_id).last_name == "Lovelace"
        assert (draft.place_of_service, draft.em_code) == ("22", "99213")
        assert [g.count for g in draft.lesions] == [2]


def test_save_and_print_without_a_patient_say_to_find_one_and_keep_the_lesions(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    quick_enter(qtbot, window, "2 ak face")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(named(window, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(named(window, "printSuperbillButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["inform"] * 4  # calm words, not errors
    title, text = fake_dialogs.seen[0][1:]
    assert "patient" in title.lower()
    assert "Ctrl+F" in text and "Ctrl+N" in text and "kept" in text
    assert table_rows(named(window, "lesionTable"))[0][1] == "2"
    assert codes(window) == [("17000", "1"), ("17003", "1")]
    assert window.findChild(QWidget, "superbillPreview") is None


def test_quitting_with_typed_lesions_and_no_patient_asks_first(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    quick_enter(qtbot, window, "2 ak face")
    fake_dialogs.answers["ask"].append(False)  # go back
    quit_from_the_menu(window)
    assert window.isVisible()
    assert "not saved" in fake_dialogs.seen[-1][2]
    assert table_rows(named(window, "lesionTable"))[0][1] == "2"
    fake_dialogs.answers["ask"].append(True)
    quit_from_the_menu(window)
    assert not window.isVisible()


def test_nothing_typed_quits_without_a_question(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    quit_from_the_menu(window)
    assert not window.isVisible()
    assert fake_dialogs.kinds() == []


def test_a_close_from_code_never_waits_on_a_question(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    quick_enter(qtbot, window, "2 ak face")
    window.close()  # what a test harness or the end of the event loop does
    assert not window.isVisible()
    assert fake_dialogs.kinds() == []


def test_opening_a_visit_of_the_day_asks_before_dropping_typed_lesions(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    sample = window.store.search_patients("sample")[0]
    provider = window.store.default_provider()
    window.store.save_draft(EncounterRecord(sample.id, provider.id, window.day()))
    window.day_sheet.reload()
    quick_enter(qtbot, window, "2 ak face")
    day_table = named(window, "dayTable")
    day_table.setFocus()
    day_table.setCurrentIndex(day_table.model().index(0, 0))
    fake_dialogs.answers["ask"].append(False)
    qtbot.keyClick(day_table, Qt.Key.Key_Return)
    assert named(window, "encounterPatient").text().startswith("No patient chosen yet")
    assert table_rows(named(window, "lesionTable"))[0][1] == "2"

    # choosing that same patient: the typed lesions become a second visit of the day
    fake_dialogs.answers["ask"].append(True)
    open_first_patient(qtbot, window, "sample")
    assert fake_dialogs.seen[-1][1] == "Already seen on this day"
    assert window.current_encounter().lesions[0].count == 2
    drafts = window.store.drafts()
    assert len(drafts) == 2 and sorted(len(d.lesions) for d in drafts) == [0, 1]


def test_a_pending_visit_moves_with_the_day_shown(qtbot: QtBot, window: MainWindow) -> None:
    today = window.day()
    quick_enter(qtbot, window, "3 sk trunk")
    qtbot.mouseClick(named(window, "previousDayButton"), Qt.MouseButton.LeftButton)
    yesterday = today - timedelta(days=1)
    assert f"{yesterday:%m/%d/%Y}" in named(window, "encounterStatus").text()
    open_first_patient(qtbot, window, "sample")
    record = window.current_encounter()
    assert record.date_of_service == yesterday and record.status is EncounterStatus.DRAFT
    assert record.id is not None


def test_ctrl_shift_n_starts_the_next_visit_before_its_patient(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    open_first_patient(qtbot, window, "sample")
    quick_enter(qtbot, window, "12 ak face cryo")
    qtbot.keyClick(
        window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert named(window, "encounterPatient").text().startswith("No patient chosen yet")
    assert table_rows(named(window, "lesionTable")) == []
    assert named(window, "lesionQuickEntry").hasFocus()
    quick_enter(qtbot, window, "3 sk trunk")
    assert codes(window) == [("17110", "1")]
    fill_form(qtbot, window, patientFirstName="Grace", patientLastName="Hopper", patientDob="12/09/1946")
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    with open_signed_in(db_path) as other:
        drafts = {other.get_patient(d.patient_id).last_name: d for d in other.drafts()}
        assert sorted(drafts) == ["Hopper", "Sample"]
        assert [g.count for g in drafts["Sample"].lesions] == [12]
        assert [g.count for g in drafts["Hopper"].lesions] == [3]


def test_restoring_a_backup_asks_before_dropping_typed_lesions(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    target = tmp_path / "copy.db"
    fake_dialogs.answers["save_file"].append(target)
    window.findChild(QAction, "backupAction").trigger()
    quick_enter(qtbot, window, "2 ak face")
    fake_dialogs.answers["open_file"].append(target)
    fake_dialogs.answers["ask"].append(False)  # keep the typed lesions
    window.findChild(QAction, "restoreAction").trigger()
    assert fake_dialogs.seen[-1][1] == "Lesions without a patient"
    assert table_rows(named(window, "lesionTable"))[0][1] == "2"
