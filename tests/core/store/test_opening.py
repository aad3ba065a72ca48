"""Opening files: new files get the schema and demo data once; bad, foreign or newer files are refused
and left byte-identical."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from core.errors import DatabaseDamagedError, DatabaseTooNewError, StoreError
from core.store import SCHEMA_VERSION, schema
from core.store.schema import APPLICATION_ID
from tests.signing_in import open_signed_in


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_gets_schema_wal_and_demo_practice(db_path: Path) -> None:
    with open_signed_in(db_path) as store:
        assert store.practice().name.startswith("Demo Dermatology")
        assert [p.npi for p in store.providers()] == ["1234567893"]
        assert store.has_demo_data()
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_default_path_is_in_the_test_data_folder(isolated_data_dir: Path) -> None:
    with open_signed_in() as store:
        assert store.path == isolated_data_dir / "superbill.db"
    assert (isolated_data_dir / "superbill.db").is_file()


def test_demo_is_seeded_exactly_once(db_path: Path) -> None:
    with open_signed_in(db_path) as store:
        first = [p.chart_number for p in store.search_patients("demo")]
        store.remove_demo_data()
    with open_signed_in(db_path) as store:
        assert len(first) == 5
        assert store.search_patients("demo") == []
        assert len(store.providers()) == 1
        assert store.verify_audit().ok


def test_no_demo_when_not_asked(db_path: Path) -> None:
    with open_signed_in(db_path, seed_demo=False) as store:
        assert store.practice().name == ""
        assert store.providers() == [] and store.payers() == []
        assert not store.has_demo_data()


def test_in_memory_database() -> None:
    with open_signed_in(":memory:") as store:
        assert store.path is None
        assert len(store.payers()) == 8


def _refused_untouched(path: Path, error: type[Exception], words: str) -> None:
    before = _digest(path)
    names = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(error) as err:
        open_signed_in(path)
    assert words in str(err.value)
    assert "has not been changed" in str(err.value)
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == names


def test_random_bytes_are_refused(db_path: Path) -> None:
    db_path.write_bytes(os.urandom(8192))
    _refused_untouched(db_path, DatabaseDamagedError, "not a database file at all")


def test_text_file_is_refused(db_path: Path) -> None:
    db_path.write_text("Patient list\nLovelace, Ada 12/10/1950\n", encoding="utf-8")
    _refused_untouched(db_path, DatabaseDamagedError, "not a Superbill Desk database")


def _real_database(path: Path, patients: int = 400) -> None:
    from core.store import Patient

    with open_signed_in(path, seed_demo=True) as store, store.transaction():
        payer = store.payers()[0]
        for i in range(patients):
            store.save_patient(
                Patient(
                    first_name=f"Pat{i}",
                    last_name=f"Filler{i}",
                    date_of_birth=date(1950, 1, 1 + i % 28),
                    payer_id=payer.id,
                    member_id=f"M{i}",
                )
            )
    assert not path.with_name(path.name + "-wal").exists()  # closing checkpoints into the main file


def test_truncated_database_is_refused(db_path: Path) -> None:
    _real_database(db_path)
    data = db_path.read_bytes()
    assert len(data) > 40_000
    db_path.write_bytes(data[: len(data) // 3])
    _refused_untouched(db_path, DatabaseDamagedError, "database file")


def test_damaged_page_is_refused(db_path: Path) -> None:
    _real_database(db_path)
    data = bytearray(db_path.read_bytes())
    page = 4096
    # scribble over the middle of the file (table and index pages), keeping the header intact
    start = (len(data) // page // 2) * page
    data[start : start + 2 * page] = os.urandom(2 * page)
    db_path.write_bytes(bytes(data))
    _refused_untouched(db_path, DatabaseDamagedError, "database file")


def test_another_programs_database_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    _refused_untouched(db_path, DatabaseDamagedError, "another program")


def test_newer_schema_version_is_refused(db_path: Path) -> None:
    with open_signed_in(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    _refused_untouched(db_path, DatabaseTooNewError, "newer version")


def test_unknown_migration_is_refused(db_path: Path) -> None:
    with open_signed_in(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('superbill', '9999_future', 'x')"
    )
    conn.commit()
    conn.close()
    _refused_untouched(db_path, DatabaseTooNewError, "newer version")


def test_missing_folder_and_folder_path_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_signed_in(tmp_path / "nowhere" / "x.db")
    with pytest.raises(StoreError, match="is a folder"):
        open_signed_in(tmp_path)


def test_reopening_applies_nothing_and_keeps_data(db_path: Path) -> None:
    with open_signed_in(db_path) as store:
        rows = store.verify_audit().rows
    with open_signed_in(db_path) as store:
        assert store.verify_audit().rows == rows + 1  # only this sign-in was written
        names = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert names == sorted(schema.known_migrations())


def test_read_only_file_is_a_clear_error(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.store.opening as opening

    def read_only(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(opening, "prepare", read_only)
    with pytest.raises(StoreError, match="may not write to it") as err:
        open_signed_in(db_path)
    assert "read-only" in str(err.value)


def test_locked_file_is_a_clear_error(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.store.opening as opening

    with open_signed_in(db_path):
        pass
    monkeypatch.setattr(opening, "LOCK_TIMEOUT_S", 0.2)
    other = sqlite3.connect(db_path)
    other.execute("PRAGMA journal_mode = DELETE")  # a rollback-journal file is locked whole by a writer
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="another program is using it"):
            open_signed_in(db_path)
    finally:
        other.rollback()
        other.close()


def test_interrupted_first_start_gets_its_demo_data_next_time(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.store.demo as demo

    real = demo.seed_demo

    def power_cut(store: object) -> None:
        real(store)  # type: ignore[arg-type]
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(demo, "seed_demo", power_cut)
    with pytest.raises(KeyboardInterrupt):
        open_signed_in(db_path)
    monkeypatch.setattr(demo, "seed_demo", real)
    with open_signed_in(db_path) as store:
        assert store.is_set_up()
        assert len(store.search_patients("demo")) == 5
        assert len(store.providers()) == 1
    with open_signed_in(db_path) as store:
        assert len(store.search_patients("demo")) == 5


def test_a_database_without_demo_never_gets_it_later(db_path: Path) -> None:
    with open_signed_in(db_path, seed_demo=False) as store:
        assert store.is_set_up() and store.is_empty()
    with open_signed_in(db_path) as store:
        assert store.is_empty()
