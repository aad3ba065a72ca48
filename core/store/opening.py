"""Opening a database file safely: refuse what is not ours, damaged or too new, before writing a byte.

Order matters. The file's first bytes, SQLite's ``quick_check`` and the schema version are all read
first; only a file that passes gets the write-ahead log switched on and pending migrations applied. A
refused file is left exactly as it was, so a damaged database can still be rescued from.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from core.errors import DatabaseDamagedError, StoreError
from core.store.schema import build_migrations, check_schema
from core.store.store import Clock, Store, default_user, utc_now

#: the first 16 bytes of every SQLite 3 database file
SQLITE_HEADER = b"SQLite format 3\x00"
#: seconds to wait when another program (a backup) briefly holds the file's lock
LOCK_TIMEOUT_S = 10.0
MEMORY = ":memory:"
#: page cache per connection, in KiB: a busy year of encounters stays in memory (SQLite default: 2 MiB)
CACHE_KIB = 32 * 1024


def _damaged(path: Path | str, what: str) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        f"The database file {path} {what}. It has not been changed. "
        "Restore your latest backup (superbill restore FILE), or open another file with --db."
    )


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database at all (a document, random bytes, a cut-off copy)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as err:
        raise StoreError(
            f"The database file {path} cannot be read ({err.strerror}). Check the file."
        ) from err
    if not head:
        return  # an empty file is a brand-new database
    if not head.startswith(SQLITE_HEADER):
        raise _damaged(path, "is not a Superbill Desk database (it is not a database file at all)")
    if len(head) < 100:
        raise _damaged(path, "is cut off: it is too short to be a database")


def _is_busy(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def _cannot_write(path: Path | str, err: sqlite3.OperationalError) -> StoreError:
    if _is_busy(err):
        why = "another program is using it (another Superbill Desk window, a backup or a copy in progress)"
        what = "Close the other program, wait a moment and try again."
    else:
        why = f"the program may not write to it ({err})"
        what = "Check that the file and its folder are not read-only and that the disk is not full."
    return StoreError(f"The database file {path} cannot be opened: {why}. It has not been changed. {what}")


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection to ``path`` (``":memory:"`` for a throw-away database); the file is not checked yet."""
    if str(path) != MEMORY:
        file = Path(path)
        if file.is_dir():
            raise StoreError(f"{file} is a folder, not a database file. Give the path of a .db file.")
        if not file.parent.is_dir():
            raise StoreError(f"The folder {file.parent} does not exist. Choose a folder that exists.")
        if file.exists():
            check_header(file)
    try:
        return sqlite3.connect(str(path), timeout=LOCK_TIMEOUT_S)
    except sqlite3.Error as err:
        raise StoreError(f"The database file {path} cannot be opened ({err}).") from err


def check_before_writing(conn: sqlite3.Connection, path: Path | str) -> bool:
    """``PRAGMA quick_check`` and the schema check, reading only. Returns True for a brand-new file."""
    try:
        found = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
        if found != ["ok"]:
            raise _damaged(path, f"is damaged (the database check found: {found[0]})")
        return check_schema(conn, path)
    except sqlite3.OperationalError as err:
        if _is_busy(err) or "unable to open" in str(err).lower():
            raise _cannot_write(path, err) from err
        raise _damaged(path, f"could not be read as a database ({err})") from err
    except sqlite3.DatabaseError as err:
        raise _damaged(path, f"could not be read as a database ({err})") from err


def prepare(conn: sqlite3.Connection, *, in_memory: bool) -> Database:
    """Switch on the safety settings and apply pending migrations (the file already passed its checks)."""
    db = Database(conn, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")
    db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    db.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT_S * 1000)}")
    if not in_memory:
        db.enable_wal()
    build_migrations().apply(db)
    return db


def open_store(
    path: Path | str | None = None,
    *,
    seed_demo: bool = True,
    clock: Clock | None = None,
    user: str | None = None,
) -> Store:
    """Open (or create) the practice database and return its ``Store``.

    ``path`` None means the file in the user data folder (``core.paths.default_db_path()``);
    ``":memory:"`` gives a throw-away database (tests). A brand-new database gets the demo practice
    when ``seed_demo`` is true — also on the next start if the first one was cut off before the
    demo data was in (the set-up is recorded in the same transaction as the demo data).

    Raises:
        DatabaseDamagedError: not a database, damaged, or another program's database (file untouched).
        DatabaseTooNewError: written by a newer version of the program (file untouched).
        StoreError: the file or its folder cannot be used.
    """
    if path is None:
        from core.paths import default_db_path

        path = default_db_path()
    in_memory = str(path) == MEMORY
    location: Path | str = path if in_memory else Path(path)
    conn = connect(location)
    try:
        is_new = check_before_writing(conn, location)
        try:
            db = prepare(conn, in_memory=in_memory)
        except sqlite3.OperationalError as err:
            raise _cannot_write(location, err) from err
    except BaseException:
        conn.close()
        raise
    store = Store(
        db,
        None if in_memory else Path(location),
        clock=clock or utc_now,
        user=user or default_user(),
    )
    if is_new or not store.is_set_up():
        from core.store.demo import set_up

        try:
            set_up(store, with_demo=seed_demo)
        except BaseException:
            store.close()
            raise
    return store
