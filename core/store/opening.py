"""Opening a database file safely: refuse what is not ours, damaged or too new, before writing a byte.

Order matters. SQLite's ``quick_check`` (which also tells a file that is not a database at all; the
window runs it in the background instead, ``core.store.file_check``) and the schema version are read
first; only a file that passes gets the write-ahead log switched on and pending migrations applied.
A refused file is left exactly as it was, so a damaged database can still be rescued from. Connections
come from ``core.store.connections`` (no ``open()`` of the file, ever).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DatabaseDamagedError, StoreError
from core.store import connections, keys
from core.store.connections import LOCK_TIMEOUT_S, cannot_open, connect
from core.store.keys import RecoveryKey
from core.store.schema import check_schema, up_to_date

if TYPE_CHECKING:  # the store's verbs and records are imported when a checked file is finished
    from core.store.store import Clock, Store

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
        from core.store.file_check import quick_check

        quick_check(conn, path)
    try:
        return check_schema(conn, path)
    except connections.DatabaseError as err:
        raise cannot_open(path, err) from err


class OpenFile:
    """The store's open file: its connection (sqlite-utils is needed only to migrate, ``migrating``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def close(self) -> None:
        self.conn.close()


def prepare(conn: sqlite3.Connection, location: Path | str, *, in_memory: bool) -> OpenFile:
    """Switch on the safety settings and apply pending migrations (the file already passed its checks)."""
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT_S * 1000)}")
    if not in_memory and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = wal")  # the connection is in autocommit mode: no transaction
    if not up_to_date(conn):
        from core.store.migrating import migrate

        migrate(conn, location)
    return OpenFile(conn)


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

    A new file is encrypted with a new key kept on this computer (``core.store.keys``); the store's
    ``new_recovery_key`` is then the recovery key to show once. An unencrypted database made before
    encryption is converted first (``core.store.encrypting``); its new recovery key is shown the same way.

    ``whole_file_check`` False leaves out SQLite's check of every page (``PRAGMA quick_check``): the
    window opens at the same speed whatever the size of the file and runs the check in the background
    (``core.store.file_check.check_file``). The schema marks are checked either way.

    ``open_store`` is ``check_file`` (nothing written) then ``CheckedFile.finish`` (the first writes);
    the window shows its sign-in screen between the two (``core.store.later``).

    Raises:
        KeyMissingError: the file is encrypted and this computer has no key for it (ask for the
            recovery key, then ``core.store.encrypting.unlock_with_recovery_key``).
        DatabaseDamagedError: not a database, damaged, or another program's database (file untouched).
        DatabaseTooNewError: written by a newer version of the program (file untouched).
        StoreError: the file or its folder cannot be used.
    """
    checked = check_file(path, whole_file_check=whole_file_check)
    return checked.finish(seed_demo=seed_demo, clock=clock, user=user, program=program)


class CheckedFile:
    """A database file opened and checked (our schema, not newer, the key works), nothing written yet
    (but a new file's key, kept on this computer): ``finish`` makes it a ``Store``; ``close`` if not."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        location: Path | str,
        in_memory: bool,
        is_new: bool,
        new_recovery_key: RecoveryKey | None,
    ) -> None:
        self.conn = conn
        self.location = location
        self.in_memory = in_memory
        self.is_new = is_new
        self.new_recovery_key = new_recovery_key

    @property
    def path(self) -> Path | None:
        return None if self.in_memory else Path(self.location)

    def needs_writes_first(self) -> bool:
        """True when what the file holds is known only after writing: a new file (set up with its
        first practice) or one whose schema is to be migrated."""
        return self.is_new or not up_to_date(self.conn)

    def has_accounts(self) -> bool:
        """What ``Store.has_accounts`` will answer, read without the store (the file must be up to
        date: ``needs_writes_first`` False)."""
        return self.conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def close(self) -> None:
        self.conn.close()

    def finish(
        self,
        *,
        seed_demo: bool = True,
        clock: Clock | None = None,
        user: str | None = None,
        program: str = "Superbill Desk",
    ) -> Store:
        """The safety settings, pending migrations, a new file's set-up and this program's entry in
        ``sessions``; the ``Store`` (the connection is closed when this fails)."""
        from core.store.store import Store, default_user, utc_now

        conn, location = self.conn, self.location
        try:
            try:
                db = prepare(conn, location, in_memory=self.in_memory)
            except connections.DatabaseError as err:
                raise cannot_open(location, err) from err
        except BaseException:
            conn.close()
            raise
        store = Store(db, self.path, clock=clock or utc_now, user=user or default_user())
        store.new_recovery_key = self.new_recovery_key
        try:
            _finish_opening(store, conn, location, is_new=self.is_new, seed_demo=seed_demo, program=program)
        except BaseException:
            store.close()
            raise
        return store


def check_file(path: Path | str | None = None, *, whole_file_check: bool = True) -> CheckedFile:
    """Open the database file and check it before writing a byte (``open_store``'s first half: a new
    file is made empty and its key kept; an unencrypted file is converted). Raises as ``open_store``."""
    if path is None:
        from core.paths import default_db_path

        path = default_db_path()
    in_memory = str(path) == MEMORY
    location: Path | str = path if in_memory else Path(path)
    new_recovery_key = None if in_memory else _key_for_new_file(Path(location))
    try:
        conn = connect(location)
    except connections.PlainDatabaseError:
        from core.store.encrypting import encrypt_plain_database

        new_recovery_key = encrypt_plain_database(Path(location))
        conn = connect(location)
    try:
        is_new = check_before_writing(conn, location, whole_file=whole_file_check)
    except BaseException:
        conn.close()
        raise
    return CheckedFile(conn, location, in_memory, is_new, new_recovery_key)


def _key_for_new_file(path: Path) -> RecoveryKey | None:
    """For a database about to be made: a new recovery key, its database key kept on this computer.
    None for an existing database (its key is in the key store already).

    Only the program that creates the (empty) file makes the key, so two programs starting on a new
    file at the same moment do not each make one: the other one waits a moment for the key to appear.
    """
    if path.is_dir() or not path.parent.is_dir():
        return None  # connect says what is wrong
    created = False
    if not path.exists():
        try:  # O_EXCL: exactly one program creates the file (no SQLite connection to it exists yet)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            created = True
        except FileExistsError:
            pass
        except OSError:
            return None  # connect says why the file cannot be made
    if not created:
        if path.stat().st_size > 0:
            return None
        for _ in range(_KEY_WAITS):
            if keys.load_key(path) is not None:
                return None  # made a moment ago by another program that is setting it up now
            time.sleep(0.05)
    recovery = RecoveryKey.new()
    keys.save_key(path, recovery.database_key)
    return recovery


#: times (50 ms apart) a program waits for the key of an empty file another program has just created
_KEY_WAITS = 40


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
            from core.store import sessions

            store.session_id = sessions.register(
                conn, location, program=program, user=store.user, at=store.now()
            )
    except StoreError as err:
        cause = err.__cause__
        if isinstance(cause, connections.Error) and not isinstance(err, DatabaseDamagedError):
            raise cannot_open(location, cause) from cause
        raise
