"""Finding and adding patients like the front desk does: typing, Enter, and the form's field messages.

The panel is built alone (``patient_panel``) unless the visit it starts in the editor is the point."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QComboBox, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from core.store import Store
from gui.main_window import MainWindow
from gui.patient_panel import PatientPanel
from tests.gui.conftest import FakeDialogs, fill_form, named, quick_enter, table_rows


def test_search_updates_as_you_type(qtbot: QtBot, patient_panel: PatientPanel, store: Store) -> None:
    search = named(patient_panel, "patientSearch")
    qtbot.keyClicks(search, "samp")
    results = named(patient_panel, "patientResults")
    qtbot.waitUntil(lambda: results.model().rowCount() == 1)
    assert table_rows(results)[0][0] == "Sample, Avery"
    search.clear()
    qtbot.keyClicks(search, "03/14/1948")
    qtbot.waitUntil(lambda: results.model().rowCount() == 1)
    search.clear()
    qtbot.keyClicks(search, "zzzz")
    qtbot.waitUntil(lambda: results.model().rowCount() == 0)
    assert "Nobody found" in named(patient_panel, "patientSearchHint").text()


def test_enter_on_the_only_match_starts_a_visit(qtbot: QtBot, window: MainWindow) -> None:
    search = named(window, "patientSearch")
    qtbot.keyClicks(search, "sample")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert "Sample, Avery" in named(window, "encounterPatient").text()
    assert named(window, "lesionQuickEntry").isEnabled()


def test_a_new_patient_round_trips(qtbot: QtBot, patient_panel: PatientPanel, store: Store) -> None:
    fill_form(
        qtbot,
        patient_panel,
        patientFirstName="Ada",
        patientLastName="Lovelace",
        patientDob="12/10/1960",
        patientPayer="Medicare",
        patientMemberId="1EG4TE5MK73",
        patientZip="10001",
    )
    with qtbot.waitSignal(patient_panel.patient_chosen) as chosen:
        qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert chosen.args is not None and chosen.args[0].display_name == "Lovelace, Ada"
    assert not named(patient_panel, "patientForm").isVisible()
    (saved,) = store.search_patients("lovelace")
    assert (saved.first_name, saved.date_of_birth.isoformat(), saved.member_id, saved.zip) == (
        "Ada",
        "1960-12-10",
        "1EG4TE5MK73",
        "10001",
    )
    # and search finds her again
    search = named(patient_panel, "patientSearch")
    search.clear()
    qtbot.keyClicks(search, "lov")
    qtbot.waitUntil(lambda: named(patient_panel, "patientResults").model().rowCount() == 1)


def test_problems_show_next_to_the_field_and_nothing_typed_is_lost(
    qtbot: QtBot, patient_panel: PatientPanel, store: Store
) -> None:
    fill_form(
        qtbot, patient_panel, patientFirstName="Ada", patientLastName="Lovelace", patientDob="12/10/2999"
    )
    qtbot.keyClick(named(patient_panel, "patientDob"), Qt.Key.Key_Return)
    assert "future" in patient_panel.field_error("patientDob")
    assert named(patient_panel, "patientFirstName").text() == "Ada"

    named(patient_panel, "patientDob").clear()
    qtbot.keyClicks(named(patient_panel, "patientDob"), "12/10/1960")
    assert "future" in patient_panel.field_error("patientDob")  # kept while it is corrected
    qtbot.keyClick(named(patient_panel, "patientDob"), Qt.Key.Key_Tab)
    assert patient_panel.field_error("patientDob") == ""  # leaving the corrected field clears it
    named(patient_panel, "patientPayer").setCurrentIndex(
        named(patient_panel, "patientPayer").findText("Medicare")
    )
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "Member ID" in patient_panel.field_error("patientMemberId")

    qtbot.keyClicks(named(patient_panel, "patientMemberId"), "1EG4TE5MK73")
    qtbot.keyClicks(named(patient_panel, "patientZip"), "1234")
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "ZIP" in patient_panel.field_error("patientZip")
    assert store.search_patients("lovelace") == []

    named(patient_panel, "patientZip").clear()
    qtbot.keyClicks(named(patient_panel, "patientZip"), "12345")
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert len(store.search_patients("lovelace")) == 1


def test_unreadable_date_of_birth(qtbot: QtBot, patient_panel: PatientPanel, store: Store) -> None:
    fill_form(qtbot, patient_panel, patientFirstName="Ada", patientLastName="Lovelace", patientDob="31/31/60")
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "MM/DD/YYYY" in patient_panel.field_error("patientDob")


def test_a_likely_duplicate_is_asked_about(
    qtbot: QtBot, patient_panel: PatientPanel, store: Store, fake_dialogs: FakeDialogs
) -> None:
    # "Avry Sample" born 03/14/1948 looks like the demo patient Avery Sample
    fill_form(
        qtbot, patient_panel, patientFirstName="Avry", patientLastName="Sample", patientDob="03/14/1948"
    )
    fake_dialogs.answers["choose"].append(0)  # use the patient on file
    with qtbot.waitSignal(patient_panel.patient_chosen) as chosen:
        qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["choose"]
    assert "same person" in fake_dialogs.seen[0][1]
    assert chosen.args is not None and chosen.args[0].display_name == "Sample, Avery"
    assert len(store.search_patients("sample")) == 1


def test_a_duplicate_can_still_be_saved_as_a_new_patient(
    qtbot: QtBot, patient_panel: PatientPanel, store: Store, fake_dialogs: FakeDialogs
) -> None:
    fill_form(
        qtbot, patient_panel, patientFirstName="Avry", patientLastName="Sample", patientDob="03/14/1948"
    )
    fake_dialogs.answers["choose"].append(1)
    with qtbot.waitSignal(patient_panel.patient_chosen) as chosen:
        qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert len(store.search_patients("sample")) == 2
    assert chosen.args is not None and chosen.args[0].display_name == "Sample, Avry"


def test_going_back_from_the_duplicate_question_keeps_the_form(
    qtbot: QtBot, patient_panel: PatientPanel, store: Store, fake_dialogs: FakeDialogs
) -> None:
    fill_form(
        qtbot, patient_panel, patientFirstName="Avry", patientLastName="Sample", patientDob="03/14/1948"
    )
    fake_dialogs.answers["choose"].append(2)
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert named(patient_panel, "patientForm").isVisible()
    assert named(patient_panel, "patientFirstName").text() == "Avry"


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


# -- the second insurance (issue 10) ------------------------------------------------------------------


def visible_in_the_form_area(panel: QWidget, name: str) -> bool:
    """Whether the widget ``name`` is wholly inside the part of the scrolling form shown now."""
    area = named(panel, "patientFormArea")
    assert isinstance(area, QScrollArea)
    widget = named(panel, name)
    top_left = widget.mapTo(area.viewport(), widget.rect().topLeft())
    return area.viewport().rect().contains(QRect(top_left, widget.size()))


def test_a_second_insurance_round_trips(qtbot: QtBot, patient_panel: PatientPanel, store: Store) -> None:
    fill_form(
        qtbot,
        patient_panel,
        patientFirstName="Ada",
        patientLastName="Lovelace",
        patientDob="12/10/1960",
        patientPayer="Medicare",
        patientMemberId="1EG4TE5MK73",
        patientSecondaryPayer="Aetna",
        patientSecondaryMemberId="W2204",
        patientSecondaryGroup="G-7731",
        patientSecondarySubscriber="Charles Lovelace",
        patientSecondaryRelationship="spouse",
    )
    qtbot.keyClick(named(patient_panel, "patientSecondarySubscriber"), Qt.Key.Key_Return)
    (saved,) = store.search_patients("lovelace")
    aetna = next(p for p in store.payers() if p.name == "Aetna")
    assert saved.secondary_payer_id == aetna.id
    assert (
        saved.secondary_member_id,
        saved.secondary_group_number,
        saved.secondary_subscriber_name,
        saved.secondary_relationship,
    ) == ("W2204", "G-7731", "Charles Lovelace", "spouse")

    patient_panel.edit_patient(saved)  # the form shows it again to correct it
    assert named(patient_panel, "patientSecondaryPayer").currentText() == "Aetna"
    assert named(patient_panel, "patientSecondaryMemberId").text() == "W2204"
    assert named(patient_panel, "patientSecondaryRelationship").currentText() == "spouse"
    second = named(patient_panel, "patientSecondaryPayer")
    assert isinstance(second, QComboBox)
    second.setCurrentIndex(second.findText("none"))  # the second coverage ended
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    (corrected,) = store.search_patients("lovelace")
    assert corrected.secondary_payer_id is None and corrected.secondary_member_id == ""
    assert corrected.member_id == "1EG4TE5MK73"


@pytest.mark.parametrize("size", [(1366, 700), (1093, 614)], ids=["1366x700", "1366x768 at 125%"])
def test_second_insurance_problems_show_by_their_field_in_sight_on_a_small_screen(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    assert window.width() <= size[0] and window.height() <= size[1]  # the window can be that small
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    for name, text in (
        ("patientFirstName", "Ada"),
        ("patientLastName", "Lovelace"),
        ("patientDob", "12/10/1960"),
    ):
        qtbot.keyClicks(named(window, name), text)
    payer, second = named(window, "patientPayer"), named(window, "patientSecondaryPayer")
    assert isinstance(payer, QComboBox) and isinstance(second, QComboBox)
    payer.setCurrentIndex(payer.findText("Aetna"))
    qtbot.keyClicks(named(window, "patientMemberId"), "W1")
    second.setCurrentIndex(second.findText("Aetna"))  # the same plan twice
    qtbot.mouseClick(named(window, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert "already the first insurance" in window.patients.field_error("patientSecondaryPayer")
    assert window.focusWidget() is second

    second.setCurrentIndex(second.findText("Medicare"))  # a second plan, but no member ID for it
    named(window, "patientFirstName").setFocus()  # the cursor is elsewhere, the form scrolled back up
    named(window, "patientFormArea").verticalScrollBar().setValue(0)
    qtbot.keyClick(named(window, "patientDob"), Qt.Key.Key_Return)
    assert "Second member ID" in window.patients.field_error("patientSecondaryMemberId")
    assert window.focusWidget() is named(window, "patientSecondaryMemberId")
    qtbot.waitUntil(
        lambda: (
            visible_in_the_form_area(window, "patientSecondaryMemberId")
            and visible_in_the_form_area(window, "patientSecondaryMemberIdError")
        )
    )
    assert window.store.search_patients("lovelace") == []
    qtbot.keyClick(named(window, "patientSecondaryMemberId"), Qt.Key.Key_1)
    assert "Second member ID" in window.patients.field_error("patientSecondaryMemberId")  # still read
    assert visible_in_the_form_area(window, "patientSecondaryMemberIdError")
    qtbot.keyClicks(named(window, "patientSecondaryMemberId"), "EG4TE5MK73")
    qtbot.keyClick(named(window, "patientSecondaryMemberId"), Qt.Key.Key_Return)
    assert "Lovelace, Ada" in named(window, "encounterPatient").text()


def test_tab_goes_from_the_first_insurance_to_the_second_then_to_the_address(
    qtbot: QtBot, patient_panel: PatientPanel
) -> None:
    qtbot.mouseClick(named(patient_panel, "newPatientButton"), Qt.MouseButton.LeftButton)

    def tab_from(name: str) -> str:
        named(patient_panel, name).setFocus()
        qtbot.keyClick(named(patient_panel, name), Qt.Key.Key_Tab)
        focused = patient_panel.focusWidget()
        return focused.objectName() if focused is not None else ""

    assert tab_from("patientPayer") == "patientMemberId"
    assert tab_from("patientMemberId") == "patientGroup"
    assert tab_from("patientGroup") == "patientSubscriber"
    assert tab_from("patientSubscriber") == "patientRelationship"
    assert tab_from("patientRelationship") == "patientSecondaryPayer"
    # no second plan: its details are skipped (and cannot be typed)
    assert not named(patient_panel, "patientSecondaryMemberId").isEnabled()
    assert tab_from("patientSecondaryPayer") == "patientAddress"
    second = named(patient_panel, "patientSecondaryPayer")
    assert isinstance(second, QComboBox)
    second.setCurrentIndex(second.findText("Aetna"))
    order = ["patientSecondaryPayer"]
    for _ in range(5):
        order.append(tab_from(order[-1]))
    assert order == [
        "patientSecondaryPayer",
        "patientSecondaryMemberId",
        "patientSecondaryGroup",
        "patientSecondarySubscriber",
        "patientSecondaryRelationship",
        "patientAddress",
    ]


def test_a_new_patient_form_takes_only_what_the_search_says_and_says_so(
    qtbot: QtBot, patient_panel: PatientPanel
) -> None:
    """Issue 15: "sam" became Last name "Sam"; "o'brien-smith tom" became First "O'brien-smith"."""
    search = named(patient_panel, "patientSearch")
    for typed, first, last, note in (
        ("sam", "", "", ""),
        ("o'brien-smith tom", "", "", ""),
        ("o'brien-smith, tom 03/14/1948", "Tom", "O'Brien-Smith", "Taken from the search"),
    ):
        search.clear()
        qtbot.keyClicks(search, typed)
        qtbot.mouseClick(named(patient_panel, "newPatientButton"), Qt.MouseButton.LeftButton)
        assert named(patient_panel, "patientFirstName").text() == first
        assert named(patient_panel, "patientLastName").text() == last
        said = named(patient_panel, "patientFromSearch")
        assert said.text().startswith(note) and (said.isVisibleTo(patient_panel) == bool(note))
        qtbot.mouseClick(named(patient_panel, "cancelPatientButton"), Qt.MouseButton.LeftButton)


def test_the_form_opens_at_the_top_and_tab_from_phone_reaches_save(
    qtbot: QtBot, patient_panel: PatientPanel
) -> None:
    qtbot.mouseClick(named(patient_panel, "newPatientButton"), Qt.MouseButton.LeftButton)
    phone = named(patient_panel, "patientPhone")
    phone.setFocus()
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    assert patient_panel.focusWidget() is named(patient_panel, "savePatientButton")
    qtbot.mouseClick(named(patient_panel, "cancelPatientButton"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(named(patient_panel, "newPatientButton"), Qt.MouseButton.LeftButton)
    area = patient_panel.form_area
    assert area.verticalScrollBar().value() == 0
    assert patient_panel.focusWidget() is named(patient_panel, "patientFirstName")


def test_an_empty_search_lists_everyone_by_name(qtbot: QtBot, patient_panel: PatientPanel) -> None:
    """Issue 15: an empty search listed nobody, so there was no way to browse patients."""
    search = named(patient_panel, "patientSearch")
    results = named(patient_panel, "patientResults")
    assert [row[0] for row in table_rows(results)] == sorted(row[0] for row in table_rows(results))
    assert len(table_rows(results)) == 5  # the demo practice's patients
    qtbot.keyClicks(search, "sample")
    qtbot.waitUntil(lambda: len(table_rows(results)) == 1)
    search.clear()
    qtbot.waitUntil(lambda: len(table_rows(results)) == 5)
    assert "All patients by name" in named(patient_panel, "patientSearchHint").text()


def test_the_first_insurances_group_subscriber_and_relationship_are_typed_and_printed(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """The first insurance has its group number, subscriber and relationship in the form, as the second
    has; they are kept, shown again to correct, and printed on the visit's superbill."""
    fill_form(
        qtbot,
        window,
        patientFirstName="Ada",
        patientLastName="Lovelace",
        patientDob="12/10/1960",
        patientPayer="Aetna",
        patientMemberId="W987654",
        patientGroup="GRP-5521",
        patientSubscriber="Charles Lovelace",
        patientRelationship="spouse",
    )
    qtbot.keyClick(named(window, "patientSubscriber"), Qt.Key.Key_Return)  # saves and starts the visit
    (saved,) = window.store.search_patients("lovelace")
    assert (saved.group_number, saved.subscriber_name, saved.relationship) == (
        "GRP-5521",
        "Charles Lovelace",
        "spouse",
    )
    quick_enter(qtbot, window, "3 sk trunk")
    fake_dialogs.defaults["ask"] = True
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # finalised, then previewed
    dialog = window.findChild(QWidget, "superbillPreview")
    assert dialog is not None and dialog.isVisible()
    target = tmp_path / "bill.pdf"
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    text = " ".join(PdfReader(target).pages[0].extract_text().split())
    for printed in ("W987654", "GRP-5521", "Charles Lovelace", "spouse"):
        assert printed in text, printed

    dialog.close()
    # Edit patient… on the visit: the form shows them again; a new card is typed and saved
    qtbot.mouseClick(named(window, "editPatientButton"), Qt.MouseButton.LeftButton)
    assert named(window, "patientGroup").text() == "GRP-5521"
    assert named(window, "patientSubscriber").text() == "Charles Lovelace"
    relationship = named(window, "patientRelationship")
    assert isinstance(relationship, QComboBox) and relationship.currentText() == "spouse"
    named(window, "patientGroup").clear()
    qtbot.keyClicks(named(window, "patientGroup"), "GRP-9000")
    qtbot.keyClick(named(window, "patientGroup"), Qt.Key.Key_Return)
    assert window.store.search_patients("lovelace")[0].group_number == "GRP-9000"
    # the superbill of the visit finalised before still prints the card in force then
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    (again,) = [w for w in window.findChildren(QWidget, "superbillPreview") if w.isVisible()]
    reprint = tmp_path / "reprint.pdf"
    fake_dialogs.answers["save_file"].append(reprint)
    qtbot.mouseClick(named(again, "previewSaveButton"), Qt.MouseButton.LeftButton)
    text = " ".join(PdfReader(reprint).pages[0].extract_text().split())
    assert "GRP-5521" in text and "GRP-9000" not in text


