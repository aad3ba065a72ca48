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
* Every file is encrypted (SQLCipher, through ``sqlcipher3``): ``connect`` applies the database's key
  (``core.store.keys``) before anything reads the file, and checks that the key opens it. sqlcipher3's
  exception classes are not the standard library's: catch ``Error``, ``DatabaseError``,
  ``OperationalError`` and ``IntegrityError`` from here (each is both).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DatabaseDamagedError, StoreBusyError, StoreError
from core.paths import private_file
from core.store import keys

if TYPE_CHECKING:  # sqlcipher3 has the standard library's API (and no type information of its own)
    from sqlite3 import dbapi2 as sqlcipher
else:
    from sqlcipher3 import dbapi2 as sqlcipher

#: what SQLCipher and the standard library raise (a test or an old file may use either)
Error = (sqlcipher.Error, sqlite3.Error)
DatabaseError = (sqlcipher.DatabaseError, sqlite3.DatabaseError)
OperationalError = (sqlcipher.OperationalError, sqlite3.OperationalError)
IntegrityError = (sqlcipher.IntegrityError, sqlite3.IntegrityError)
Connection = sqlcipher.Connection
Row = sqlcipher.Row

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


class TrackedConnection(sqlcipher.Connection):
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
        # not contextlib.suppress: a connection still open when the interpreter ends (a background
        # check cut short by quitting) is collected after this module's globals are gone
        try:  # noqa: SIM105
            self.close()
        except Exception:  # nothing to tell: the object is going away
            pass


class PlainDatabaseError(StoreError):
    """The file is an unencrypted database (made before encryption): it must be converted first."""


_quiet = False


def _raw(target: str, *, uri: bool = False, timeout: float) -> TrackedConnection:
    global _quiet
    conn = sqlcipher.connect(
        target, uri=uri, timeout=timeout, isolation_level=None, factory=TrackedConnection
    )
    assert isinstance(conn, TrackedConnection)
    if not _quiet:  # SQLCipher would print a line to standard error for every wrong key
        conn.execute("PRAGMA cipher_log_level = NONE")
        _quiet = True
    return conn


def apply_key(conn: sqlite3.Connection, key: bytes) -> None:
    """Give ``conn`` the database key (a raw 256-bit key: no key stretching when opening)."""
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def _readable(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except DatabaseError as err:
        if _base_name(err) == "SQLITE_NOTADB":
            return False
        raise
    return True


def is_plain_database(path: Path) -> bool:
    """True when ``path`` is an unencrypted SQLite database (SQLite reads it without a key)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    conn = _raw(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=LOCK_TIMEOUT_S)
    try:
        return _readable(conn)
    except DatabaseError:
        return False
    finally:
        conn.close()


def _looks_encrypted(path: Path) -> bool:
    """An SQLCipher file is whole pages of random-looking bytes (512 to 65536 bytes each)."""
    size = path.stat().st_size
    return size > 0 and size % 512 == 0


def connect(
    path: Path | str,
    *,
    read_only: bool = False,
    timeout: float = LOCK_TIMEOUT_S,
    key: bytes | None = None,
    plain: bool = False,
) -> sqlite3.Connection:
    """A connection to ``path`` (``":memory:"`` for a throw-away database), in autocommit mode.

    Autocommit (``isolation_level=None``) means Python never starts a transaction on its own: reads run
    one statement at a time and every write goes through ``write_transaction``. ``read_only`` opens with
    a read-only URI: nothing through it can change a byte of the database or its log.

    The file is opened with ``key``, or else with the key this computer keeps for it. ``plain`` allows
    an unencrypted database (to convert it or to restore an old backup); otherwise one raises
    ``PlainDatabaseError``. A file this computer has no key for raises ``keys.KeyMissingError``.
    """
    if str(path) == MEMORY:
        return _raw(MEMORY, timeout=timeout)
    file = Path(path)
    if file.is_dir():
        raise StoreError(f"{file} is a folder, not a database file. Give the path of a .db file.")
    if not file.parent.is_dir():
        raise StoreError(f"The folder {file.parent} does not exist. Choose a folder that exists.")
    if read_only and not file.is_file():
        raise StoreError(f"There is no database at {file}. Check the name and try again.")
    if key is None:
        key = keys.load_key(file)
    has_data = file.is_file() and file.stat().st_size > 0
    if key is None and not (plain and has_data):
        if has_data and is_plain_database(file):
            raise PlainDatabaseError(
                f"The database {file} is not encrypted yet. Open it in Superbill Desk (or run any "
                "superbill command on it) to encrypt it. Nothing was changed."
            )
        if has_data and not _looks_encrypted(file):
            raise damaged(file, "is not a Superbill Desk database (it is not a database file at all)")
        raise keys.KeyMissingError(file)
    conn = _open_file(file, read_only=read_only, timeout=timeout)
    try:
        if key is not None:
            apply_key(conn, key)
        if has_data and not _readable(conn):
            conn.close()
            if not (plain and is_plain_database(file)):
                _refuse_unreadable(file)
            conn = _open_file(file, read_only=read_only, timeout=timeout)  # unencrypted: read as it is
    except Error as err:
        conn.close()
        raise cannot_open(file, err) from err
    except BaseException:
        conn.close()
        raise
    return conn


def _open_file(file: Path, *, read_only: bool, timeout: float) -> TrackedConnection:
    try:
        if read_only:
            conn = _raw(file.resolve().as_uri() + "?mode=ro", uri=True, timeout=timeout)
        else:
            private_file(file)
            conn = _raw(str(file), timeout=timeout)
    except OSError as err:
        raise StoreError(
            f"The database file {file} cannot be created ({err.strerror}). "
            "Check that the folder is not read-only and that the disk is not full."
        ) from err
    except Error as err:
        raise cannot_open(file, err) from err
    conn.track(_key(file))
    return conn


def _refuse_unreadable(file: Path) -> None:
    """The key did not open ``file``: it is unencrypted, another database, or not a database at all."""
    if is_plain_database(file):
        raise PlainDatabaseError(
            f"The database {file} is not encrypted yet. Open it in Superbill Desk (or run any superbill "
            "command on it) to encrypt it. Nothing was changed."
        )
    if not _looks_encrypted(file):
        raise damaged(file, "is not a Superbill Desk database (it is not a database file at all)")
    raise keys.KeyMissingError(file)


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
        except OperationalError as err:
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
        import secrets

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
            with contextlib.suppress(*Error):
                conn.execute("ROLLBACK")
        if isinstance(err, OperationalError) and is_storage_failure(err):
            raise cannot_write(path, err) from err
        raise


# ---------------------------------------------------------------------------------------------------------
# Other programs


def others_connected(path: Path, *, plain: bool = False) -> bool:
    """True when another connection (another program, or another window) has ``path`` open.

    Every open SQLite connection in write-ahead-log mode holds a shared lock on the file; this asks for
    the exclusive lock without waiting. Call it only when this process has no connection to the file.
    ``plain`` is for an unencrypted file (else the file's key is applied: SQLCipher must read page 1).
    """
    if not path.exists():
        return False
    key = None if plain else keys.load_key(path)
    conn = _raw(str(path), timeout=0)
    conn.track(_key(path))
    try:
        if key is not None:  # without its key SQLCipher cannot even read the first page
            apply_key(conn, key)
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except OperationalError as err:
        if is_busy(err):
            return True
        raise
    except DatabaseError:
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
