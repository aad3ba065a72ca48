"""The audit log: every write verb leaves a chained row; tampering with the file is detected."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from core.store import Patient, Store
from tests.core.store.conftest import FakeClock
from tests.signing_in import open_signed_in


def _some_history(store: Store, clock: FakeClock) -> None:
    payer = store.payers()[0]
    patient = store.save_patient(
        Patient("Ada", "Lovelace", date(1950, 12, 10), payer_id=payer.id, member_id="M1")
    )
    clock.advance(minutes=1)
    store.save_patient(replace(patient, city="London"))
    store.set_fee("17000", 16000, date(2026, 12, 1))
    store.set_setting("backup_days_to_keep", 30)


def test_every_write_is_audited_with_before_and_after(store: Store, clock: FakeClock) -> None:
    _some_history(store, clock)
    rows = store.audit_entries("patient")
    created, updated = rows[-2], rows[-1]
    assert created.action == "create" and created.before is None
    assert updated.action == "update" and updated.who == "tester" and updated.at == clock.now
    assert json.loads(updated.before or "{}")["city"] == ""
    assert json.loads(updated.after or "{}")["city"] == "London"
    assert [e.action for e in store.audit_entries("fee", "17000@2026-12-01")] == ["create"]
    assert [e.action for e in store.audit_entries("setting", "backup_days_to_keep")] == ["update"]
    check = store.verify_audit()
    assert check.ok and check.first_broken_id is None and check.rows == len(store.audit_entries())


def test_the_log_refuses_changes_through_the_program(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE audit_log SET who = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM audit_log")


def _tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.fixture
def audited_file(db_path: Path, clock: FakeClock) -> Path:
    with open_signed_in(db_path, clock=clock, user="tester") as store:
        _some_history(store, clock)
        assert store.verify_audit().rows > 10
    return db_path


def test_edited_past_row_is_found(audited_file: Path, clock: FakeClock) -> None:
    _tamper(audited_file, "UPDATE audit_log SET who = 'mallory' WHERE id = 5")
    with open_signed_in(audited_file, clock=clock) as store:
        check = store.verify_audit()
    assert not check.ok and check.first_broken_id == 5
    assert "row 5 was changed" in check.text


def test_deleted_row_is_found(audited_file: Path, clock: FakeClock) -> None:
    _tamper(audited_file, "DELETE FROM audit_log WHERE id = 7")
    with open_signed_in(audited_file, clock=clock) as store:
        check = store.verify_audit()
    assert not check.ok and check.first_broken_id == 8
    assert "missing" in check.text


def test_deleted_newest_rows_are_found(audited_file: Path, clock: FakeClock) -> None:
    """Checked as `superbill verify` checks, without signing in (a sign-in would append a row after
    the gap, and the gap would be found as rows missing in the middle)."""
    from core.backup import verify_database

    _tamper(audited_file, "DELETE FROM audit_log WHERE id >= (SELECT MAX(id) - 1 FROM audit_log)")
    report = verify_database(audited_file)
    assert not report.ok
    assert any("newest rows" in line for line in report.lines), report.lines


def test_rehashing_one_row_still_breaks_the_next(audited_file: Path, clock: FakeClock) -> None:
    """Recomputing the edited row's own hash is not enough: the next row points at the old hash."""
    from core.store.audit import row_hash

    conn = sqlite3.connect(audited_file)
    prev, row = conn.execute("SELECT prev_hash, id FROM audit_log WHERE id = 3").fetchone()
    cols = ("id", "at", "who", "entity", "entity_id", "action", "before", "after")
    values = dict(
        zip(
            cols,
            conn.execute(f"SELECT {', '.join(cols)} FROM audit_log WHERE id = 3").fetchone(),
            strict=True,
        )
    )
    values["who"] = "mallory"
    conn.close()
    _tamper(
        audited_file,
        f"UPDATE audit_log SET who = 'mallory', hash = '{row_hash(prev, values)}' WHERE id = {row}",
    )
    with open_signed_in(audited_file, clock=clock) as store:
        check = store.verify_audit()
    assert not check.ok and check.first_broken_id == 4


def test_a_failed_write_leaves_no_audit_row(store: Store) -> None:
    rows = store.verify_audit().rows
    with pytest.raises(Exception, match="Last name"):
        store.save_patient(Patient("Ada", "", date(1950, 1, 1)))
    assert store.verify_audit().rows == rows
