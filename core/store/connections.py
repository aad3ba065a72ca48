"""Every connection to a database file is made here: one set of rules for the window, the commands and
the background backup, which all run at the same time on one file.

Why this module exists (SQLite's "How To Corrupt An SQLite Database File", section 2.2): on macOS and
Linux, closing *any* descriptor of a file drops every lock the process holds on it. A program that
opens the database file with ``open()`` beside its own SQLite connection silently loses its locks; the
next program then believes it is alone, checkpoints and deletes the write-ahead log under it, and the
file is damaged. So the rules are:

* Nothing opens a database file (or its ``-wal``/``-shm``) except SQLite, through ``connect`` here. The
  only other touch is ``core.paths.private_file``, for a file that does not exist yet (no lock to lose).
  ``open_here`` lists the files this process has connections to; the test suite fails any ``open()`` of
  one of them.
* Every transaction that may write begins ``IMMEDIATE`` (``write_transaction``): the write lock is
  taken first, so SQLite's busy timeout applies and a second writer waits its turn instead of failing
  at the first overlap. A lock still held after the timeout is retried a bounded number of times.
* ``others_connected`` tells whether another program has the file open, without changing it, for the
  commands that must be alone (restore).
* SQLite's error codes decide the message: "cannot be opened or written" (permissions, read-only, full
  disk, in use) is never reported as "damaged".
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from core.errors import DatabaseDamagedError, StoreBusyError, StoreError
from core.paths import private_file

#: seconds one attempt waits for another program's lock (SQLite's busy timeout)
LOCK_TIMEOUT_S = 10.0
#: attempts to take the write lock before giving up (so at most about 30 s of waiting)
WRITE_ATTEMPTS = 3
MEMORY = ":memory:"
#: the files SQLite keeps beside a database
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")

_lock = threading.Lock()
_open: Counter[str] = Counter()


def _key(path: Path | str) -> str:
    return os.path.normcase(str(Path(path).resolve()))


def open_here() -> frozenset[str]:
    """The database files (resolved paths) this process has at least one open connection to."""
    with _lock:
        return frozenset(name for name, count in _open.items() if count > 0)


def database_of(path: Path | str) -> str:
    """The database file a path belongs to (``x.db-wal`` -> ``x.db``), resolved, for ``open_here``."""
    text = str(path)
    for suffix in COMPANION_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return _key(text)


class TrackedConnection(sqlite3.Connection):
    """A connection that is listed in ``open_here`` until it is closed."""

    _tracked_key: str | None = None

    def track(self, key: str) -> None:
        with _lock:
            _open[key] += 1
        self._tracked_key = key

    def close(self) -> None:
        key, self._tracked_key = self._tracked_key, None
        try:
            super().close()
        finally:
            if key is not None:
                with _lock:
                    _open[key] -= 1
                    if _open[key] <= 0:
                        del _open[key]

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


def connect(
    path: Path | str, *, read_only: bool = False, timeout: float = LOCK_TIMEOUT_S
) -> sqlite3.Connection:
    """A connection to ``path`` (``":memory:"`` for a throw-away database), in autocommit mode.

    Autocommit (``isolation_level=None``) means Python never starts a transaction on its own: reads run
    one statement at a time and every write goes through ``write_transaction``. ``read_only`` opens with
    a read-only URI: nothing through it can change a byte of the database or its log.
    """
    if str(path) == MEMORY:
        return sqlite3.connect(MEMORY, isolation_level=None, factory=TrackedConnection)
    file = Path(path)
    if file.is_dir():
        raise StoreError(f"{file} is a folder, not a database file. Give the path of a .db file.")
    if not file.parent.is_dir():
        raise StoreError(f"The folder {file.parent} does not exist. Choose a folder that exists.")
    if read_only and not file.is_file():
        raise StoreError(f"There is no database at {file}. Check the name and try again.")
    try:
        if read_only:
            uri = file.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(
                uri, uri=True, timeout=timeout, isolation_level=None, factory=TrackedConnection
            )
        else:
            private_file(file)
            conn = sqlite3.connect(
                str(file), timeout=timeout, isolation_level=None, factory=TrackedConnection
            )
    except OSError as err:
        raise StoreError(
            f"The database file {file} cannot be created ({err.strerror}). "
            "Check that the folder is not read-only and that the disk is not full."
        ) from err
    except sqlite3.Error as err:
        raise cannot_open(file, err) from err
    assert isinstance(conn, TrackedConnection)
    conn.track(_key(file))
    return conn


# ---------------------------------------------------------------------------------------------------------
# Transactions


def is_busy(err: sqlite3.Error) -> bool:
    """True when another connection held the lock (SQLITE_BUSY or SQLITE_LOCKED)."""
    name = getattr(err, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    text = str(err).lower()
    return "database is locked" in text or "database is busy" in text


def begin_immediate(conn: sqlite3.Connection, path: Path | str) -> None:
    """Begin a write transaction holding the write lock; wait, then retry a few times, when busy."""
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as err:
            if not is_busy(err):
                raise cannot_write(path, err) from err
            if attempt == WRITE_ATTEMPTS:
                raise StoreBusyError(
                    f"The database {path} stayed busy: another program (another Superbill Desk window, "
                    "an import or a backup) kept it locked for too long. Nothing was changed. "
                    "Wait a moment and try again."
                ) from err
            time.sleep(0.05 * attempt)


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path | str) -> Iterator[None]:
    """All of the writes inside are stored, or none. Nests (an inner block is a savepoint).

    A failure that SQLite reports while writing (full disk, read-only file, lock lost) rolls the whole
    change back and becomes a ``StoreError`` saying that nothing of it was stored.
    """
    if conn.in_transaction:
        name = f"sb_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    begin_immediate(conn, path)
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as err:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if isinstance(err, sqlite3.OperationalError) and is_storage_failure(err):
            raise cannot_write(path, err) from err
        raise


# ---------------------------------------------------------------------------------------------------------
# Other programs


def others_connected(path: Path) -> bool:
    """True when another connection (another program, or another window) has ``path`` open.

    Every open SQLite connection in write-ahead-log mode holds a shared lock on the file; this asks for
    the exclusive lock without waiting. Call it only when this process has no connection to the file.
    """
    if not path.exists():
        return False
    conn = sqlite3.connect(str(path), timeout=0, isolation_level=None, factory=TrackedConnection)
    assert isinstance(conn, TrackedConnection)
    conn.track(_key(path))
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as err:
        if is_busy(err):
            return True
        raise
    except sqlite3.DatabaseError:
        return False  # not an SQLite database: no SQLite program can be using it
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------------------
# What a failure means

_DAMAGE = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_STORAGE = {"SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"}


def _base_name(err: sqlite3.Error) -> str:
    name = getattr(err, "sqlite_errorname", "") or ""
    for base in (*_DAMAGE, *_STORAGE, "SQLITE_BUSY", "SQLITE_LOCKED"):
        if name.startswith(base):
            return base
    text = str(err).lower()
    if "disk is full" in text:
        return "SQLITE_FULL"
    if "readonly" in text or "read-only" in text:
        return "SQLITE_READONLY"
    if "unable to open" in text:
        return "SQLITE_CANTOPEN"
    if "disk i/o" in text:
        return "SQLITE_IOERR"
    if "not a database" in text:
        return "SQLITE_NOTADB"
    if "malformed" in text:
        return "SQLITE_CORRUPT"
    return name


def is_damage(err: sqlite3.Error) -> bool:
    """True when SQLite says the file itself is damaged or not a database."""
    return _base_name(err) in _DAMAGE


def is_storage_failure(err: sqlite3.Error) -> bool:
    """True when SQLite could not read or write the file (permissions, full disk, locks), not a bug."""
    return _base_name(err) in _STORAGE or is_busy(err)


def _why(err: sqlite3.Error) -> tuple[str, str]:
    base = _base_name(err)
    if base == "SQLITE_FULL":
        return "the disk is full", "Free some space on the disk, then try again."
    if base in ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN"):
        return (
            "the program may not write to it (the file or its folder is read-only, or not yours)",
            "Check that the file and its folder are not read-only and belong to you, then try again.",
        )
    if base == "SQLITE_IOERR":
        return (
            "the disk reported an error while reading or writing (it may be full, removed or failing)",
            "Check the disk (free space, the cable of an external disk), then try again.",
        )
    if is_busy(err):
        return (
            "another program is using it (another Superbill Desk window, an import or a backup)",
            "Wait a moment and try again.",
        )
    return f"SQLite reported: {err}", "Try again; if it keeps failing, run superbill verify."


def cannot_open(path: Path | str, err: sqlite3.Error) -> StoreError:
    """The message for a file that could not be opened: damaged only when SQLite says so."""
    if _base_name(err) == "SQLITE_NOTADB":
        return damaged(path, "is not a Superbill Desk database (it is not a database file at all)")
    if is_damage(err):
        return damaged(path, f"is damaged: it could not be read as a database ({err})")
    why, what = _why(err)
    return StoreError(f"The database file {path} cannot be opened: {why}. It has not been changed. {what}")


def cannot_read(err: sqlite3.Error) -> StoreError:
    """The message for a read SQLite could not do after the file was opened (the disk, a lock, damage)."""
    if is_damage(err):
        return DatabaseDamagedError(
            f"The database could not be read: it is damaged ({err}). Run superbill verify to check it."
        )
    why, what = _why(err)
    return StoreError(f"The database could not be read: {why}. Nothing was changed. {what}")


def cannot_write(path: Path | str, err: sqlite3.Error) -> StoreError:
    """The message for a change that could not be stored: the whole change was rolled back."""
    if is_damage(err):
        return damaged(path, f"failed while saving ({err})")
    why, what = _why(err)
    error = StoreBusyError if is_busy(err) else StoreError
    return error(
        f"The change could not be saved to {path}: {why}. Nothing of this change was stored; "
        f"everything saved before it is safe. {what}"
    )


def damaged(path: Path | str, what: str) -> DatabaseDamagedError:
    """The message for a damaged or foreign file (left as it was)."""
    return DatabaseDamagedError(
        f"The database file {path} {what}. It has not been changed. "
        "Restore your latest backup (superbill restore FILE), or open another file with --db."
    )
