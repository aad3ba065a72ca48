"""Backups of the database file: copy, check, restore, and the automatic daily copy.

Everything here works on whole files through SQLite's online backup API (``sqlite3.Connection.backup``),
never by copying bytes: the API reads one consistent snapshot of the committed data even while the
window has the database open (write-ahead log, open transactions), and it writes a restored database
through SQLite's own locking instead of replacing a file under an open connection. The tables inside
the file belong to ``core.store``; this module only asks it whether a file is one of its databases.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DatabaseDamagedError, StoreError

if TYPE_CHECKING:
    from core.store import Store

#: how long a connection waits for another program's lock before giving up, in seconds
LOCK_TIMEOUT_S = 10.0
#: the first 16 bytes of every SQLite 3 database file
_SQLITE_HEADER = b"SQLite format 3\x00"
#: the setting that says how many days of automatic backups to keep (declared in core.store.settings)
KEEP_DAYS_SETTING = "backup_days_to_keep"


@dataclass(frozen=True)
class FileCheck:
    """What a check of a database file found: ``problems`` is empty when the file is sound."""

    path: Path
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when nothing is wrong with the file."""
        return not self.problems


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain connection to ``path`` that is always closed (Windows cannot rename open files)."""
    if read_only:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=LOCK_TIMEOUT_S)
    else:
        conn = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S)
    try:
        yield conn
    finally:
        conn.close()


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """SQLite's own check of every page and index; an empty list means the file is sound."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else rows


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def check_database_file(path: Path) -> None:
    """Make sure ``path`` is a sound Superbill Desk database this program can open; never changes it.

    Raises:
        StoreError: the file is missing or cannot be read.
        DatabaseDamagedError: not a database, damaged, or not a Superbill Desk database.
        DatabaseTooNewError: written by a newer version of the program.
    """
    from core.store.schema import check_schema  # the store decides what its databases look like

    if not path.is_file():
        raise StoreError(f"The file {path} does not exist or is not a file. Check the name and try again.")
    if not _looks_like_sqlite(path):
        raise DatabaseDamagedError(
            f"The file {path} is not a Superbill Desk database (it is not a database file at all). "
            "Choose a backup made by Superbill Desk."
        )
    try:
        with _connect(path, read_only=True) as conn:
            problems = integrity_problems(conn)
            if problems:
                raise DatabaseDamagedError(
                    f"The file {path} is damaged (the database check found: {problems[0]}). "
                    "Choose another backup."
                )
            if check_schema(conn, path):
                raise DatabaseDamagedError(
                    f"The file {path} is an empty database, not a Superbill Desk backup. "
                    "Choose another backup."
                )
    except sqlite3.DatabaseError as err:
        raise DatabaseDamagedError(
            f"The file {path} could not be read as a database ({err}). Choose another backup."
        ) from err


