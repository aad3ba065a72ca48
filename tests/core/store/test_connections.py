"""The connection rules every piece of store code follows (core/store/connections.py)."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from core.backup import backup_database, check_database_file, run_daily_backup, verify_database
from core.errors import StoreBusyError, StoreError
from core.store import Patient, connections
from tests.conftest import _LOCK_DROPPING_OPENS
from tests.signing_in import open_signed_in


def test_the_suite_catches_an_open_of_a_database_file_beside_its_connection(tmp_path: Path) -> None:
    """The guard every test runs under (tests/conftest.py) sees an open() of a live database."""
    db = tmp_path / "superbill.db"
    with open_signed_in(db):
        with db.open("rb") as handle:  # what _looks_like_sqlite/check_header used to do
            handle.read(16)
        found = list(_LOCK_DROPPING_OPENS)
        _LOCK_DROPPING_OPENS.clear()
    assert found and str(db) in found[0]


def test_backups_checks_and_a_second_store_never_open_the_live_file(tmp_path: Path) -> None:
    """Every path the window takes beside its open store goes through SQLite only (the guard checks)."""
    db = tmp_path / "superbill.db"
    with open_signed_in(db) as window:
        window.save_patient(Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 1, 2)))
        run_daily_backup(window, tmp_path / "daily", date(2026, 12, 1))
        run_daily_backup(db, tmp_path / "daily", date(2026, 12, 2))
        copy = backup_database(db, tmp_path / "copy.db")
        check_database_file(copy)
        assert verify_database(db).ok
        with open_signed_in(db, seed_demo=False) as second:
            assert second.search_patients("Lovelace")
        assert str(connections.database_of(db)) in connections.open_here()
    assert str(connections.database_of(db)) not in connections.open_here()


def test_every_transaction_takes_the_write_lock_first(tmp_path: Path) -> None:
    """A plain BEGIN fails at once when another program writes; only BEGIN IMMEDIATE waits its turn."""
    statements: list[str] = []
    db = tmp_path / "superbill.db"
    with open_signed_in(db) as store:
        store.conn.set_trace_callback(statements.append)
        patient = store.save_patient(
            Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 1, 2))
        )
        store.save_patient(patient)
        store.set_setting("backup_days_to_keep", "10")
        store.remove_demo_data()
        store.conn.set_trace_callback(None)
    begins = [s.strip().upper() for s in statements if s.strip().upper().startswith("BEGIN")]
    assert begins and all(b == "BEGIN IMMEDIATE" for b in begins), begins


def test_a_writer_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    with open_signed_in(db) as store:
        other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
        saved = store.save_patient(
            Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 1, 2))
        )
        assert saved.id is not None
        other.close()


def test_a_lock_held_too_long_is_a_plain_busy_message_and_nothing_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "superbill.db"
    monkeypatch.setattr(connections, "WRITE_ATTEMPTS", 2)
    with open_signed_in(db) as store:
        store.conn.execute("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreBusyError, match="Nothing was changed"):
                store.save_patient(
                    Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 1, 2))
                )
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.search_patients("Lovelace") == []


def test_a_full_disk_while_saving_is_a_plain_message_and_nothing_of_the_change_is_stored(
    tmp_path: Path,
) -> None:
    db = tmp_path / "superbill.db"
    with open_signed_in(db) as store:
        rows_before = store.verify_audit().rows
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk
        with pytest.raises(StoreError, match=r"disk is full.*Nothing of this change was stored") as err:
            for n in range(500):
                store.save_patient(
                    Patient(first_name=f"P{n}" + "x" * 300, last_name="Many", date_of_birth=date(1950, 1, 2))
                )
        assert "damaged" not in str(err.value)
        store.conn.execute("PRAGMA max_page_count = 1073741823")
        stored = store.search_patients("Many", limit=1000)
        # every patient is whole with its audit row: the failed one is not in, nothing half-written
        assert store.verify_audit().rows == rows_before + len(stored)
        assert store.integrity_problems() == []


def test_a_read_only_database_is_cannot_write_not_damaged(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    with open_signed_in(db) as store:
        store.conn.execute("PRAGMA query_only = 1")
        with pytest.raises(StoreError, match="may not write to it") as err:
            store.save_patient(
                Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 1, 2))
            )
        assert "damaged" not in str(err.value)


def test_new_database_files_are_private_to_the_user(tmp_path: Path) -> None:
    import os
    import stat

    if os.name == "nt":
        pytest.skip("Windows keeps privacy through the per-user folder, not mode bits")
    db = tmp_path / "superbill.db"
    with open_signed_in(db):
        for name in ("superbill.db", "superbill.db-wal", "superbill.db-shm"):
            mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
            assert mode & 0o077 == 0, f"{name} is {oct(mode)}"
