"""Encryption at rest (issue 11): the database file, its write-ahead log and every backup hold no
readable patient data; only the key kept on this computer or the recovery key opens them; a database
made before encryption is converted, checked, and no unencrypted copy is left."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2

import main
from core import visit
from core.backup import backup_database, restore_database, run_daily_backup, verify_database
from core.coding.model import LesionGroup, LesionKind
from core.errors import DatabaseInUseError, StoreError
from core.store import EncounterRecord, Patient, Store, encrypting, keys
from core.store.keys import KeyMissingError, RecoveryKey, WrongRecoveryKeyError, parse_recovery_key
from core.store.store import utc_now
from tests.signing_in import open_signed_in, sign_in

ROOT = Path(__file__).resolve().parents[2]
#: what must never be readable in a file: the patient's name, birth date and diagnosis
SECRETS = (b"Quackenbush", b"Zebulon", b"1931-07-04", b"L57.0")
AK = LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0")


def _readable(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [word for word in SECRETS if word in data]


def _readable_while_open(path: Path) -> list[str]:
    """``_readable`` for a file this process has open: read by another process (an ``open()`` here
    would drop this process's locks on it, see core/store/connections.py)."""
    program = (
        "import sys\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "print('\\n'.join(w for w in sys.argv[2:] if w.encode() in data))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", program, str(path), *(w.decode() for w in SECRETS)],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.split()


def _typical_day(store: Store) -> None:
    """A patient added, a visit coded, finalised, printed and paid: the data a front desk enters."""
    patient = store.save_patient(Patient("Zebulon", "Quackenbush", date(1931, 7, 4), member_id="M9"))
    assert patient.id is not None
    provider = store.default_provider()
    assert provider.id is not None
    draft = store.save_draft(
        EncounterRecord(patient.id, provider.id, date(2026, 11, 20), "11", lesions=(AK,))
    )
    final = visit.finalize_unattended(store, draft, "checked")
    assert final.id is not None
    store.mark_printed([final.id])
    store.record_payment(final.id, 2500)
    store.save_patient(replace(store.get_patient(patient.id), city="Quackenbush Falls"))


def _use_new_key_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> Path:
    """Another computer: an empty key store."""
    file = tmp_path / name / "keys.json"
    monkeypatch.setenv(keys.KEYSTORE_ENV, f"file:{file}")
    return file


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "superbill.db"


# -- no readable patient data --------------------------------------------------------------------------


def test_the_file_its_log_and_every_backup_hold_no_readable_patient_data(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backups = tmp_path / "backups"
    with open_signed_in(db) as store:
        assert store.new_recovery_key is not None
        _typical_day(store)
        # while the window is open the newest pages are in the write-ahead log
        wal = Path(f"{db}-wal")
        assert wal.stat().st_size > 0
        assert _readable_while_open(wal) == []
        assert _readable_while_open(db) == []
        assert store.search_patients("Quackenbush")  # the program itself reads it
        run_daily_backup(store, backups, date(2026, 11, 20))
        copy = backup_database(db, tmp_path / "usb.db")
    assert main.main(["--db", str(db), "backup", str(tmp_path / "command.db")]) == 0
    files = [db, copy, tmp_path / "command.db", *backups.iterdir()]
    assert len(files) == 4
    for file in files:
        assert _readable(file) == [], file
        assert verify_database(file).ok, file
    capsys.readouterr()


def test_a_plain_sqlite_reader_cannot_open_the_file(db: Path) -> None:
    with open_signed_in(db) as store:
        _typical_day(store)
    plain = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            plain.execute("SELECT * FROM patients").fetchall()
    finally:
        plain.close()


# -- keys -----------------------------------------------------------------------------------------------


def test_a_wrong_key_never_opens_the_file_and_leaves_it_as_it_was(db: Path) -> None:
    with open_signed_in(db) as store:
        _typical_day(store)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    keys.save_key(db, os.urandom(32))
    with pytest.raises(KeyMissingError, match="recovery key"):
        open_signed_in(db)
    with pytest.raises(KeyMissingError):
        verify_database(db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_whole_pages_of_random_bytes_are_refused_untouched(db: Path) -> None:
    """SQLCipher's file is random-looking whole pages: without the key it cannot be told from noise."""
    db.write_bytes(os.urandom(8192))
    with pytest.raises(KeyMissingError, match="not a Superbill Desk database at all"):
        open_signed_in(db)
    assert db.stat().st_size == 8192


def test_the_recovery_key_opens_the_database_on_a_new_computer(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_signed_in(db) as store:
        recovery = store.new_recovery_key
        assert recovery is not None
        _typical_day(store)
    _use_new_key_store(monkeypatch, tmp_path, "new-computer")
    with pytest.raises(KeyMissingError, match="made on"):
        open_signed_in(db)
    # typed by a person: lower case, spaces instead of dashes, O for 0 and l for 1
    typed = recovery.text.lower().replace("-", " ").replace("0", "O").replace("1", "l")
    encrypting.unlock_with_recovery_key(db, typed)
    with open_signed_in(db) as store:
        assert store.search_patients("Quackenbush")
        assert store.new_recovery_key is None


def test_a_wrong_or_mistyped_recovery_key_is_refused(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_signed_in(db) as store:
        recovery = store.new_recovery_key
        assert recovery is not None
    _use_new_key_store(monkeypatch, tmp_path, "new-computer")
    other = RecoveryKey.new()
    with pytest.raises(WrongRecoveryKeyError, match="does not open"):
        encrypting.unlock_with_recovery_key(db, other.text)
    text = recovery.text
    swapped = text[:5] + ("A" if text[5] != "A" else "B") + text[6:]
    with pytest.raises(WrongRecoveryKeyError, match="mistyped"):
        encrypting.unlock_with_recovery_key(db, swapped)
    with pytest.raises(WrongRecoveryKeyError, match="14 groups"):
        encrypting.unlock_with_recovery_key(db, text[:-5])
    with pytest.raises(WrongRecoveryKeyError, match="has no U"):
        encrypting.unlock_with_recovery_key(db, "U" + text[1:])
    assert keys.load_key(db) is None
    with pytest.raises(KeyMissingError):
        open_signed_in(db)


def test_recovery_keys_read_back_as_written() -> None:
    for _ in range(50):
        recovery = RecoveryKey.new()
        groups = recovery.text.split("-")
        assert len(groups) == 14 and all(len(g) == 4 for g in groups)
        assert parse_recovery_key(recovery.text) == recovery
        assert recovery.database_key == keys.derive_database_key(recovery.secret)
        assert recovery.database_key != recovery.secret
    assert repr(recovery) == "RecoveryKey(<hidden>)"


def test_hkdf_matches_rfc_5869_construction() -> None:
    """The database key is HKDF-SHA256 (extract, then one block of expand) of the recovery key."""
    import hmac

    secret = bytes(range(32))
    prk = hmac.new(b"Superbill Desk recovery key", secret, "sha256").digest()
    expected = hmac.new(prk, b"SQLCipher 4 raw database key\x01", "sha256").digest()
    assert keys.derive_database_key(secret) == expected


def test_a_new_recovery_key_replaces_the_old_one(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups = tmp_path / "backups"
    with open_signed_in(db) as store:
        old = store.new_recovery_key
        assert old is not None
        _typical_day(store)
        daily = run_daily_backup(store, backups, date(2026, 11, 20))
    assert daily is not None
    with open_signed_in(db), pytest.raises(DatabaseInUseError):
        encrypting.new_recovery_key(db, backups_dir=backups)
    new = encrypting.new_recovery_key(db, backups_dir=backups)
    assert new != old
    with open_signed_in(db) as store:
        assert store.search_patients("Quackenbush")
    _use_new_key_store(monkeypatch, tmp_path, "new-computer")
    with pytest.raises(WrongRecoveryKeyError):
        encrypting.unlock_with_recovery_key(db, old.text)
    encrypting.unlock_with_recovery_key(db, new.text)
    assert encrypting.opens(daily, new.database_key)
    assert not encrypting.opens(daily, old.database_key)


# -- backups on another computer ------------------------------------------------------------------------


def test_a_backup_restores_on_a_new_computer_with_the_recovery_key(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_signed_in(db) as store:
        recovery = store.new_recovery_key
        assert recovery is not None
        _typical_day(store)
    usb = backup_database(db, tmp_path / "usb.db")
    _use_new_key_store(monkeypatch, tmp_path, "new-computer")
    target = tmp_path / "new" / "superbill.db"
    target.parent.mkdir()
    with open_signed_in(target) as fresh:  # the new computer's first start made a database of its own
        assert fresh.new_recovery_key is not None
    with pytest.raises(KeyMissingError):
        restore_database(usb, target)
    with pytest.raises(WrongRecoveryKeyError):
        restore_database(usb, target, recovery_key=RecoveryKey.new().text)
    kept = restore_database(usb, target, recovery_key=recovery.text)
    assert kept is not None
    with open_signed_in(target) as store:
        assert store.search_patients("Quackenbush")
    with open_signed_in(kept) as previous:  # the set-aside database still opens with its own key
        assert not previous.search_patients("Quackenbush")
    assert verify_database(target).ok


def test_the_restore_command_asks_for_the_recovery_key_of_a_foreign_backup(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_signed_in(db) as store:
        recovery = store.new_recovery_key
        assert recovery is not None
        _typical_day(store)
    usb = backup_database(db, tmp_path / "usb.db")
    _use_new_key_store(monkeypatch, tmp_path, "new-computer")
    target = tmp_path / "restored.db"
    monkeypatch.delenv("SUPERBILL_RECOVERY_KEY", raising=False)
    assert main.main(["--db", str(target), "restore", str(usb)]) == 2
    assert "recovery key" in capsys.readouterr().err
    monkeypatch.setenv("SUPERBILL_RECOVERY_KEY", recovery.text)
    assert main.main(["--db", str(target), "restore", str(usb)]) == 0
    assert main.main(["--db", str(target), "verify"]) == 0


# -- commands -------------------------------------------------------------------------------------------


def test_the_unlock_command_checks_and_keeps_the_key(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_signed_in(db) as store:
        recovery = store.new_recovery_key
        assert recovery is not None
    _use_new_key_store(monkeypatch, tmp_path, "new-computer")
    assert main.main(["--db", str(db), "verify"]) == 2
    assert "superbill --db FILE unlock" in capsys.readouterr().err
    monkeypatch.setenv("SUPERBILL_RECOVERY_KEY", RecoveryKey.new().text)
    assert main.main(["--db", str(db), "unlock"]) == 2
    assert "does not open" in capsys.readouterr().err
    monkeypatch.setenv("SUPERBILL_RECOVERY_KEY", recovery.text)
    assert main.main(["--db", str(db), "unlock"]) == 0
    assert main.main(["--db", str(db), "verify"]) == 0


def test_a_command_that_makes_the_database_shows_its_recovery_key_once(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(["--db", str(db), "demo", "remove"]) == 0
    err = capsys.readouterr().err
    shown = [line.strip() for line in err.splitlines() if line.count("-") == 13]
    assert len(shown) == 1 and "Print it" in err
    encrypting.unlock_with_recovery_key(db, shown[0])  # it is the key of this file
    assert main.main(["--db", str(db), "demo", "remove"]) == 0
    assert "recovery key" not in capsys.readouterr().err


def test_the_new_recovery_key_command_prints_a_key_that_opens_the_file(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_signed_in(db).close()
    assert main.main(["--db", str(db), "new-recovery-key"]) == 0
    err = capsys.readouterr().err
    shown = [line.strip() for line in err.splitlines() if line.count("-") == 13]
    assert len(shown) == 1
    assert encrypting.opens(db, parse_recovery_key(shown[0]).database_key)


def test_superbill_code_does_not_load_sqlcipher() -> None:
    program = (
        "import sys, io, main\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'{}'))\n"
        "main.main(['code', '-'])\n"
        "print('LOADED' if any(m.startswith(('sqlcipher3', 'keyring')) for m in sys.modules) else 'NOT')\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.stdout.strip().splitlines()[-1] == "NOT", found.stderr


# -- a database made before encryption -----------------------------------------------------------------


def _plain_database(path: Path) -> None:
    """A database as the program wrote it before encryption: the same schema, on plain SQLite."""
    from core.store.demo import set_up
    from core.store.opening import prepare

    # SQLCipher without a key writes a plain SQLite file (sqlite3's Row cannot read its cursors)
    conn = dbapi2.connect(str(path), isolation_level=None)
    store = Store(prepare(conn, path, in_memory=False), path, clock=utc_now, user="tester")
    try:
        set_up(store, with_demo=True)
        sign_in(store)
        _typical_day(store)
    finally:
        store.conn.close()
    assert _readable(path)  # the old file is readable by anyone


@pytest.fixture
def plain_db(db: Path) -> Iterator[Path]:
    _plain_database(db)
    yield db


def test_an_unencrypted_database_is_converted_checked_and_no_plain_copy_is_left(
    plain_db: Path, tmp_path: Path, isolated_data_dir: Path
) -> None:
    backups = isolated_data_dir / "backups"
    backups.mkdir(parents=True)
    old_backup = backups / "superbill-2026-11-19.db"
    _plain_database(old_backup)
    kept_by_restore = tmp_path / "superbill.db.before-restore-20261118-093000"
    _plain_database(kept_by_restore)
    before_rows = sqlite3.connect(plain_db).execute("SELECT count(*) FROM audit_log").fetchone()[0]

    plain_report = verify_database(plain_db)
    assert plain_report.ok and plain_report.lines[-1].startswith("Encryption: NOT ENCRYPTED YET")
    with open_signed_in(plain_db) as store:
        assert store.new_recovery_key is not None
        assert store.search_patients("Quackenbush")
        assert store.verify_audit().ok and store.verify_audit().rows == before_rows + 1  # + this sign-in
        recovery = store.new_recovery_key
    report = verify_database(plain_db)
    assert report.ok and not any(line.startswith("Encryption") for line in report.lines)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("superbill"))
    assert set(left) <= {"superbill.db", "superbill.db-wal", "superbill.db-shm", kept_by_restore.name}
    for file in [*(tmp_path / name for name in left), *backups.iterdir()]:
        assert _readable(file) == [], file
        assert file.name.endswith(("-wal", "-shm")) or encrypting.opens(file, recovery.database_key)
    names = sorted(p.name for p in backups.iterdir())
    assert names[0].startswith("superbill-2026-11-19") and any("before-encryption" in n for n in names)
    with open_signed_in(plain_db) as again:  # converted once
        assert again.new_recovery_key is None


def test_the_conversion_waits_until_no_other_program_has_the_file_open(plain_db: Path) -> None:
    before = hashlib.sha256(plain_db.read_bytes()).hexdigest()
    other = dbapi2.connect(str(plain_db), isolation_level=None)  # an older program, reading
    other.execute("SELECT count(*) FROM patients").fetchall()
    try:
        with pytest.raises(DatabaseInUseError, match="another program has it open"):
            open_signed_in(plain_db)
    finally:
        other.close()
    assert hashlib.sha256(plain_db.read_bytes()).hexdigest() == before


def test_a_failed_conversion_leaves_the_original_as_it_was(
    plain_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hashlib.sha256(plain_db.read_bytes()).hexdigest()
    # the copy's rows never match the original's
    monkeypatch.setattr(encrypting, "_table_counts", lambda conn: {"rows": id(conn)})
    with pytest.raises(StoreError, match="original was kept"):
        open_signed_in(plain_db)
    assert hashlib.sha256(plain_db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("superbill")) == ["superbill.db"]
    assert keys.load_key(plain_db) is None


def test_only_the_program_that_creates_a_new_file_makes_its_key(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program created the empty file a moment ago and kept its key: this one uses that key."""
    from core.store import opening

    db.touch()
    theirs = os.urandom(32)
    keys.save_key(db, theirs)
    with open_signed_in(db) as store:
        assert store.new_recovery_key is None
    assert keys.load_key(db) == theirs
    # an empty file left behind with no key at all (a start cut off before the key was kept)
    other = db.with_name("left.db")
    other.touch()
    monkeypatch.setattr(opening, "_KEY_WAITS", 1)
    with open_signed_in(other) as store:
        assert store.new_recovery_key is not None
        assert keys.load_key(other) == store.new_recovery_key.database_key


# -- where keys are kept --------------------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_the_key_file_is_private_and_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "store" / "keys.json"
    monkeypatch.setenv(keys.KEYSTORE_ENV, f"file:{file}")
    db = tmp_path / "a.db"
    key = os.urandom(32)
    keys.save_key(db, key)
    keys.save_key(tmp_path / "b.db", os.urandom(32))
    assert file.stat().st_mode & 0o777 == 0o600
    assert file.parent.stat().st_mode & 0o777 == 0o700
    assert keys.load_key(db) == key
    assert sorted(p.name for p in file.parent.iterdir()) == ["keys.json"]  # no partial file left
    keys.forget_key(db)
    assert keys.load_key(db) is None and keys.load_key(tmp_path / "b.db") is not None


def test_without_a_key_store_the_key_file_is_in_the_data_folder(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.delenv(keys.KEYSTORE_ENV)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with open_signed_in() as store:
            assert store.path is not None
        assert keys.store_description().startswith("the key file")
    finally:
        keyring.set_keyring(previous)
    monkeypatch.setenv(keys.KEYSTORE_ENV, "file")
    assert keys.load_key(isolated_data_dir / "superbill.db") is not None


def test_the_system_key_store_is_used_when_there_is_one(
    db: Path, monkeypatch: pytest.MonkeyPatch, isolated_data_dir: Path
) -> None:
    """A key store that works (here one in memory, never the computer's): the key goes there only."""
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        kept: dict[tuple[str, str], str] = {}  # noqa: RUF012

        def get_password(self, service: str, username: str) -> str | None:
            return self.kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.kept.pop((service, username), None)

    monkeypatch.delenv(keys.KEYSTORE_ENV)
    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        with open_signed_in(db) as store:
            recovery = store.new_recovery_key
            assert recovery is not None
        assert Memory.kept == {("Superbill Desk", keys.account(db)): recovery.database_key.hex()}
        assert not (isolated_data_dir / keys.KEY_FILE_NAME).exists()
        with open_signed_in(db) as again:
            assert again.new_recovery_key is None
    finally:
        keyring.set_keyring(previous)


def test_a_backup_of_a_database_not_yet_encrypted_is_refused(plain_db: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not encrypted yet"):
        backup_database(plain_db, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_keys_kept_from_several_threads_at_once_are_all_kept(tmp_path: Path) -> None:
    """The window's background backup keeps a key while the window itself keeps another."""
    import threading

    made = {tmp_path / f"db{n}.db": os.urandom(32) for n in range(40)}
    threads = [threading.Thread(target=keys.save_key, args=item) for item in made.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(keys.load_key(path) == key for path, key in made.items())


def test_keys_kept_by_several_programs_at_once_are_all_kept(tmp_path: Path) -> None:
    """A command backing up one database while the window makes another: no key is lost."""
    program = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from core.store import keys\n"
        "for n in range(15):\n"
        "    keys.save_key(Path(sys.argv[1]) / f'p{sys.argv[2]}-{n}.db', bytes([int(sys.argv[2])]) * 32)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen([sys.executable, "-c", program, str(tmp_path), str(p)], cwd=ROOT, env=env)
        for p in range(1, 5)
    ]
    assert [run.wait(120) for run in runs] == [0, 0, 0, 0]
    for p in range(1, 5):
        for n in range(15):
            assert keys.load_key(tmp_path / f"p{p}-{n}.db") == bytes([p]) * 32
