"""Files and folders the program creates are private to the user (0600/0700 on macOS and Linux).

The database holds protected health information; a shared front-desk computer has other accounts.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from core import paths
from core.backup import backup_database, run_daily_backup
from core.logs import configure_logging
from tests.signing_in import open_signed_in

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows: the per-user data folder is private")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_its_database_backups_and_logs_are_private(isolated_data_dir: Path) -> None:
    os.umask(0o022)  # an ordinary desktop umask: world-readable unless the program says otherwise
    db = paths.default_db_path()
    with open_signed_in(db) as store:
        daily = run_daily_backup(store, today=date(2026, 12, 1), keep_days=3)
        copy = backup_database(db, isolated_data_dir / "copy.db")
    log = paths.log_file()
    configure_logging()
    assert daily is not None
    for folder in (isolated_data_dir, paths.backups_dir(), log.parent):
        assert _mode(folder) == 0o700, folder
    for file in (db, Path(f"{db}-wal"), daily, copy, log):
        if file.exists():
            assert _mode(file) & 0o077 == 0, f"{file} is {oct(_mode(file))}"


def test_an_existing_data_folder_that_others_could_read_is_tightened(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(mode=0o755, parents=True)
    isolated_data_dir.chmod(0o755)
    assert _mode(paths.data_dir()) == 0o700