def test_esc_closes_an_untouched_form_and_asks_before_dropping_what_was_typed(
    qtbot: QtBot, patient_panel: PatientPanel, fake_dialogs: FakeDialogs
) -> None:
    """Esc is the form's Cancel (issue 15); one key never drops what staff typed: the question's Enter
    and Esc keep the form."""
    qtbot.mouseClick(named(patient_panel, "newPatientButton"), Qt.MouseButton.LeftButton)
    first = named(patient_panel, "patientFirstName")
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    assert not patient_panel.form_area.isVisible() and fake_dialogs.kinds() == []
    assert named(patient_panel, "patientSearch").hasFocus()
    qtbot.mouseClick(named(patient_panel, "newPatientButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(first, "Tom")
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    fake_dialogs.answers["ask"].append(False)  # keep editing
    qtbot.keyClick(named(patient_panel, "patientLastName"), Qt.Key.Key_Escape)
    assert fake_dialogs.seen[-1][1] == "Close the patient form?" and fake_dialogs.defaults_seen[-1] is False
    assert patient_panel.form_area.isVisible() and first.text() == "Tom"
    fake_dialogs.answers["ask"].append(False)  # Cancel asks the same
    qtbot.mouseClick(named(patient_panel, "cancelPatientButton"), Qt.MouseButton.LeftButton)
    assert patient_panel.form_area.isVisible() and first.text() == "Tom"
    fake_dialogs.answers["ask"].append(True)  # drop it
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    assert not patient_panel.form_area.isVisible()


def test_esc_closes_a_patient_opened_for_correction_when_nothing_changed(
    qtbot: QtBot, patient_panel: PatientPanel, store: Store, fake_dialogs: FakeDialogs
) -> None:
    patient_panel.edit_patient(store.search_patients("sample")[0])
    assert named(patient_panel, "patientLastName").text() == "Sample"
    qtbot.keyClick(named(patient_panel, "patientFirstName"), Qt.Key.Key_Escape)
    assert not patient_panel.form_area.isVisible() and fake_dialogs.kinds() == []


def test_no_insurance_is_one_choice_and_a_patient_with_the_self_pay_payer_keeps_it(
    qtbot: QtBot, patient_panel: PatientPanel, store: Store, fake_dialogs: FakeDialogs
) -> None:
    """Seen in the keyboard-only clinic day: the Insurance list offered "no insurance (self-pay)" and the
    payer "Self-pay (no insurance)" — two entries for one choice."""
    qtbot.mouseClick(named(patient_panel, "newPatientButton"), Qt.MouseButton.LeftButton)
    for name in ("patientPayer", "patientSecondaryPayer"):
        box = named(patient_panel, name)
        items = [box.itemText(i).lower() for i in range(box.count())]
        assert sum("self-pay" in item for item in items) == (1 if name == "patientPayer" else 0), items
        assert any("aetna" in item for item in items)
    qtbot.keyClick(named(patient_panel, "patientFirstName"), Qt.Key.Key_Escape)
    morgan = store.search_patients("dummy")[0]  # a demo patient on the self-pay payer
    patient_panel.edit_patient(morgan)
    assert named(patient_panel, "patientPayer").currentData() == morgan.payer_id is not None
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert store.get_patient(morgan.id).payer_id == morgan.payer_id
