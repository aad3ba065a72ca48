"""Where the program keeps its files on this computer: the one place that decides it.

The default folder comes from ``platformdirs`` (``%LOCALAPPDATA%`` on Windows, ``~/Library/Application
Support`` on macOS, ``~/.local/share`` on Linux). ``SUPERBILL_DATA_DIR`` overrides it; the test suite
sets it so no test ever touches a real practice's data.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

APP_NAME = "SuperbillDesk"
APP_AUTHOR = "SuperbillDesk"
DATA_DIR_ENV = "SUPERBILL_DATA_DIR"
DB_FILE_NAME = "superbill.db"


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and its parents) if missing, readable only by this user, and return it.

    On macOS and Linux the folder gets mode 0700 (an existing one of ours is tightened to it); on
    Windows the per-user data folder is already private to the user, so nothing is changed there.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "nt" and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def private_file(path: Path) -> Path:
    """Create an empty file readable only by this user (0600 on macOS/Linux) when there is none; return
    ``path``. For a database file SQLite then gives its ``-wal`` and ``-shm`` the same permissions."""
    if not path.exists():  # checked first: an existing file is never opened (see core.store.connections)
        with contextlib.suppress(FileExistsError):  # O_EXCL: made by another program a moment ago
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def data_dir() -> Path:
    """The folder for the database, backups and logs (created when missing, private to the user)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        folder = Path(override)
    else:
        from platformdirs import user_data_path

        folder = user_data_path(APP_NAME, APP_AUTHOR)
    return private_dir(folder)


def default_db_path() -> Path:
    """The database file used when ``--db`` is not given."""
    return data_dir() / DB_FILE_NAME


def backups_dir() -> Path:
    """The folder for the automatic daily backups."""
    return private_dir(data_dir() / "backups")


def log_file() -> Path:
    """The log file where unexpected errors are written with their traceback."""
    return private_file(private_dir(data_dir() / "logs") / "superbill.log")
