"""The automatic daily backup: at most one a day, old ones deleted after the practice's number of days."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from core.backup import daily_backup_name, run_daily_backup
from core.paths import backups_dir
from core.store import Patient
from tests.signing_in import open_signed_in

TODAY = date(2026, 11, 27)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "superbill.db"
    with open_signed_in(path) as store:
        store.save_patient(Patient(first_name="Ada", last_name="Lovelace", date_of_birth=date(1950, 12, 10)))
    return path


def test_first_call_of_the_day_makes_a_checked_backup_and_the_second_does_nothing(
    db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    made = run_daily_backup(db, folder, TODAY)
    assert made == folder / "superbill-2026-11-27.db"
    with open_signed_in(made, seed_demo=False) as copy:
        assert [p.first_name for p in copy.search_patients("Lovelace")] == ["Ada"]
    assert run_daily_backup(db, folder, TODAY) is None
    assert sorted(p.name for p in folder.iterdir()) == ["superbill-2026-11-27.db"]


def test_backups_older_than_the_setting_are_deleted_and_others_left(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for age in range(0, 20):
        (folder / daily_backup_name(db, TODAY - timedelta(days=age + 1))).write_bytes(b"old")
    (folder / "my-own-copy.db").write_bytes(b"keep me")
    (folder / "other-2026-01-01.db").write_bytes(b"another database's backup")
    with open_signed_in(db) as store:
        store.set_setting("backup_days_to_keep", 5)

    run_daily_backup(db, folder, TODAY)

    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "my-own-copy.db",
        "other-2026-01-01.db",
        "superbill-2026-11-23.db",
        "superbill-2026-11-24.db",
        "superbill-2026-11-25.db",
        "superbill-2026-11-26.db",
        "superbill-2026-11-27.db",
    ]


def test_default_keeps_fourteen_days(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for day in range(30):
        run_daily_backup(db, folder, TODAY + timedelta(days=day))
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 14
    assert kept[-1] == daily_backup_name(db, TODAY + timedelta(days=29))


def test_an_open_store_can_be_passed_and_the_default_folder_is_the_data_folder(db: Path) -> None:
    with open_signed_in(db) as store:
        made = run_daily_backup(store, today=TODAY)
    assert made is not None and made.parent == backups_dir()
    assert made.name == "superbill-2026-11-27.db"


def test_keep_days_given_by_the_caller_wins(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    run_daily_backup(db, folder, TODAY - timedelta(days=1), keep_days=1)
    run_daily_backup(db, folder, TODAY, keep_days=1)
    assert [p.name for p in folder.iterdir()] == ["superbill-2026-11-27.db"]
