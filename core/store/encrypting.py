"""Converting an unencrypted database (made before encryption) into an encrypted one, and new keys.

The conversion (``encrypt_plain_database``) runs when the program opens such a file:

1. it must be alone with the file (no other program has it open), else nothing is done;
2. a new recovery key and its database key are made; the whole database is exported
   (``sqlcipher_export``) into a new encrypted file beside it, with its schema version and mark;
3. the new file is checked: SQLite's integrity check, the schema, the same number of rows in every
   table, the audit log's hash chain as sound as it was; any failure deletes the new file and leaves
   the original exactly as it was;
4. the key is kept in the key store, an encrypted backup is written to the backups folder, the new
   file takes the original's place and the original's write-ahead log is deleted; unencrypted backups
   in the backups folder and databases kept beside it by a restore are converted the same way, so no
   readable copy is left there.

``new_recovery_key`` re-encrypts a database (``PRAGMA rekey``) under the key of a fresh recovery key,
for when the printed one was lost; the daily backups in the backups folder are re-encrypted too.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from core.errors import DatabaseInUseError, StoreError
from core.store import connections, keys
from core.store.keys import RecoveryKey

#: what sqlcipher_export does not copy
_HEADER = ("user_version", "application_id")


@contextlib.contextmanager
def _connection(path: Path, **options: object) -> Iterator[connections.Connection]:
    conn = connections.connect(path, **options)  # type: ignore[arg-type]
    try:
        yield conn
    finally:
        conn.close()


def _partial_beside(path: Path, what: str) -> Path:
    partial = path.with_name(f"{path.name}.{what}-{os.getpid()}-{threading.get_ident()}.partial")
    for suffix in ("", *connections.COMPANION_SUFFIXES):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return partial


def _remove_with_companions(path: Path) -> None:
    for suffix in ("", *connections.COMPANION_SUFFIXES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _table_counts(conn: connections.Connection) -> dict[str, int]:
    names = [
        str(row[0])
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    return {name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names}


def _fingerprint(conn: connections.Connection) -> tuple[object, ...]:
    from core.store import audit

    header = tuple(conn.execute(f"PRAGMA {name}").fetchone()[0] for name in _HEADER)
    return header, _table_counts(conn), audit.verify(conn).ok if _has_audit(conn) else None


def _has_audit(conn: connections.Connection) -> bool:
    found = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
    return bool(found.fetchone()[0])


def export_encrypted(plain: Path, target: Path, key: bytes) -> None:
    """Write an encrypted copy of the unencrypted database ``plain`` to the new file ``target``, checked.

    Raises ``StoreError`` (and leaves no ``target``) when the copy does not match the original.
    """
    from core.paths import private_file

    _remove_with_companions(target)
    private_file(target)
    try:
        with _connection(plain, plain=True) as source:
            before = _fingerprint(source)
            header = [source.execute(f"PRAGMA {name}").fetchone()[0] for name in _HEADER]
            source.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), f"x'{key.hex()}'"))
            try:
                source.execute("SELECT sqlcipher_export('encrypted')")
                source.execute(f"PRAGMA encrypted.user_version = {int(header[0])}")
                source.execute(f"PRAGMA encrypted.application_id = {int(header[1])}")
            finally:
                source.execute("DETACH DATABASE encrypted")
        with _connection(target, key=key, read_only=True) as copy:
            problems = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
            after = _fingerprint(copy)
        if problems != ["ok"] or after != before:
            raise StoreError(
                f"The encrypted copy of {plain} did not match the original, so the original was kept as it "
                "was. Run superbill verify on it, then open it again."
            )
    except BaseException:
        _remove_with_companions(target)
        raise


def encrypt_plain_database(path: Path, *, backups_dir: Path | None = None) -> RecoveryKey:
    """Encrypt the unencrypted database at ``path`` in place (steps in the module's text).

    Returns the new recovery key, to be shown once. ``backups_dir`` is the backups folder whose
    unencrypted backups of this database are converted too (default: the data folder's).

    Raises:
        DatabaseInUseError: another program has the file open (nothing was changed).
        StoreError: the conversion failed; the original file is as it was.
    """
    if connections.database_of(path) in connections.open_here():
        raise DatabaseInUseError(
            f"The database {path} is open in this program and cannot be encrypted now. "
            "Close it and try again."
        )
    if connections.others_connected(path, plain=True):
        raise DatabaseInUseError(
            f"The database {path} must be encrypted before it is used, and another program has it open. "
            "Close Superbill Desk everywhere it is open (and wait for imports or backups to finish), then "
            "try again. Nothing was changed."
        )
    _check_ours(path)
    recovery = RecoveryKey.new()
    key = recovery.database_key
    partial = _partial_beside(path, "encrypting")
    export_encrypted(path, partial, key)
    try:
        keys.save_key(path, key)
        _keep_backup(partial, path, key, backups_dir)
        for suffix in connections.COMPANION_SUFFIXES:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(partial, path)
    except OSError as err:
        _remove_with_companions(partial)
        raise StoreError(
            f"The database {path} could not be replaced by its encrypted copy ({err.strerror}). "
            "The original is as it was. Close other programs that use it and try again."
        ) from err
    finally:
        _remove_with_companions(partial)
    _encrypt_old_backups(path, key, backups_dir)
    return recovery


def _check_ours(path: Path) -> None:
    """Refuse (untouched) a file that is damaged, another program's database or from a newer version."""
    from core.store.opening import check_before_writing

    with _connection(path, plain=True, read_only=True) as conn:
        check_before_writing(conn, path)


def _backups_folder(backups_dir: Path | None) -> Path:
    if backups_dir is not None:
        return backups_dir
    from core.paths import backups_dir as default_backups_dir

    return default_backups_dir()


def _keep_backup(encrypted: Path, db_path: Path, key: bytes, backups_dir: Path | None) -> None:
    """An encrypted copy of the database as it was before the conversion, in the backups folder."""
    from core.backup import copy_database
    from core.paths import private_dir

    folder = private_dir(_backups_folder(backups_dir))
    target = folder / f"{db_path.stem}-before-encryption-{date.today().isoformat()}.db"
    if target.exists():
        target = folder / f"{db_path.stem}-before-encryption-{date.today().isoformat()}-{os.getpid()}.db"
    copy_database(encrypted, target, source_key=key, target_key=key)


def _encrypt_old_backups(db_path: Path, key: bytes, backups_dir: Path | None) -> None:
    """Convert the unencrypted copies of ``db_path``: the backups in the backups folder and the databases
    kept beside it by a restore (``<name>.before-restore-…``). One that fails is left as it was."""
    folder = _backups_folder(backups_dir)
    daily = re.compile(re.escape(db_path.stem) + r"-.*\.db")
    kept = re.compile(re.escape(db_path.name) + r"\.before-restore-[0-9-]+")
    found = [e for e in sorted(folder.iterdir()) if daily.fullmatch(e.name)] if folder.is_dir() else []
    found += [e for e in sorted(db_path.parent.iterdir()) if kept.fullmatch(e.name)]
    for entry in found:
        if not entry.is_file() or not connections.is_plain_database(entry):
            continue
        partial = _partial_beside(entry, "encrypting")
        try:
            export_encrypted(entry, partial, key)
            for suffix in connections.COMPANION_SUFFIXES:  # its log is in the encrypted copy now
                Path(f"{entry}{suffix}").unlink(missing_ok=True)
            os.replace(partial, entry)
        except (StoreError, OSError, *connections.Error):
            continue  # kept as it was; the next conversion of a database tries again
        finally:
            _remove_with_companions(partial)
        keys.save_key(entry, key)


def new_recovery_key(db_path: Path, *, backups_dir: Path | None = None) -> RecoveryKey:
    """Re-encrypt the database under the key of a new recovery key and return it (to show once).

    The old recovery key no longer opens the database or the daily backups in the backups folder (they
    are re-encrypted too); copies elsewhere (a USB stick) still open only with the old one.

    Raises:
        KeyMissingError: this computer has no key for the database (type the old recovery key first).
        DatabaseInUseError: another program has the database open (nothing was changed).
    """
    old = keys.load_key(db_path)
    if old is None:
        raise keys.KeyMissingError(db_path)
    if connections.database_of(db_path) in connections.open_here() or connections.others_connected(db_path):
        raise DatabaseInUseError(
            f"A new recovery key can only be made while no program has {db_path} open. Close Superbill Desk "
            "everywhere it is open, then try again. Nothing was changed."
        )
    recovery = RecoveryKey.new()
    new = recovery.database_key
    with _connection(db_path, key=old) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
    keys.save_key(db_path, new)
    folder = _backups_folder(backups_dir)
    pattern = re.compile(re.escape(db_path.stem) + r"-.*\.db")
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if pattern.fullmatch(entry.name) and entry.is_file():
            with contextlib.suppress(StoreError, *connections.Error), _connection(entry, key=old) as backup:
                backup.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
    return recovery


def unlock_with_recovery_key(path: Path, typed: str) -> None:
    """Check the typed recovery key against the database at ``path`` and keep its key on this computer.

    Raises:
        WrongRecoveryKeyError: mistyped, or the key of another database (the file stays closed).
    """
    keys.save_key(path, check_recovery_key(path, typed).database_key)


def check_recovery_key(path: Path, typed: str) -> RecoveryKey:
    """The typed recovery key when it opens the database (or backup) at ``path``; reads only.

    Raises:
        WrongRecoveryKeyError: mistyped, or the key of another database.
    """
    recovery = keys.parse_recovery_key(typed)
    if not opens(path, recovery.database_key):
        raise keys.WrongRecoveryKeyError(
            f"That recovery key does not open {path}: it belongs to another database, or a group was "
            "typed from another key. Check the printed key for this database and type it again."
        )
    return recovery


def opens(path: Path, key: bytes) -> bool:
    """True when ``key`` opens the encrypted database at ``path`` (reading only)."""
    if not path.is_file():
        raise StoreError(f"There is no database at {path}. Check the name and try again.")
    try:
        with _connection(path, key=key, read_only=True):
            return True
    except keys.KeyMissingError:
        return False
