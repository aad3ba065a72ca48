"""Restoring a backup: the file is checked before anything is touched, and the old database is kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from core.backup import backup_database, check_database_file, restore_database
from core.errors import (
    DatabaseDamagedError,
    DatabaseInUseError,
    DatabaseTooNewError,
    StoreError,
    SuperbillError,
)
from core.store import Patient
from tests.signing_in import open_signed_in


def _add_patient(db: Path, first: str) -> None:
    with open_signed_in(db) as store:
        store.save_patient(Patient(first_name=first, last_name="Lovelace", date_of_birth=date(1950, 12, 10)))


def _first_names(db: Path) -> set[str]:
    with open_signed_in(db, seed_demo=False) as store:
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
    with open_signed_in(db, seed_demo=False) as store:
        assert store.integrity_problems() == []
        assert store.verify_audit().ok


_HOLDER = """
import sys, time
from tests.signing_in import open_signed_in
store = open_signed_in(sys.argv[1], seed_demo=False, program="Superbill Desk window")
print("open", flush=True)
sys.stdin.readline()
store.close()
"""


def test_restore_refuses_while_a_window_has_the_database_open_and_names_it(
    tmp_path: Path, backup_with_ada: Path
) -> None:
    """A window left open would go on writing its old records over the restored ones: refuse, say which."""
    db = tmp_path / "superbill.db"
    _add_patient(db, "Byron")
    window = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert window.stdout is not None and window.stdout.readline().strip() == "open"
        before = db.read_bytes()
        with pytest.raises(DatabaseInUseError, match=rf"Superbill Desk window \(user .*process {window.pid}"):
            restore_database(backup_with_ada, db)
        assert db.read_bytes() == before
        assert not list(tmp_path.glob("*before-restore*"))
    finally:
        window.communicate("\n", timeout=30)
    assert window.returncode == 0
    assert restore_database(backup_with_ada, db) is not None  # alone now: it goes ahead
    assert _first_names(db) == {"Ada"}


def test_restore_refuses_while_this_program_has_the_database_open(
    tmp_path: Path, backup_with_ada: Path
) -> None:
    db = tmp_path / "superbill.db"
    _add_patient(db, "Byron")
    with open_signed_in(db, seed_demo=False), pytest.raises(DatabaseInUseError, match="Close it first"):
        restore_database(backup_with_ada, db)
    assert _first_names(db) == {"Ada", "Byron"}


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
    with open_signed_in(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA user_version = 999")
    conn.close()


def _damaged_pages(path: Path) -> None:
    with open_signed_in(path) as store:
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


@pytest.mark.parametrize("make_file", [_random_bytes, _other_programs_database, _damaged_pages])
def test_restore_puts_a_good_backup_in_place_of_a_damaged_or_foreign_file(
    tmp_path: Path, backup_with_ada: Path, make_file: object
) -> None:
    """`verify` says "restore a backup": restore must then work, and keep the bad bytes as they were."""
    db = tmp_path / "superbill.db"
    db.unlink()
    for leftover in tmp_path.glob("superbill.db-*"):
        leftover.unlink()
    make_file(db)  # type: ignore[operator]
    bad_bytes = db.read_bytes()

    kept = restore_database(backup_with_ada, db, now=datetime(2026, 11, 30, 8, 0, 0))

    assert kept is not None and kept.read_bytes() == bad_bytes
    assert _first_names(db) == {"Ada"}
    with open_signed_in(db, seed_demo=False) as store:
        assert store.integrity_problems() == []
