"""Opening a database file safely: refuse what is not ours, damaged or too new, before writing a byte.

Order matters. SQLite's ``quick_check`` (which also tells a file that is not a database at all; the
window runs it in the background instead, ``core.store.file_check``) and the schema version are read
first; only a file that passes gets the write-ahead log switched on and pending migrations applied.
A refused file is left exactly as it was, so a damaged database can still be rescued from. Connections
come from ``core.store.connections`` (no ``open()`` of the file, ever).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from core.errors import DatabaseDamagedError, StoreError
from core.store import sessions
from core.store.connections import LOCK_TIMEOUT_S, cannot_open, connect, write_transaction
from core.store.file_check import quick_check
from core.store.schema import build_migrations, check_schema
from core.store.store import Clock, Store, default_user, utc_now

MEMORY = ":memory:"
#: page cache per connection, in KiB: a busy year of encounters stays in memory (SQLite default: 2 MiB)
CACHE_KIB = 32 * 1024


def check_before_writing(conn: sqlite3.Connection, path: Path | str, *, whole_file: bool = True) -> bool:
    """The schema check (and with ``whole_file`` ``PRAGMA quick_check`` first), reading only. Returns
    True for a brand-new file.

    SQLite itself tells a file that is not a database ("file is not a database"): the file is never
    read with ``open()`` (see ``core.store.connections``). Without ``whole_file`` only the first pages
    are read (see ``core.store.file_check``): the cost does not grow with the file.
    """
    if whole_file:
        quick_check(conn, path)
    try:
        return check_schema(conn, path)
    except sqlite3.DatabaseError as err:
        raise cannot_open(path, err) from err


class StoreDatabase(Database):
    """sqlite-utils' ``Database`` whose transactions take the write lock first (``BEGIN IMMEDIATE``).

    sqlite-utils' own ``atomic`` begins with a plain ``BEGIN``: a transaction that reads and then writes
    is refused at once ("database is locked") when another program writes at the same moment, without
    waiting. Everything that writes through sqlite-utils (the schema migrations) comes through here.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | str) -> None:
        super().__init__(conn, execute_plugins=False)
        self.location = path

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        with write_transaction(self.conn, self.location):
            yield self


def prepare(conn: sqlite3.Connection, location: Path | str, *, in_memory: bool) -> StoreDatabase:
    """Switch on the safety settings and apply pending migrations (the file already passed its checks)."""
    db = StoreDatabase(conn, location)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")
    db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    db.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT_S * 1000)}")
    if not in_memory:
        db.enable_wal()
    migrations = build_migrations()
    if migrations.pending(db):
        with db.atomic():  # one writer migrates; a second program starting now waits, then finds none
            migrations.apply(db)
    return db


def open_store(
    path: Path | str | None = None,
    *,
    seed_demo: bool = True,
    clock: Clock | None = None,
    user: str | None = None,
    program: str = "Superbill Desk",
    whole_file_check: bool = True,
) -> Store:
    """Open (or create) the practice database and return its ``Store``.

    ``path`` None means the file in the user data folder (``core.paths.default_db_path()``);
    ``":memory:"`` gives a throw-away database (tests). A brand-new database gets the demo practice
    when ``seed_demo`` is true — also on the next start if the first one was cut off before the
    demo data was in (the set-up is recorded in the same transaction as the demo data).

    ``program`` names this program in the list of programs that have the file open (see
    ``core.store.sessions``), e.g. "Superbill Desk window" or "superbill import".

    ``whole_file_check`` False leaves out SQLite's check of every page (``PRAGMA quick_check``): the
    window opens at the same speed whatever the size of the file and runs the check in the background
    (``core.store.file_check.check_file``). The schema marks are checked either way.

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
        is_new = check_before_writing(conn, location, whole_file=whole_file_check)
        try:
            db = prepare(conn, location, in_memory=in_memory)
        except sqlite3.DatabaseError as err:
            raise cannot_open(location, err) from err
    except BaseException:
        conn.close()
        raise
    store = Store(
        db,
        None if in_memory else Path(location),
        clock=clock or utc_now,
        user=user or default_user(),
    )
    try:
        _finish_opening(store, conn, location, is_new=is_new, seed_demo=seed_demo, program=program)
    except BaseException:
        store.close()
        raise
    return store


def _finish_opening(
    store: Store,
    conn: sqlite3.Connection,
    location: Path | str,
    *,
    is_new: bool,
    seed_demo: bool,
    program: str,
) -> None:
    """The first start's set-up (when not done yet) and this program's entry in ``sessions``. A write
    that fails here means the file cannot be used ("cannot be opened"), not that a change was lost."""
    try:
        if is_new or not store.is_set_up():
            from core.store.demo import set_up

            set_up(store, with_demo=seed_demo)
        if str(location) != MEMORY:
            store.session_id = sessions.register(
                conn, location, program=program, user=store.user, at=store.now()
            )
    except StoreError as err:
        cause = err.__cause__
        if isinstance(cause, sqlite3.Error) and not isinstance(err, DatabaseDamagedError):
            raise cannot_open(location, cause) from cause
        raise
