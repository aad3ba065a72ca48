"""An imported draft shows what the import could not take in, keeps it, and blocks finalising until the
front desk marks it dealt with — driven like a user, on a database the importer filled."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from core.importer import import_encounters
from core.store.records import EncounterStatus
from gui.app import build_main_window
from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter, sign_in_window, table_rows
from tests.signing_in import open_signed_in

WART = {"kind": "wart", "count": 1, "site": "face", "method": "laser", "diagnosis": "B07.9"}
#: the demo practice's provider
DEMO_NPI = "1234567893"


def imported_draft(db_path: Path, **changes: Any) -> int:
    """Import, into the window's database file, today's encounter of a new patient with one good
    lesion entry and one of a kind the program does not know; returns the stored draft's id."""
    with open_signed_in(db_path) as store:
        encounter: dict[str, Any] = {
            "patient": {
                "chart_number": "W2002",
                "first_name": "Wanda",
                "last_name": "Wartley",
                "date_of_birth": "1961-03-04",
                "sex": "F",
            },
            "provider_npi": DEMO_NPI,
            "date_of_service": store.today().isoformat(),
            "place_of_service": "11",
            "em_code": None,
            "lesions": [
                {
                    "kind": "premalignant",
                    "count": 2,
                    "site": "face",
                    "method": "cryosurgery",
                    "diagnosis": "L57.0",
                },
                WART,
            ],
            **changes,
        }
        report = import_encounters(store, json.dumps({"encounters": [encounter]}))
    (only,) = report.encounters
    assert only.status == "draft" and only.encounter_id is not None
    return only.encounter_id


def shown_window(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, *, open_draft: bool = False
) -> MainWindow:
    """A fresh window on the file; its start-up offer to open the unfinished draft is answered."""
    asked = len(fake_dialogs.seen)
    fake_dialogs.answers["ask"].append(open_draft)
    win = build_main_window(db_path)
    qtbot.addWidget(win)
    sign_in_window(qtbot, win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: ("ask", "Unfinished encounters") in [s[:2] for s in fake_dialogs.seen[asked:]])
    return win


def open_first_of_day(qtbot: QtBot, window: MainWindow) -> None:
    """Select the first encounter of the day sheet and press Enter, as the front desk does."""
    day_table = named(window, "dayTable")
    qtbot.waitUntil(lambda: day_table.model().rowCount() > 0)
    day_table.setFocus()
    day_table.setCurrentIndex(day_table.model().index(0, 0))
    qtbot.keyClick(day_table, Qt.Key.Key_Return)


def message_texts(window: MainWindow) -> list[str]:
    messages = named(window, "codingMessages")
    assert isinstance(messages, QListWidget)
    return [messages.item(row).text() for row in range(messages.count())]


def stored(db_path: Path, encounter_id: int) -> Any:
    with open_signed_in(db_path) as store:
        return store.get_encounter(encounter_id)