def _copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` with the backup API, in rollback-journal mode, checked."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _connect(source) as src, _connect(partial) as dst:
            src.backup(dst)
            # A backup is a single file: no write-ahead log beside it when it is copied or mailed.
            dst.execute("PRAGMA journal_mode=DELETE")
            problems = integrity_problems(dst)
        if problems:
            raise DatabaseDamagedError(
                f"The copy of {source} failed its check ({problems[0]}). "
                "Run `superbill verify` on the database."
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def backup_database(db_path: Path, target: Path) -> Path:
    """Write a checked copy of the database ``db_path`` to ``target``; safe while the program has it open.

    The copy holds every committed row at the moment it is taken (uncommitted work of other connections
    is not in it), passes SQLite's integrity check, and is a single file (no ``-wal`` beside it). An
    existing ``target`` is replaced only once the new copy is complete. Returns ``target``.
    """
    if not db_path.is_file() or not _looks_like_sqlite(db_path):
        raise StoreError(f"There is no database at {db_path} to back up. Check the --db path.")
    if target.exists() and target.resolve() == db_path.resolve():
        raise StoreError("The backup file cannot be the database itself. Choose another file name.")
    if target.is_dir():
        raise StoreError(
            f"{target} is a folder. Give a file name for the backup, such as {target / 'backup.db'}."
        )
    if not target.parent.is_dir():
        raise StoreError(f"The folder {target.parent} does not exist. Create it or choose another place.")
    try:
        _copy_database(db_path, target)
    except (sqlite3.OperationalError, OSError) as err:
        raise StoreError(
            f"The backup could not be written to {target} ({err}). Check the disk and try again."
        ) from err
    return target


def _kept_copy_name(db_path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{counter}")
    return candidate


def restore_database(backup: Path, db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Replace the database ``db_path`` with the backup file ``backup``, keeping the previous one.

    The backup is checked first (a database file, sound, a Superbill Desk database this version can
    open); when it fails, a ``SuperbillError`` explains why and nothing is touched. The current database,
    when there is one, is kept beside it as ``<name>.before-restore-YYYYMMDD-HHMMSS``; then the backup's
    contents are written into ``db_path`` through the backup API. Returns the kept copy's path (``None``
    when there was no database yet). Close the window's store before calling this.
    """
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise StoreError("That file is the database itself. Choose a backup file to restore from.")
    check_database_file(backup)
    kept: Path | None = None
    if db_path.exists():
        kept = _kept_copy_name(db_path, now or datetime.now())
        backup_database(db_path, kept)
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _connect(backup, read_only=True) as src, _connect(db_path) as dst:
            src.backup(dst)
            problems = integrity_problems(dst)
    except sqlite3.OperationalError as err:
        raise StoreError(
            f"The database {db_path} is in use and could not be replaced ({err}). Close Superbill Desk "
            f"everywhere it is open and try again. Your database is unchanged{_kept_note(kept)}."
        ) from err
    if problems:
        raise DatabaseDamagedError(
            f"The restored database failed its check ({problems[0]}). Your previous database is kept as "
            f"{kept}; restore that file to go back."
        )
    return kept


def _kept_note(kept: Path | None) -> str:
    return f" (a copy was also kept as {kept})" if kept else ""


# ---------------------------------------------------------------------------------------------------------
# The automatic daily backup


def daily_backup_name(db_path: Path, day: date) -> str:
    """The file name of the automatic backup of ``db_path`` taken on ``day``."""
    return f"{db_path.stem}-{day.isoformat()}.db"


def _daily_backups(db_path: Path, backups_dir: Path) -> Iterator[tuple[date, Path]]:
    pattern = re.compile(re.escape(db_path.stem) + r"-(\d{4}-\d{2}-\d{2})\.db")
    for entry in backups_dir.iterdir():
        match = pattern.fullmatch(entry.name)
        if match and entry.is_file():
            try:
                yield date.fromisoformat(match.group(1)), entry
            except ValueError:
                continue


def keep_days_setting(store: Store) -> int:
    """How many days of automatic backups to keep, from the practice settings (at least 1)."""
    return max(int(store.setting(KEEP_DAYS_SETTING)), 1)


def run_daily_backup(
    source: Store | Path,
    backups_dir: Path | None = None,
    today: date | None = None,
    *,
    keep_days: int | None = None,
) -> Path | None:
    """Take today's automatic backup if there is none yet, and delete the ones older than the limit.

    Args:
        source: the open ``Store`` (then call this on the store's thread), or the database path (then
            it may run on any thread: it opens its own connections and, unless ``keep_days`` is given,
            reads the ``backup_days_to_keep`` setting through a short-lived store of its own).
        backups_dir: where the backups go; default ``core.paths.backups_dir()``.
        today: the day to file the backup under; default the computer's date.
        keep_days: how many days to keep; default the practice setting ``backup_days_to_keep``.

    Returns:
        The new backup's path, or ``None`` when today's backup already existed.

    Backups are named ``<database name>-YYYY-MM-DD.db``; a backup is deleted once it is ``keep_days``
    days old or older (with 14, today's and the 13 days before it are kept). Other files in the folder
    are never touched.
    """
    from core.paths import backups_dir as default_backups_dir

    folder = backups_dir if backups_dir is not None else default_backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    day = today or date.today()
    if isinstance(source, Path):
        db_path = source
        if keep_days is None:
            from core.store import open_store

            store = open_store(db_path, seed_demo=False)
            try:
                keep_days = keep_days_setting(store)
            finally:
                store.close()
    else:
        if source.path is None:
            raise StoreError("This database lives only in memory; there is no file to back up.")
        db_path = source.path
        if keep_days is None:
            keep_days = keep_days_setting(source)
    keep_days = max(keep_days, 1)
    target = folder / daily_backup_name(db_path, day)
    made: Path | None = None
    if not target.exists():
        made = backup_database(db_path, target)
    oldest_kept = day - timedelta(days=keep_days - 1)
    for taken, path in _daily_backups(db_path, folder):
        if taken < oldest_kept:
            path.unlink(missing_ok=True)
    return made


# ---------------------------------------------------------------------------------------------------------
# Checking the live database


@dataclass(frozen=True)
class HealthReport:
    """What ``verify_database`` found: one plain line per check, and whether every check passed."""

    lines: tuple[str, ...]
    ok: bool


def verify_database(db_path: Path) -> HealthReport:
    """Check the database file page by page, the audit log's hash chain, then the data against the log
    (``core.store.data_check``: rows changed, deleted or added outside the program); changes nothing.

    A missing file raises ``StoreError``; every problem found is reported in ``lines`` (``ok`` false).
    """
    if not db_path.is_file():
        raise StoreError(f"There is no database at {db_path}. Check the --db path.")
    lines = [f"Database: {db_path}"]
    if not _looks_like_sqlite(db_path):
        lines.append("File check: NOT A DATABASE — this file is not a SQLite database.")
        return HealthReport(tuple(lines), False)
    try:
        with _connect(db_path) as conn:
            problems = integrity_problems(conn)
    except sqlite3.DatabaseError as err:
        problems = [str(err)]
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        lines.append(f"File check: DAMAGED — {shown}.")
        lines.append("Restore the most recent backup (superbill restore FILE) and re-enter later work.")
        return HealthReport(tuple(lines), False)
    lines.append("File check: ok (every page and index is sound).")
    from core.store import open_store
    from core.store.data_check import verify_data

    store = open_store(db_path, seed_demo=False)
    try:
        audit = store.verify_audit()
        data = verify_data(store.conn)
    finally:
        store.close()
    lines.append(f"Audit log: {'ok — ' if audit.ok else 'PROBLEM — '}{audit.text}.")
    lines.append(f"Data: {'ok — ' if data.ok else 'PROBLEM — '}{data.text}.")
    lines.extend(f"  {problem}." for problem in data.problems)
    return HealthReport(tuple(lines), audit.ok and data.ok)
