"""Backups through SQLite's online backup API: consistent while another connection is writing."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from core.backup import backup_database, integrity_problems
from core.errors import StoreError
from core.store import Patient
from tests.signing_in import open_signed_in


def _wal_database(path: Path, rows: int) -> sqlite3.Connection:
    """A WAL database with ``rows`` committed rows, left open with its log not checkpointed."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # keep the committed pages in the -wal file
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO item (name) VALUES (?)", [(f"row {n}",) for n in range(rows)])
    conn.execute("COMMIT")
    return conn


def test_backup_while_another_connection_holds_an_open_write_transaction(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    writer = _wal_database(db, rows=500)
    try:
        wal = tmp_path / "superbill.db-wal"
        committed_wal_size = wal.stat().st_size
        assert committed_wal_size > 0
        writer.execute("PRAGMA cache_size = 1")  # a tiny cache spills uncommitted pages into the -wal file
        writer.execute("BEGIN IMMEDIATE")
        writer.executemany("INSERT INTO item (name) VALUES (?)", [("uncommitted" + "x" * 200,)] * 3000)
        assert wal.stat().st_size > committed_wal_size  # uncommitted pages are in the log now

        target = backup_database(db, tmp_path / "copy.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM item").fetchone() == (500,)
        assert copy.execute("SELECT count(*) FROM item WHERE name LIKE 'uncommitted%'").fetchone() == (0,)
        assert integrity_problems(copy) == []
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    assert not (tmp_path / "copy.db-wal").exists()
    assert not list(tmp_path.glob("copy.db*.partial"))


def test_backup_replaces_an_existing_file_only_with_a_complete_copy(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    _wal_database(db, rows=3).close()
    target = tmp_path / "copy.db"
    target.write_bytes(b"old contents")
    backup_database(db, target)
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (3,)
    finally:
        conn.close()


def test_backup_of_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        backup_database(tmp_path / "nothing.db", tmp_path / "copy.db")
    assert not (tmp_path / "nothing.db").exists()


def test_backup_onto_the_database_itself_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    _wal_database(db, rows=1).close()
    with pytest.raises(StoreError, match="cannot be the database itself"):
        backup_database(db, db)


def test_backup_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    _wal_database(db, rows=1).close()
    with pytest.raises(StoreError, match="does not exist"):
        backup_database(db, tmp_path / "no" / "such" / "copy.db")


def test_backup_through_the_store_while_it_is_inside_a_transaction(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    with open_signed_in(db) as store:
        store.save_patient(Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 12, 10)))
        with store.transaction():
            store.save_patient(
                Patient(first_name="Byron", last_name="Lovelace", date_of_birth=date(1980, 1, 1))
            )
            backup_database(db, tmp_path / "copy.db")
    with open_signed_in(tmp_path / "copy.db", seed_demo=False) as copy:
        assert [p.first_name for p in copy.search_patients("Lovelace")] == ["Ada"]
        assert copy.integrity_problems() == []
        assert copy.verify_audit().ok
