"""Two windows (or a window and a command) on one file: the window never saves over a change it has
not seen. It says who changed what, keeps what was typed, and lets the user choose."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.store import EncounterStatus, Store
from gui.encounter_editor import EncounterEditor
from gui.patient_panel import PatientPanel
from tests.gui.conftest import FakeDialogs, codes, named, quick_enter, start_visit
from tests.signing_in import open_signed_in


def _other_program_changes_the_draft(db_path: Path, editor: EncounterEditor, count: int) -> None:
    encounter = editor.encounter
    assert encounter is not None and encounter.id is not None
    with open_signed_in(db_path, seed_demo=False, user="second_window") as other:
        stored = other.get_encounter(encounter.id)
        other.save_draft(replace(stored, lesions=(replace(stored.lesions[0], count=count),)))


def test_typing_over_a_draft_changed_elsewhere_asks_and_can_show_theirs(
    qtbot: QtBot, editor: EncounterEditor, store: Store, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "3 ak face cryo")
    _other_program_changes_the_draft(db_path, editor, 9)

    fake_dialogs.answers["choose"].append(0)  # "Show it as it is now"
    quick_enter(qtbot, editor, "2 sk trunk")

    kind, title, text = fake_dialogs.seen[-1]
    assert (kind, title) == ("choose", "Changed in another window")
    assert "lesions" in text and "second_window" in text
    current = editor.encounter
    assert current is not None and [g.count for g in current.lesions] == [9]
    assert codes(editor) == [("17000", "1"), ("17003", "8")]
    with open_signed_in(db_path, seed_demo=False) as check:
        assert [g.count for g in check.get_encounter(current.id or 0).lesions] == [9]


def test_keep_mine_saves_what_was_typed_over_the_other_change(
    qtbot: QtBot, editor: EncounterEditor, store: Store, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "3 ak face cryo")
    _other_program_changes_the_draft(db_path, editor, 9)

    fake_dialogs.answers["choose"].append(1)  # "Keep mine and save it"
    quick_enter(qtbot, editor, "2 sk trunk")

    current = editor.encounter
    assert current is not None
    with open_signed_in(db_path, seed_demo=False) as check:
        stored = check.get_encounter(current.id or 0)
        assert [g.count for g in stored.lesions] == [3, 2]  # what this editor showed, saved knowingly
        assert check.audit_entries("encounter", current.id)[-1].who != "second_window"


def test_a_payment_recorded_elsewhere_is_never_overwritten(
    qtbot: QtBot, editor: EncounterEditor, store: Store, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "12 ak face cryo")
    fake_dialogs.defaults["ask"] = True
    qtbot.mouseClick(named(editor, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    final = editor.encounter
    assert final is not None and final.status is EncounterStatus.FINAL and final.id is not None
    with open_signed_in(db_path, seed_demo=False, user="biller") as other:
        other.record_payment(final.id, 4000, version=other.get_encounter(final.id).version)

    paid = named(editor, "encounterPaid")
    qtbot.keyClicks(paid, "25")
    qtbot.keyClick(paid, Qt.Key.Key_Return)

    kind, title, text = fake_dialogs.seen[-1]
    assert (kind, title) == ("problem", "Changed in another window")
    assert "amount paid" in text and "biller" in text
    shown = editor.encounter
    assert shown is not None and shown.paid_cents == 4000  # the editor now shows what is stored
    assert "paid $40.00" in named(editor, "encounterTotal").text()


def test_a_patient_changed_elsewhere_keeps_the_form_until_the_user_chooses(
    qtbot: QtBot, patient_panel: PatientPanel, store: Store, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    (patient,) = store.search_patients("sample")
    patient_panel.edit_patient(patient)  # Edit patient… on the open visit
    assert named(patient_panel, "patientForm").isVisible()
    with open_signed_in(db_path, seed_demo=False, user="second_window") as other:
        other.save_patient(replace(other.get_patient(patient.id or 0), member_id="1EG4TE5MK99"))
    phone = named(patient_panel, "patientPhone")
    phone.clear()
    qtbot.keyClicks(phone, "(217) 555-0199")

    fake_dialogs.answers["choose"].append(None)  # the question is closed: nothing happens
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert named(patient_panel, "patientForm").isVisible()
    assert named(patient_panel, "patientPhone").text() == "(217) 555-0199"  # the typing is kept
    assert "member ID" in fake_dialogs.seen[-1][2]

    fake_dialogs.answers["choose"].append(0)  # show the patient as it is now
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)
    assert named(patient_panel, "patientMemberId").text() == "1EG4TE5MK99"
    qtbot.mouseClick(named(patient_panel, "savePatientButton"), Qt.MouseButton.LeftButton)  # now it saves
    assert not named(patient_panel, "patientForm").isVisible()
    (saved,) = store.search_patients("sample")
    assert saved.member_id == "1EG4TE5MK99"