def test_the_left_out_lesion_is_shown_blocks_finalising_and_survives_edits_until_dealt_with(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    encounter_id = imported_draft(db_path)
    window = shown_window(qtbot, db_path, fake_dialogs)
    open_first_of_day(qtbot, window)
    assert "Wartley" in named(window, "encounterPatient").text()

    texts = message_texts(window)
    assert texts[0].startswith("From the import — Error: ")
    assert "“wart”" in texts[0] and '"kind":"wart"' in texts[0] and "left out of the draft" in texts[0]
    assert "1 note from the import to deal with" in named(window, "encounterStatus").text()
    button = named(window, "noteDealtWithButton")
    assert button.isVisible() and button.accessibleName()

    # Ctrl+S is refused with a calm message saying what to do; nothing is finalised
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    kind, title, text = fake_dialogs.seen[-1]
    assert (kind, title) == ("problem", "Cannot save as final yet")
    assert '"kind":"wart"' in text and "Mark dealt with" in text
    assert stored(db_path, encounter_id).status is EncounterStatus.DRAFT
    # printing the superbill finalises first: refused the same way
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert fake_dialogs.seen[-1][:2] == ("problem", "Cannot save as final yet")
    assert stored(db_path, encounter_id).status is EncounterStatus.DRAFT

    # the front desk re-enters the wart: the draft is saved with the note still in its messages
    quick_enter(qtbot, window, "1 wart face laser B07.9")
    assert len(table_rows(named(window, "lesionTable"))) == 2
    assert message_texts(window)[0].startswith("From the import — Error: ")
    record = stored(db_path, encounter_id)
    assert len(record.lesions) == 2
    assert any('"kind":"wart"' in m.text for m in record.messages)
    window.close()

    # a fresh window (a crash, or tomorrow's start) still shows the note and still refuses Ctrl+S
    again = shown_window(qtbot, db_path, fake_dialogs)
    open_first_of_day(qtbot, again)
    assert len(table_rows(named(again, "lesionTable"))) == 2
    assert "“wart”" in message_texts(again)[0] and message_texts(again)[0].startswith("From the import")
    qtbot.keyClick(again, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert fake_dialogs.seen[-1][:2] == ("problem", "Cannot save as final yet")

    # "Not yet" keeps it; "Dealt with" (Ctrl+D on the list) drops it from the screen and the file
    messages = named(again, "codingMessages")
    messages.setFocus()
    messages.setCurrentRow(0)
    fake_dialogs.answers["ask"].append(False)
    qtbot.keyClick(messages, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert fake_dialogs.seen[-1][:2] == ("ask", "Has this been dealt with?")
    assert message_texts(again)[0].startswith("From the import")
    fake_dialogs.answers["ask"].append(True)
    qtbot.keyClick(messages, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not any(t.startswith("From the import") for t in message_texts(again))
    assert not named(again, "noteDealtWithButton").isVisible()
    assert not any('"kind":"wart"' in m.text for m in stored(db_path, encounter_id).messages)

    # now Ctrl+S finalises, with both lesions billed
    fake_dialogs.defaults["ask"] = True  # any coding warning: save as final anyway
    qtbot.keyClick(again, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    final = stored(db_path, encounter_id)
    assert final.status is EncounterStatus.FINAL
    assert {line.cpt for line in final.lines} >= {"17000", "17110"}


def test_the_draft_offered_at_start_shows_the_note_and_the_dealt_with_button_drops_it_for_good(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    encounter_id = imported_draft(db_path)
    window = shown_window(qtbot, db_path, fake_dialogs, open_draft=True)  # "Open it" at start-up
    assert message_texts(window)[0].startswith("From the import — Error: ")
    qtbot.keyClick(window, Qt.Key.Key_F1)  # the shortcut list names the action
    assert fake_dialogs.seen[-1][1] == "Keyboard shortcuts"
    assert "Mark the import note dealt with" in fake_dialogs.seen[-1][2]
    fake_dialogs.answers["ask"].append(True)
    qtbot.mouseClick(named(window, "noteDealtWithButton"), Qt.MouseButton.LeftButton)
    assert not any(t.startswith("From the import") for t in message_texts(window))
    window.close()
    again = shown_window(qtbot, db_path, fake_dialogs)
    open_first_of_day(qtbot, again)
    assert not any(t.startswith("From the import") for t in message_texts(again))
    assert stored(db_path, encounter_id).status is EncounterStatus.DRAFT


def test_an_unknown_provider_note_is_carried_too(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    from core.npi import check_digit

    imported_draft(db_path, provider_npi="198765432" + check_digit("198765432"))
    window = shown_window(qtbot, db_path, fake_dialogs)
    open_first_of_day(qtbot, window)
    carried = [t for t in message_texts(window) if t.startswith("From the import")]
    assert len(carried) == 2  # the left-out wart and the provider the practice does not have
    item = named(window, "codingMessages").findItems("From the import", Qt.MatchFlag.MatchStartsWith)
    assert any("UNKNOWN_PROVIDER" in i.toolTip() for i in item)


def test_a_draft_typed_in_the_window_has_no_notes_from_the_import(
    qtbot: QtBot, window: MainWindow, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face cryo")
    window.close()
    again = shown_window(qtbot, db_path, fake_dialogs)
    open_first_of_day(qtbot, again)
    assert table_rows(named(again, "lesionTable"))[0][1] == "2"
    assert not any(t.startswith("From the import") for t in message_texts(again))
    assert not named(again, "noteDealtWithButton").isVisible()


def test_an_import_warning_does_not_block_is_asked_about_and_stays_with_the_final_encounter(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    # Avery Sample (DEMO-1) is a Medicare patient on file; the file says another payer
    encounter_id = imported_draft(db_path, patient={"chart_number": "DEMO-1", "payer": "commercial"})
    window = shown_window(qtbot, db_path, fake_dialogs)
    open_first_of_day(qtbot, window)
    carried = [t for t in message_texts(window) if t.startswith("From the import")]
    assert carried[0].startswith("From the import — Error: ") and "“wart”" in carried[0]
    assert carried[1].startswith("From the import — Warning: ") and "on file" in carried[1]
    messages = named(window, "codingMessages")
    messages.setFocus()
    messages.setCurrentRow(0)  # the error: the wart is not billed after all
    fake_dialogs.answers["ask"].append(True)
    qtbot.keyClick(messages, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [t for t in message_texts(window) if t.startswith("From the import")] == carried[1:]

    fake_dialogs.answers["ask"].append(False)  # "Go back" at the warnings
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    kind, title, text = fake_dialogs.seen[-1]
    assert (kind, title) == ("ask", "Please look at these warnings") and "on file" in text
    assert stored(db_path, encounter_id).status is EncounterStatus.DRAFT
    fake_dialogs.defaults["ask"] = True
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    final = stored(db_path, encounter_id)
    assert final.status is EncounterStatus.FINAL
    assert [m.rule for m in final.messages if m.rule == "PAYER_DIFFERS"] == ["PAYER_DIFFERS"]
    assert not any('"kind":"wart"' in m.text for m in final.messages)
