"""Where the program keeps its files on this computer: the one place that decides it.

The default folder comes from ``platformdirs`` (``%LOCALAPPDATA%`` on Windows, ``~/Library/Application
Support`` on macOS, ``~/.local/share`` on Linux). ``SUPERBILL_DATA_DIR`` overrides it; the test suite
sets it so no test ever touches a real practice's data.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "SuperbillDesk"
APP_AUTHOR = "SuperbillDesk"
DATA_DIR_ENV = "SUPERBILL_DATA_DIR"
DB_FILE_NAME = "superbill.db"


def data_dir() -> Path:
    """The folder for the database, backups and logs (created when missing)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        folder = Path(override)
    else:
        from platformdirs import user_data_path

        folder = user_data_path(APP_NAME, APP_AUTHOR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_db_path() -> Path:
    """The database file used when ``--db`` is not given."""
    return data_dir() / DB_FILE_NAME


def backups_dir() -> Path:
    """The folder for the automatic daily backups."""
    folder = data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_file() -> Path:
    """The log file where unexpected errors are written with their traceback."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "superbill.log"
