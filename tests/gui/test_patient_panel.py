"""Finding and adding patients like the front desk does: typing, Enter, and the form's field messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, fill_form, named, table_rows


def test_search_updates_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    search = named(window, "patientSearch")
    qtbot.keyClicks(search, "samp")
    results = named(window, "patientResults")
    qtbot.waitUntil(lambda: results.model().rowCount() == 1)
    assert table_rows(results)[0][0] == "Sample, Avery"
    search.clear()
    qtbot.keyClicks(search, "03/14/1948")
    qtbot.waitUntil(lambda: results.model().rowCount() == 1)
    search.clear()
    qtbot.keyClicks(search, "zzzz")
    qtbot.waitUntil(lambda: results.model().rowCount() == 0)
    assert "Nobody found" in named(window, "patientSearchHint").text()


def test_enter_on_the_only_match_starts_a_visit(qtbot: QtBot, window: MainWindow) -> None:
    search = named(window, "patientSearch")
    qtbot.keyClicks(search, "sample")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert "Sample, Avery" in named(window, "encounterPatient").text()
    assert named(window, "lesionQuickEntry").isEnabled()


def test_a_new_patient_round_trips(qtbot: QtBot, window: MainWindow) -> None:
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
    assert not named(window, "patientForm").isVisible()
    (saved,) = window.store.search_patients("lovelace")
    assert (saved.first_name, saved.date_of_birth.isoformat(), saved.member_id, saved.zip) == (
        "Ada",
        "1960-12-10",
        "1EG4TE5MK73",
        "10001",
    )
    # and search finds her again
    search = named(window, "patientSearch")
    search.clear()
    qtbot.keyClicks(search, "lov")
    qtbot.waitUntil(lambda: named(window, "patientResults").model().rowCount() == 1)


def test_problems_show_next_to_the_field_and_nothing_typed_is_lost(qtbot: QtBot, window: MainWindow) -> None:
    fill_form(qtbot, window, patientFirstName="Ada", patientLastName="Lovelace", patientDob="12/10/2999")
    qtbot.keyClick(named(window, "patientDob"), Qt.Key.Key_Return)
    assert "future" in window.patients.field_error("patientDob")
    assert named(window, "patientFirstName").text() == "Ada"

    named(window, "patientDob").clear()
    qtbot.keyClicks(named(window, "patientDob"), "12/10/1960")
    assert window.patients.field_error("patientDob") == ""  # typing clears the old message
    named(window, "patientPayer").setCurrentIndex(named(window, "patientPayer").findText("Medicare"))
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "Member ID" in window.patients.field_error("patientMemberId")

    qtbot.keyClicks(named(window, "patientMemberId"), "1EG4TE5MK73")
    qtbot.keyClicks(named(window, "patientZip"), "1234")
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "ZIP" in window.patients.field_error("patientZip")
    assert window.store.search_patients("lovelace") == []

    named(window, "patientZip").clear()
    qtbot.keyClicks(named(window, "patientZip"), "12345")
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert len(window.store.search_patients("lovelace")) == 1


def test_unreadable_date_of_birth(qtbot: QtBot, window: MainWindow) -> None:
    fill_form(qtbot, window, patientFirstName="Ada", patientLastName="Lovelace", patientDob="31/31/60")
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "MM/DD/YYYY" in window.patients.field_error("patientDob")


def test_a_likely_duplicate_is_asked_about(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    # "Avry Sample" born 03/14/1948 looks like the demo patient Avery Sample
    fill_form(qtbot, window, patientFirstName="Avry", patientLastName="Sample", patientDob="03/14/1948")
    fake_dialogs.answers["choose"].append(0)  # use the patient on file
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["choose"]
    assert "same person" in fake_dialogs.seen[0][1]
    assert "Sample, Avery" in named(window, "encounterPatient").text()
    assert len(window.store.search_patients("sample")) == 1


def test_a_duplicate_can_still_be_saved_as_a_new_patient(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    fill_form(qtbot, window, patientFirstName="Avry", patientLastName="Sample", patientDob="03/14/1948")
    fake_dialogs.answers["choose"].append(1)
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert len(window.store.search_patients("sample")) == 2
    assert "Sample, Avry" in named(window, "encounterPatient").text()


def test_going_back_from_the_duplicate_question_keeps_the_form(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    fill_form(qtbot, window, patientFirstName="Avry", patientLastName="Sample", patientDob="03/14/1948")
    fake_dialogs.answers["choose"].append(2)
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert named(window, "patientForm").isVisible()
    assert named(window, "patientFirstName").text() == "Avry"


def test_correcting_a_patient_recodes_the_open_visit(qtbot: QtBot, window: MainWindow) -> None:
    search = named(window, "patientSearch")
    qtbot.keyClicks(search, "sample")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    named(window, "lesionQuickEntry").setFocus()
    qtbot.keyClicks(named(window, "lesionQuickEntry"), "2 ak face")
    qtbot.keyClick(named(window, "lesionQuickEntry"), Qt.Key.Key_Return)
    qtbot.keyClick(
        window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert named(window, "patientForm").isVisible()
    assert named(window, "patientFirstName").text() == "Avery"
    payer = named(window, "patientPayer")
    payer.setCurrentIndex(payer.findData(None))  # now self-pay
    named(window, "patientPhone").clear()
    qtbot.keyClicks(named(window, "patientPhone"), "12")
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "Phone" in window.patients.field_error("patientPhone")
    named(window, "patientPhone").clear()
    qtbot.keyClicks(named(window, "patientPhone"), "(217) 555-0199")
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert not named(window, "patientForm").isVisible()
    (patient,) = window.store.search_patients("sample")
    assert patient.payer_id is None and patient.phone == "(217) 555-0199"
    assert patient.chart_number == "DEMO-1"  # untouched by the form
    assert "no insurance" in named(window, "encounterPatient").text()
    assert len(window.store.search_patients("sample")) == 1
