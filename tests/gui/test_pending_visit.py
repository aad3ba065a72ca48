"""A visit typed before its patient is chosen survives a crash: it is kept on disk at every edit, shown
again by the next window on the same database, and forgotten once it has a patient or is dropped."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core import pending_visit
from core.coding.model import LesionGroup, LesionKind
from core.pending_visit import (
    UnreadablePendingVisitError,
    from_json,
    pending_file_for,
    to_json,
)
from core.store.records import EncounterRecord
from gui.app import build_main_window
from gui.main_window import MainWindow
from tests.gui.conftest import (
    FakeDialogs,
    codes,
    named,
    open_first_patient,
    quick_enter,
    sign_in_window,
    table_rows,
)
from tests.gui.test_no_patient_yet import choose, quit_from_the_menu
from tests.signing_in import open_signed_in


def start_again(qtbot: QtBot, db_path: Path) -> MainWindow:
    """The program started again on the same file, as after a crash: the old window never closed."""
    window = build_main_window(db_path)
    qtbot.addWidget(window)
    sign_in_window(qtbot, window)
    window.show()
    qtbot.waitExposed(window)
    return window


def status(window: MainWindow) -> str:
    return named(window, "statusText").text()


def test_lesions_typed_before_the_patient_come_back_after_a_crash(
    qtbot: QtBot, window: MainWindow, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    quick_enter(qtbot, window, "12 ak face cryo")
    kept = pending_file_for(db_path)
    assert kept is not None and kept.exists()  # on disk at the edit, not at a close

    again = start_again(qtbot, db_path)  # the first window is still there: it never got to close
    assert codes(again) == [("17000", "1"), ("17003", "11")]
    assert table_rows(named(again, "lesionTable")) == [
        ["Premalignant", "12", "face", "cryosurgery", "", "L57.0"]
    ]
    assert named(again, "encounterPatient").text().startswith("No patient chosen yet")
    assert "Recovered" in status(again) and "patient" in status(again)
    # the editor says it too, so a later message on the status line does not hide it
    assert "recovered" in named(again, "encounterStatus").text()
    assert fake_dialogs.kinds() == []  # no question on start-up

    open_first_patient(qtbot, again, "sample")
    assert "draft, saved" in named(again, "encounterStatus").text()
    with open_signed_in(db_path) as other:
        (draft,) = other.drafts()
        assert other.get_patient(draft.patient_id).last_name == "Sample"
        assert [(g.kind, g.count, g.site, g.method) for g in draft.lesions] == [
            (LesionKind.PREMALIGNANT, 12, "face", "cryosurgery")
        ]
    assert not kept.exists()

    fake_dialogs.answers["ask"].append(False)  # the draft is offered as usual: "Later"
    third = start_again(qtbot, db_path)  # the visit is the patient's draft now: nothing pending
    qtbot.waitUntil(lambda: fake_dialogs.kinds() == ["ask"])
    assert fake_dialogs.seen[-1][1] == "Unfinished encounters"
    assert table_rows(named(third, "lesionTable")) == []
    assert "recovered" not in named(third, "encounterStatus").text()
    assert "Recovered" not in status(third)


def test_day_place_and_visit_code_come_back_too(qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    qtbot.mouseClick(named(window, "previousDayButton"), Qt.MouseButton.LeftButton)
    yesterday = window.day()
    choose(named(window, "encounterPos"), "22")
    choose(named(window, "encounterEmCode"), "99213")
    quick_enter(qtbot, window, "2 ak face")

    again = start_again(qtbot, db_path)
    assert again.day() == yesterday
    assert named(again, "encounterPos").currentData() == "22"
    assert named(again, "encounterEmCode").currentData() == "99213"
    assert [row[0] for row in table_rows(named(again, "codedLinesTable"))] == ["99213", "17000", "17003"]
    assert f"{yesterday:%m/%d/%Y}" in named(again, "encounterStatus").text()
    open_first_patient(qtbot, again, "sample")
    record = again.current_encounter()
    assert record.date_of_service == yesterday and record.id is not None
    assert (record.place_of_service, record.em_code) == ("22", "99213")


def test_removing_every_lesion_forgets_the_pending_visit(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    quick_enter(qtbot, window, "2 ak face")
    kept = pending_file_for(db_path)
    assert kept is not None and kept.exists()
    table = named(window, "lesionTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert table_rows(table) == []
    assert not kept.exists()
    assert table_rows(named(start_again(qtbot, db_path), "lesionTable")) == []


def test_a_close_from_code_keeps_it_and_quitting_to_drop_it_forgets_it(
    qtbot: QtBot, window: MainWindow, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    quick_enter(qtbot, window, "2 ak face")
    window.close()  # no question asked, so nothing is dropped
    again = start_again(qtbot, db_path)
    assert codes(again) == [("17000", "1"), ("17003", "1")]

    fake_dialogs.answers["ask"].append(True)  # Quit and drop them
    quit_from_the_menu(again)
    kept = pending_file_for(db_path)
    assert kept is not None and not kept.exists()
    assert table_rows(named(start_again(qtbot, db_path), "lesionTable")) == []


def test_a_damaged_file_is_put_aside_with_a_calm_word_and_the_window_works(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    kept = pending_file_for(db_path)
    assert kept is not None
    kept.write_text('{"version": 1, "day": "2026-1', encoding="utf-8")  # cut short by a crash

    window = start_again(qtbot, db_path)
    assert "could not be read back" in status(window) and "type that visit's lesions again" in status(window)
    assert "Traceback" not in status(window)
    assert fake_dialogs.kinds() == []
    aside = kept.with_name(kept.name + ".damaged")
    assert aside.read_text(encoding="utf-8").startswith('{"version": 1')
    assert not kept.exists()

    quick_enter(qtbot, window, "12 ak face cryo")
    assert codes(window) == [("17000", "1"), ("17003", "11")]
    assert kept.exists()  # the new pending visit is kept as usual


def test_each_database_file_has_its_own_pending_visit(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    quick_enter(qtbot, window, "2 ak face")
    other = start_again(qtbot, tmp_path / "other.db")
    assert table_rows(named(other, "lesionTable")) == []
    assert "Recovered" not in status(other)


# -- the file's contents -------------------------------------------------------------------------

lesion_groups = st.builds(
    LesionGroup,
    kind=st.sampled_from(list(LesionKind)),
    count=st.integers(min_value=1, max_value=99),
    site=st.text(max_size=12),
    method=st.text(max_size=12),
    diagnosis=st.text(max_size=8),
    diameter_cm=st.none() | st.floats(min_value=0.1, max_value=20, allow_nan=False),
    area_sq_cm=st.none() | st.floats(min_value=0.1, max_value=500, allow_nan=False),
)


@settings(max_examples=60)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    provider_id=st.integers(min_value=0, max_value=10_000),
    place=st.sampled_from(["11", "22", "31"]),
    em_code=st.none() | st.sampled_from(["99212", "99213"]),
    lesions=st.lists(lesion_groups, max_size=5).map(tuple),
    decision=st.booleans(),
)
def test_every_field_is_read_back_as_written(
    day: date,
    provider_id: int,
    place: str,
    em_code: str | None,
    lesions: tuple[LesionGroup, ...],
    decision: bool,
) -> None:
    record = EncounterRecord(0, provider_id, day, place, em_code, lesions, decision_for_surgery=decision)
    assert from_json(to_json(record)) == record


def test_a_file_written_before_the_decision_mark_reads_unmarked() -> None:
    record = EncounterRecord(0, 1, date(2026, 11, 27), "11", "99213")
    data = json.loads(to_json(replace(record, decision_for_surgery=True)))
    del data["decision_for_surgery"]
    assert from_json(json.dumps(data)) == record
    data["decision_for_surgery"] = "yes"
    with pytest.raises(UnreadablePendingVisitError):
        from_json(json.dumps(data))


def _containers(inner: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    _containers,
    max_leaves=10,
)


@settings(max_examples=80)
@given(
    text=st.text(max_size=40)
    | json_values.map(json.dumps)
    | st.dictionaries(
        st.sampled_from(["version", "day", "provider_id", "place_of_service", "em_code", "lesions"]),
        json_values,
    ).map(lambda d: json.dumps({"version": 1, **d}))
)
def test_anything_unreadable_is_reported_as_such(text: str) -> None:
    try:
        record = from_json(text)
    except UnreadablePendingVisitError:
        return  # the only failure allowed: the window words it calmly
    assert isinstance(record, EncounterRecord) and record.patient_id == 0


@pytest.mark.parametrize(
    ("key", "value"), [("count", 0), ("count", "2"), ("kind", "freckle"), ("site", None)]
)
def test_a_bad_lesion_field_is_unreadable(key: str, value: object) -> None:
    record = EncounterRecord(
        0, 1, date(2026, 1, 2), lesions=(LesionGroup(LesionKind.BENIGN, 2, "trunk", "", ""),)
    )
    data = json.loads(to_json(record))
    assert from_json(json.dumps(data)) == record
    data["lesions"][0][key] = value
    with pytest.raises(UnreadablePendingVisitError):
        from_json(json.dumps(data))


@pytest.mark.skipif(__import__("os").name == "nt", reason="Windows: the per-user data folder is private")
def test_the_pending_visit_file_is_private_to_the_user(tmp_path: Path) -> None:
    import os
    import stat

    os.umask(0o022)
    file = tmp_path / "pending.json"
    record = EncounterRecord(
        patient_id=0,
        provider_id=1,
        date_of_service=date(2026, 12, 1),
        place_of_service="11",
        lesions=(LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0"),),
    )
    pending_visit.write(file, record)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    pending_visit.write(file, record)  # replacing it keeps it private
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
