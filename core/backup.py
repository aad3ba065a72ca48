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
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DatabaseDamagedError, DatabaseInUseError, StoreError
from core.store import connections
from core.text import counted

if TYPE_CHECKING:
    from core.store import Store

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
    """A connection to ``path`` that is always closed (Windows cannot rename open files)."""
    conn = connections.connect(path, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """SQLite's own check of every page and index; an empty list means the file is sound."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else rows


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
    if path.stat().st_size == 0:
        raise DatabaseDamagedError(
            f"The file {path} is empty: it is not a database file at all. "
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
        if connections.is_storage_failure(err):
            raise connections.cannot_open(path, err) from err
        if "not a database" in str(err):
            raise DatabaseDamagedError(
                f"The file {path} is not a Superbill Desk database (it is not a database file at all). "
                "Choose a backup made by Superbill Desk."
            ) from err
        raise DatabaseDamagedError(
            f"The file {path} could not be read as a database ({err}). Choose another backup."
        ) from err


def _copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` with the backup API, in rollback-journal mode, checked."""
    # one name per process and thread: two copies to the same target at once (two windows' start-up
    # backups, a command beside them) never write into each other's half-written file
    partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    try:
        with _connect(source, read_only=True) as src, _connect(partial) as dst:
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
    if not db_path.is_file():
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
    except sqlite3.DatabaseError as err:
        if connections.is_damage(err):
            raise DatabaseDamagedError(
                f"The database {db_path} could not be copied: it is damaged ({err}). "
                "Run `superbill verify` on it."
            ) from err
        raise StoreError(
            f"The backup could not be written to {target} ({err}). Check the disk and try again."
        ) from err
    except OSError as err:
        raise StoreError(
            f"The backup could not be written to {target} ({err}). Check the disk and try again."
        ) from err
    return target


def _kept_copy_name(db_path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    counter = 1
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", *connections.COMPANION_SUFFIXES)):
        counter += 1
        candidate = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{counter}")
    return candidate


def _move_with_companions(source: Path, target: Path) -> None:
    """Rename a database file and its ``-wal``/``-shm``/``-journal`` files (the bytes stay as they are)."""
    for suffix in ("", *connections.COMPANION_SUFFIXES):
        found = Path(f"{source}{suffix}")
        if found.exists():
            os.replace(found, Path(f"{target}{suffix}"))


def _refuse_if_in_use(db_path: Path) -> None:
    """Stop when any program (another window, a command, a copy) has the database open."""
    if connections.database_of(db_path) in connections.open_here():
        raise DatabaseInUseError(
            f"The database {db_path} is open in this program. Close it first, then restore. "
            "Nothing was changed."
        )
    if connections.others_connected(db_path):
        from core.store.sessions import describe_others

        raise DatabaseInUseError(
            f"The database {db_path} is open in another program: {describe_others(db_path)}. "
            "Close Superbill Desk everywhere it is open (and wait for imports or backups to finish), "
            "then restore again. Nothing was changed."
        )


def restore_database(backup: Path, db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Put the backup file ``backup`` in place of the database ``db_path``, keeping the previous one.

    The backup is checked first (a database file, sound, a Superbill Desk database this version can
    open); when it fails, a ``SuperbillError`` explains why and nothing is touched. A restore must be
    alone: while any program has the database open it is refused (``DatabaseInUseError``, naming the
    programs it knows of), because a window left open would go on writing its old records over the
    restored ones. The current database — sound, damaged or not a database at all — is renamed, byte
    for byte as it is (with its ``-wal``), to ``<name>.before-restore-YYYYMMDD-HHMMSS``; then a checked
    copy of the backup takes its place. Returns the kept file's path (``None`` when there was none).
    """
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise StoreError("That file is the database itself. Choose a backup file to restore from.")
    check_database_file(backup)
    kept: Path | None = None
    if db_path.exists():
        _refuse_if_in_use(db_path)
        kept = _kept_copy_name(db_path, now or datetime.now())
        try:
            _move_with_companions(db_path, kept)
        except OSError as err:  # Windows: another program opened the file in the meantime
            raise DatabaseInUseError(
                f"The database {db_path} could not be set aside ({err.strerror}): another program may "
                "have opened it. Close it and try again. Nothing was changed."
            ) from err
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _copy_database(backup, db_path)
    except BaseException:
        if kept is not None:
            _move_with_companions(kept, db_path)  # put the database back as it was
        raise
    return kept


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


def _keep_days_in_file(db_path: Path) -> int:
    """The ``backup_days_to_keep`` setting read straight from the file (no store, no sign-in: a backup
    thread has nobody signed in, and a setting is not patient data)."""
    import json

    from core.store.settings import declared

    with _connect(db_path, read_only=True) as conn:
        row = conn.execute("SELECT value FROM settings WHERE name = ?", [KEEP_DAYS_SETTING]).fetchone()
    value = declared(KEEP_DAYS_SETTING).default if row is None else json.loads(row[0])
    return max(int(value), 1)


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
    from core.paths import private_dir

    folder = backups_dir if backups_dir is not None else default_backups_dir()
    private_dir(folder)
    day = today or date.today()
    if isinstance(source, Path):
        db_path = source
        if keep_days is None:
            keep_days = _keep_days_in_file(db_path)
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
    """Check the database file page by page, its references, the audit log's hash chain and the data
    against the log. Reads only: the file is opened read-only and not one byte of it (or of its
    write-ahead log) changes, so it is safe while the window is open.

    A missing file raises ``StoreError``; every problem found is reported in ``lines`` (``ok`` false).
    """
    if not db_path.is_file():
        raise StoreError(f"There is no database at {db_path}. Check the --db path.")
    lines = [f"Database: {db_path}"]
    try:
        with _connect(db_path, read_only=True) as conn:
            return _health(conn, db_path, lines)
    except sqlite3.DatabaseError as err:
        if connections.is_storage_failure(err):
            raise connections.cannot_open(db_path, err) from err
        if "not a database" in str(err):
            lines.append("File check: NOT A DATABASE — this file is not a SQLite database.")
        else:
            lines.append(f"File check: DAMAGED — {err}.")
            lines.append(_RESTORE_ADVICE)
        return HealthReport(tuple(lines), False)


_RESTORE_ADVICE = "Restore the most recent backup (superbill restore FILE) and re-enter later work."


def _health(conn: sqlite3.Connection, db_path: Path, lines: list[str]) -> HealthReport:
    from core.store import audit
    from core.store.data_check import verify_data
    from core.store.schema import check_schema

    problems = integrity_problems(conn)
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        lines.append(f"File check: DAMAGED — {shown}.")
        lines.append(_RESTORE_ADVICE)
        return HealthReport(tuple(lines), False)
    lines.append("File check: ok (every page and index is sound).")
    if check_schema(conn, db_path):
        lines.append("Contents: EMPTY — this database file holds no Superbill Desk data yet.")
        return HealthReport(tuple(lines), False)
    orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    if orphans:
        tables = sorted({str(row[0]) for row in orphans})
        lines.append(
            f"References: PROBLEM — {counted(len(orphans), 'row points', 'rows point')} to records that "
            "do not exist "
            f"(in {', '.join(tables)})."
        )
    else:
        lines.append("References: ok (every row points to a record that exists).")
    checked = audit.verify(conn)
    lines.append(f"Audit log: {'ok — ' if checked.ok else 'PROBLEM — '}{checked.text}.")
    data = verify_data(conn)
    lines.append(f"Data: {'ok — ' if data.ok else 'PROBLEM — '}{data.text}.")
    lines.extend(f"  {problem}." for problem in data.problems)
    return HealthReport(tuple(lines), checked.ok and not orphans and data.ok)
