"""`superbill backup`, `restore` and `verify` through the dispatcher: messages and exit statuses."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

import main
from core.store import Patient
from tests.signing_in import open_signed_in


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "superbill.db"
    with open_signed_in(path) as store:
        store.save_patient(Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 12, 10)))
    return path


def test_backup_then_restore_round_trip(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.db"
    assert main.main(["--db", str(db), "backup", str(copy)]) == 0
    assert str(copy) in capsys.readouterr().out
    with open_signed_in(db) as store:
        store.save_patient(Patient(first_name="Byron", last_name="Lovelace", date_of_birth=date(1980, 1, 1)))

    assert main.main(["--db", str(db), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "before-restore" in out
    with open_signed_in(db) as store:
        assert [p.first_name for p in store.search_patients("Lovelace")] == ["Ada"]


def test_backup_uses_the_default_database_without_db(
    isolated_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_signed_in():
        pass
    assert main.main(["backup", str(tmp_path / "copy.db")]) == 0
    assert (tmp_path / "copy.db").is_file()


def test_backup_of_a_missing_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--db", str(tmp_path / "none.db"), "backup", str(tmp_path / "copy.db")]) == 2
    err = capsys.readouterr().err
    assert "no database" in err and "Traceback" not in err
    assert not (tmp_path / "none.db").exists()


def test_restore_of_a_bad_file_exits_2_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    before = db.read_bytes()
    assert main.main(["--db", str(db), "restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not a Superbill Desk database" in err
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*before-restore*"))


def test_verify_a_sound_database(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--db", str(db), "verify"]) == 0
    out = capsys.readouterr().out
    assert "File check: ok" in out
    assert "Audit log: ok" in out


def test_verify_finds_a_changed_audit_row(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET who = 'someone else' WHERE id = (SELECT max(id) FROM audit_log)")
    conn.commit()
    conn.close()
    assert main.main(["--db", str(db), "verify"]) == 2
    out = capsys.readouterr().out
    assert "Audit log: PROBLEM" in out
    assert "Problems were found" in out


def test_verify_finds_a_damaged_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_signed_in(db) as store:
        for n in range(80):
            store.save_patient(Patient(first_name=f"P{n}", last_name="Many", date_of_birth=date(1960, 1, 1)))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = bytearray(db.read_bytes())
    for offset in range(3 * 4096, len(data) - 4096, 2 * 4096):
        data[offset : offset + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))
    assert main.main(["--db", str(db), "verify"]) == 2
    out = capsys.readouterr().out
    assert "DAMAGED" in out and "superbill restore" in out


def test_verify_a_missing_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--db", str(tmp_path / "none.db"), "verify"]) == 2
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def _stray_wal(db: Path) -> None:
    """Leave committed rows in a -wal beside the file, as a crash (or the open window) does. The change
    is the program's own (with its audit row), so the data check has nothing to report."""
    import os
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "from dataclasses import replace\n"
        "from tests.signing_in import open_signed_in\n"
        "store = open_signed_in(sys.argv[1], seed_demo=False)\n"
        "patient = store.search_patients('Lovelace')[0]\n"
        "store.save_patient(replace(patient, phone='(217) 555-0100'))\n"
        "os._exit(0)\n"  # no close: no checkpoint, the -wal stays
    )
    subprocess.run([sys.executable, "-c", script, str(db)], check=True, env={**os.environ})


def test_verify_reads_only_and_never_changes_a_byte(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A stray -wal is read, not merged into the file; an unfinished set-up is not finished."""
    _stray_wal(db)
    wal = Path(f"{db}-wal")
    before = (db.read_bytes(), wal.read_bytes())
    assert main.main(["--db", str(db), "verify"]) == 0, capsys.readouterr()
    assert (db.read_bytes(), wal.read_bytes()) == before


def test_verify_runs_the_foreign_key_check(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE patients SET payer_id = 999 WHERE id = (SELECT min(id) FROM patients)")
    conn.commit()
    conn.close()
    assert main.main(["--db", str(db), "verify"]) == 2
    out = capsys.readouterr().out
    assert "References: PROBLEM" in out and "patients" in out


def test_a_database_that_cannot_be_written_is_not_called_damaged(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder (SQLite may open the file but write nothing): "cannot be opened", exit 2,
    never "damaged, restore a backup"."""
    from core.store import connections, opening

    def read_only_folder(path: Path | str, *, read_only: bool = False, timeout: float = 10.0) -> object:
        return connections.connect(path, read_only=True, timeout=timeout)

    monkeypatch.setattr(opening, "connect", read_only_folder)
    before = db.read_bytes()
    assert main.main(["--db", str(db), "demo", "remove"]) == 2
    err = capsys.readouterr().err
    assert "cannot be opened" in err and "read-only" in err
    assert "damaged" not in err.lower() and "restore" not in err.lower()
    assert db.read_bytes() == before


def test_a_read_the_disk_refuses_is_a_message_not_a_bug(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.store.verbs.setup import SetupVerbs

    def disk_error(self: object) -> tuple[int, int]:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SetupVerbs, "remove_demo_data", disk_error)
    assert main.main(["--db", str(db), "demo", "remove"]) == 2
    err = capsys.readouterr().err
    assert "could not be read" in err and "disk" in err and "bug" not in err
