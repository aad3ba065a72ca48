"""Restoring a backup: the file is checked before anything is touched, and the old database is kept."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from core.backup import backup_database, check_database_file, restore_database
from core.errors import DatabaseDamagedError, DatabaseTooNewError, StoreError, SuperbillError
from core.store import Patient, open_store


def _add_patient(db: Path, first: str) -> None:
    with open_store(db) as store:
        store.save_patient(Patient(first_name=first, last_name="Lovelace", date_of_birth=date(1950, 12, 10)))


def _first_names(db: Path) -> set[str]:
    with open_store(db, seed_demo=False) as store:
        return {p.first_name for p in store.search_patients("Lovelace")}


@pytest.fixture
def backup_with_ada(tmp_path: Path) -> Path:
    db = tmp_path / "superbill.db"
    _add_patient(db, "Ada")
    return backup_database(db, tmp_path / "monday.db")


def test_restore_brings_back_the_backup_and_keeps_the_database_it_replaces(
    tmp_path: Path, backup_with_ada: Path
) -> None:
    db = tmp_path / "superbill.db"
    _add_patient(db, "Byron")
    assert _first_names(db) == {"Ada", "Byron"}

    kept = restore_database(backup_with_ada, db, now=datetime(2026, 11, 27, 9, 30, 5))

    assert kept == tmp_path / "superbill.db.before-restore-20261127-093005"
    assert _first_names(db) == {"Ada"}
    assert _first_names(kept) == {"Ada", "Byron"}
    with open_store(db, seed_demo=False) as store:
        assert store.integrity_problems() == []
        assert store.verify_audit().ok


def test_restore_writes_through_sqlite_while_another_connection_is_open(
    tmp_path: Path, backup_with_ada: Path
) -> None:
    db = tmp_path / "superbill.db"
    _add_patient(db, "Byron")
    window = open_store(db, seed_demo=False)  # an idle connection, as a forgotten window would hold
    try:
        assert (tmp_path / "superbill.db-wal").exists()
        restore_database(backup_with_ada, db)
        # The open connection sees the restored contents: the file was not swapped under it.
        assert {p.first_name for p in window.search_patients("Lovelace")} == {"Ada"}
    finally:
        window.close()
    assert _first_names(db) == {"Ada"}


def test_restore_into_a_new_place_keeps_nothing(tmp_path: Path, backup_with_ada: Path) -> None:
    db = tmp_path / "elsewhere" / "superbill.db"
    db.parent.mkdir()
    assert restore_database(backup_with_ada, db) is None
    assert _first_names(db) == {"Ada"}


def test_two_restores_in_the_same_second_keep_both_previous_databases(
    tmp_path: Path, backup_with_ada: Path
) -> None:
    db = tmp_path / "superbill.db"
    moment = datetime(2026, 11, 27, 9, 30, 5)
    first = restore_database(backup_with_ada, db, now=moment)
    second = restore_database(backup_with_ada, db, now=moment)
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40)


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


def _empty_database(path: Path) -> None:
    sqlite3.connect(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()


def _other_programs_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _newer_version(path: Path) -> None:
    with open_store(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA user_version = 999")
    conn.close()


def _damaged_pages(path: Path) -> None:
    with open_store(path) as store:
        for n in range(60):
            store.save_patient(Patient(first_name=f"P{n}", last_name="Many", date_of_birth=date(1960, 1, 1)))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 2 * page):
        data[offset : offset + 64] = b"\xff" * 64  # wreck every other page's header
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make_file", "error", "words"),
    [
        (_random_bytes, DatabaseDamagedError, "not a database file"),
        (_empty_file, DatabaseDamagedError, "not a database file"),
        (_empty_database, DatabaseDamagedError, "empty database"),
        (_other_programs_database, DatabaseDamagedError, "another program"),
        (_newer_version, DatabaseTooNewError, "newer version"),
        (_damaged_pages, DatabaseDamagedError, "damaged|could not be read"),
    ],
)
def test_a_bad_backup_is_refused_and_nothing_is_touched(
    tmp_path: Path, make_file: object, error: type[SuperbillError], words: str
) -> None:
    db = tmp_path / "superbill.db"
    _add_patient(db, "Byron")
    bad = tmp_path / "bad.db"
    make_file(bad)  # type: ignore[operator]
    before_db, before_bad = db.read_bytes(), bad.read_bytes()

    with pytest.raises(error, match=words):
        restore_database(bad, db)

    assert db.read_bytes() == before_db
    assert bad.read_bytes() == before_bad
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.db", "superbill.db"]
    assert _first_names(db) == {"Byron"}


def test_a_missing_backup_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        check_database_file(tmp_path / "nope.db")


def test_restoring_the_database_onto_itself_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    _add_patient(db, "Ada")
    with pytest.raises(StoreError, match="database itself"):
        restore_database(db, db)
