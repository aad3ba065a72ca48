"""`superbill import` through the dispatcher: JSON out, exit statuses, nothing stored for a bad file."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import main
from tests.signing_in import open_signed_in

ENCOUNTER: dict[str, Any] = {
    "patient": {
        "chart_number": "A1001",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": "1950-12-10",
        "sex": "F",
        "payer": "medicare",
        "member_id": "1EG4TE5MK73",
    },
    "provider_npi": "1234567893",
    "date_of_service": "2026-11-20",
    "place_of_service": "11",
    "em_code": None,
    "lesions": [
        {"kind": "premalignant", "count": 12, "site": "face", "method": "cryosurgery", "diagnosis": "L57.0"}
    ],
}
DRAFT = {**ENCOUNTER, "lesions": [{**ENCOUNTER["lesions"][0], "diagnosis": "L57"}]}
REJECTED = {**ENCOUNTER, "patient": {"chart_number": "Z9", "first_name": "Zed"}}  # new, but who?


def write(tmp_path: Path, *encounters: dict[str, Any]) -> Path:
    path = tmp_path / "day.json"
    path.write_text(json.dumps({"encounters": list(encounters)}), encoding="utf-8")
    return path


def import_(
    db: Path, file: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any] | None, str]:
    status = main.main(["--db", str(db), "import", file])
    out, err = capsys.readouterr()
    return status, (json.loads(out) if out.strip() else None), err


def test_a_good_day_exits_0_with_the_contract_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "superbill.db"
    status, out, err = import_(db, str(write(tmp_path, ENCOUNTER, DRAFT)), capsys)
    assert status == 0, err
    assert out is not None
    assert set(out) == {"imported", "final", "draft", "encounters"}
    assert (out["imported"], out["final"], out["draft"]) == (2, 1, 1)
    assert [set(e) for e in out["encounters"]] == [{"index", "encounter_id", "status", "messages"}] * 2
    assert [(e["index"], e["status"]) for e in out["encounters"]] == [(0, "final"), (1, "draft")]
    assert out["encounters"][1]["messages"][0]["rule"] == "INVALID_DIAGNOSIS"
    assert set(out["encounters"][1]["messages"][0]) == {"severity", "rule", "field", "text"}
    with open_signed_in(db) as store:
        stored = store.get_encounter(out["encounters"][0]["encounter_id"])
        assert [line.cpt for line in stored.lines] == ["17000", "17003"]


def test_the_same_file_twice_is_stored_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "superbill.db"
    file = str(write(tmp_path, ENCOUNTER, DRAFT))
    _, first, _ = import_(db, file, capsys)
    status, second, _ = import_(db, file, capsys)
    assert status == 0 and first is not None and second is not None
    assert [e["encounter_id"] for e in second["encounters"]] == [
        e["encounter_id"] for e in first["encounters"]
    ]
    with open_signed_in(db) as store:
        assert len(store.encounters_on(date(2026, 11, 20))) == 2


def test_standard_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = json.dumps({"encounters": [ENCOUNTER]}).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(payload)))
    status, out, _ = import_(tmp_path / "superbill.db", "-", capsys)
    assert status == 0 and out is not None and out["final"] == 1


def test_a_rejected_encounter_exits_2_but_the_others_are_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "superbill.db"
    status, out, err = import_(db, str(write(tmp_path, REJECTED, ENCOUNTER)), capsys)
    assert status == 2
    assert out is not None
    assert [(e["status"], e["encounter_id"] is None) for e in out["encounters"]] == [
        ("rejected", True),
        ("final", False),
    ]
    assert out["imported"] == 1
    assert "1 of 2 encounters could not be stored" in err


def test_an_unreadable_lesion_entry_is_a_draft_and_the_import_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wart = {"kind": "wart", "count": 1, "site": "face", "method": "laser", "diagnosis": "B07.9"}
    day = [ENCOUNTER, {**ENCOUNTER, "date_of_service": "2026-11-21", "lesions": [wart]}, REJECTED]
    db = tmp_path / "superbill.db"
    status, out, err = import_(db, str(write(tmp_path, *day[:2])), capsys)
    assert status == 0, err
    assert out is not None and [e["status"] for e in out["encounters"]] == ["final", "draft"]
    assert '"kind":"wart"' in out["encounters"][1]["messages"][0]["text"]
    status, out, err = import_(db, str(write(tmp_path, *day)), capsys)
    assert status == 2  # the third cannot be stored; the first two are recognised, not added again
    assert out is not None and [e["status"] for e in out["encounters"]] == ["final", "draft", "rejected"]
    assert "1 of 3 encounters could not be stored" in err
    with open_signed_in(db) as store:
        assert len(store.encounters_between(date(2026, 11, 20), date(2026, 11, 21))) == 2


@pytest.mark.parametrize(
    "content",
    ['{"encounters": [', "[]", '{"visits": []}', '{"encounters": [{"patient": {}}, 7]}', ""],
)
def test_an_unreadable_file_exits_2_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    db = tmp_path / "superbill.db"
    file = tmp_path / "day.json"
    file.write_text(content, encoding="utf-8")
    status, out, err = import_(db, str(file), capsys)
    assert status == 2
    assert out is not None  # still one JSON object on standard output: nothing stored, and why
    assert (out["imported"], out["final"], out["draft"], out["encounters"]) == (0, 0, 0, [])
    assert [m["severity"] for m in out["messages"]] == ["error"]
    assert "Nothing was imported" in out["messages"][0]["text"]
    assert "Nothing was imported" in err and "Traceback" not in err
    assert not db.exists()  # not even an empty database was created


def test_an_unreadable_file_leaves_an_existing_database_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "superbill.db"
    import_(db, str(write(tmp_path, ENCOUNTER)), capsys)
    before = db.read_bytes()
    file = tmp_path / "bad.json"
    file.write_text('{"encounters": [' + json.dumps(DRAFT) + ", 3]}", encoding="utf-8")
    status, _, _ = import_(db, str(file), capsys)
    assert status == 2
    assert db.read_bytes() == before


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = import_(tmp_path / "superbill.db", str(tmp_path / "nope.json"), capsys)
    assert status == 2 and out is not None
    assert out["imported"] == 0 and out["messages"][0]["field"] == "file"
    assert "does not exist" in err


def test_a_file_over_the_size_limit_exits_2_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "superbill.db"
    file = tmp_path / "day.json"
    file.write_text(json.dumps({"encounters": [ENCOUNTER]}) + " " * 5_000_000, encoding="utf-8")
    status, out, err = import_(db, str(file), capsys)
    assert status == 2 and out is not None
    assert (out["imported"], out["encounters"]) == (0, [])
    assert out["messages"][0]["field"] == "file" and "at most 5,000,000 bytes" in err
    with open_signed_in(db) as store:
        assert store.encounters_on(date(2026, 11, 20)) == []


@pytest.mark.parametrize(
    "bad",
    ['{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"x": ' + "1" * 5000 + "}", '{"x": NaN}'],
    ids=["deep", "digits", "nan"],
)
def test_hostile_json_exits_2_not_1_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    db = tmp_path / "superbill.db"
    file = tmp_path / "day.json"
    file.write_text('{"encounters": [' + json.dumps(ENCOUNTER) + ", " + bad + "]}", encoding="utf-8")
    status, out, err = import_(db, str(file), capsys)
    assert status == 2 and out is not None and out["imported"] == 0, err
    assert "Nothing was imported" in out["messages"][0]["text"] and "bug" not in err
    with open_signed_in(db) as store:
        assert store.encounters_on(date(2026, 11, 20)) == []


def test_a_lone_surrogate_exits_2_naming_the_field_and_the_rest_is_stored(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db = tmp_path / "superbill.db"
    broken = {**ENCOUNTER, "patient": {**ENCOUNTER["patient"], "chart_number": "B7", "first_name": "\ud800"}}
    status = main.main(["--db", str(db), "import", str(write(tmp_path, ENCOUNTER, broken))])
    out, err = capsysbinary.readouterr()
    assert status == 2
    result = json.loads(out.decode("utf-8"))  # the output is UTF-8 JSON
    assert [e["status"] for e in result["encounters"]] == ["final", "rejected"]
    assert result["encounters"][1]["messages"][0]["field"] == "patient.first_name"
    assert b"encounters[1].patient.first_name: " in err and b"bug" not in err


def test_a_full_disk_exits_2_and_says_which_encounters_were_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from core.store import Store

    real = Store.save_draft
    calls: list[object] = []

    def full_after_two(self: Store, record: Any) -> Any:
        calls.append(record)
        if len(calls) > 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, record)

    monkeypatch.setattr(Store, "save_draft", full_after_two)
    day = [{**ENCOUNTER, "date_of_service": f"2026-11-{10 + i}"} for i in range(5)]
    db = tmp_path / "superbill.db"
    status, out, err = import_(db, str(write(tmp_path, *day)), capsys)
    assert status == 2 and out is not None
    assert [e["status"] for e in out["encounters"]] == ["final", "final", "rejected", "rejected", "rejected"]
    assert out["imported"] == 2 and out["messages"][0]["rule"] == "DATABASE_UNUSABLE"
    assert "the disk is full" in err and "Stored (2 of 5): 0–1. Not stored (3): 2–4." in err
    assert "Nothing was changed" not in err and "bug" not in err
    monkeypatch.undo()
    with open_signed_in(db) as store:
        assert len(store.encounters_between(date(2026, 11, 10), date(2026, 11, 14))) == 2
