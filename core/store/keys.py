"""The database keys: a random 256-bit key per database file, kept in the operating system's key store.

* The **database key** K (32 random bytes) encrypts the file with SQLCipher (AES-256). It is applied as
  a raw key right after SQLite opens the file, so opening costs no key stretching.
* The **recovery key** R (32 random bytes) is shown once, when the database is made, as 14 groups of
  four letters and digits (Crockford's base 32, the last group a check). K is derived from R with
  HKDF-SHA256, so R alone opens the database and every backup of it on any computer. R is never
  stored anywhere by the program.
* K is kept in the operating system's key store (Windows Credential Manager, macOS Keychain, the Secret
  Service on Linux desktops) through the ``keyring`` package, service "Superbill Desk", account the
  database file's full path. Where there is no key store (a Linux machine without a desktop keyring, a
  build server) K is written to a key file, ``keys.json`` in the user data folder, readable only by this
  user — see docs/security.md for what that protects against and what it does not.

``SUPERBILL_KEYSTORE`` chooses the store: ``keyring`` (the system key store only), ``file`` (the key
file in the data folder), ``file:PATH`` (that key file); unset means the system key store when there
is one, else the key file. The test suite sets ``file`` so no test touches the real key store.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from core.errors import InputError, StoreError

SERVICE = "Superbill Desk"
KEYSTORE_ENV = "SUPERBILL_KEYSTORE"
KEY_FILE_NAME = "keys.json"
KEY_BYTES = 32
#: Crockford's base 32: digits and letters without I, L, O and U
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPED_AS = {"O": "0", "I": "1", "L": "1"}
_DATA_CHARS = 52  # 256 bits in 5-bit letters (4 bits of padding)
_CHECK_CHARS = 4
GROUP = 4
_HKDF_SALT = b"Superbill Desk recovery key"
_HKDF_INFO = b"SQLCipher 4 raw database key"
#: one read-change-write of the key file at a time in this process (the window's background backup
#: keeps its key while the window opens another file)
_file_lock = threading.Lock()


class KeyMissingError(StoreError):
    """The database is encrypted and this computer does not have its key: ask for the recovery key."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(
            f"The database {path} is encrypted and this computer has no key for it: it was made on "
            "another computer, its key is missing from this computer, or it is not a Superbill Desk "
            "database at all. Type the recovery key that was printed when the database was set up "
            "(superbill --db FILE unlock). It has not been changed."
        )


class WrongRecoveryKeyError(InputError):
    """A recovery key that is mistyped or belongs to another database (the file stays closed)."""


class RecoveryKey(NamedTuple):  # immutable, compared by value (no dataclass: opening a file imports this)
    """A recovery key: ``text`` is what people print and type, ``database_key`` what opens the file."""

    secret: bytes

    @classmethod
    def new(cls) -> RecoveryKey:
        import secrets

        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def text(self) -> str:
        letters = _encode(self.secret) + _check(self.secret)
        return "-".join(letters[i : i + GROUP] for i in range(0, len(letters), GROUP))

    @property
    def database_key(self) -> bytes:
        return derive_database_key(self.secret)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:  # never in a log or a traceback
        return "RecoveryKey(<hidden>)"


def derive_database_key(secret: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869) of the recovery key: the 32-byte database key."""
    import hashlib  # here (and hmac, secrets): opening a file whose key is kept needs none of them
    import hmac

    prk = hmac.new(_HKDF_SALT, secret, hashlib.sha256).digest()
    return hmac.new(prk, _HKDF_INFO + b"\x01", hashlib.sha256).digest()


def _encode(data: bytes) -> str:
    number = int.from_bytes(data, "big") << (_DATA_CHARS * 5 - len(data) * 8)
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(_DATA_CHARS)))


def _check(secret: bytes) -> str:
    import hashlib

    digest = int.from_bytes(hashlib.sha256(b"check" + secret).digest()[:3], "big") >> 4
    return "".join(ALPHABET[(digest >> (5 * i)) & 31] for i in reversed(range(_CHECK_CHARS)))


def parse_recovery_key(typed: str) -> RecoveryKey:
    """The recovery key in ``typed``: case, spaces and dashes do not matter; O is read as 0, I and L as 1.

    Raises:
        WrongRecoveryKeyError: too short or long, a character that is not in a recovery key, or a
            mistyped one (the check group does not match).
    """
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t\r\n")
    cleaned = "".join(_TYPED_AS.get(ch, ch) for ch in cleaned)
    wanted = _DATA_CHARS + _CHECK_CHARS
    if len(cleaned) != wanted:
        raise WrongRecoveryKeyError(
            f"A recovery key has {wanted} letters and digits (14 groups of 4); {len(cleaned)} were typed. "
            "Check the printed key and type it again."
        )
    wrong = sorted({ch for ch in cleaned if ch not in ALPHABET})
    if wrong:
        raise WrongRecoveryKeyError(
            f"A recovery key has no {', '.join(wrong)}. Check the printed key and type it again."
        )
    number = 0
    for ch in cleaned[:_DATA_CHARS]:
        number = number * 32 + ALPHABET.index(ch)
    padding = _DATA_CHARS * 5 - KEY_BYTES * 8
    secret = (number >> padding).to_bytes(KEY_BYTES, "big")
    if number & ((1 << padding) - 1) or _check(secret) != cleaned[_DATA_CHARS:]:
        raise WrongRecoveryKeyError(
            "That recovery key is mistyped (its last group does not match the others). "
            "Check each group against the printed key and type it again."
        )
    return RecoveryKey(secret)


# ---------------------------------------------------------------------------------------------------------
# Where keys are kept


def account(path: Path | str) -> str:
    """The name a database's key is kept under: the file's full path."""
    return os.path.normcase(str(Path(path).resolve()))


def _key_file() -> Path | None:
    """The key file to use, or None for the system key store."""
    choice = os.environ.get(KEYSTORE_ENV, "").strip()
    if choice.startswith("file:"):
        return Path(choice[5:])
    if choice == "keyring" or (not choice and _system_store_usable()):
        return None
    from core.paths import APP_AUTHOR, APP_NAME, DATA_DIR_ENV

    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) / KEY_FILE_NAME
    from platformdirs import user_data_path  # the data folder (not created just to look for a key)

    return user_data_path(APP_NAME, APP_AUTHOR) / KEY_FILE_NAME


def _system_store_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # no keyring package, or a broken configuration: use the key file
        return False
    if isinstance(backend, fail.Keyring):
        return False
    with contextlib.suppress(Exception):
        return float(backend.priority) > 0
    return False


def store_description() -> str:
    """Where keys are kept on this computer, in words (for messages and the docs' check)."""
    file = _key_file()
    if file is None:
        return "the computer's key store (Windows Credential Manager, macOS Keychain or Secret Service)"
    return f"the key file {file} (this computer has no key store)"


def _read_file(file: Path) -> dict[str, str]:
    try:
        found = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise StoreError(
            f"The key file {file} cannot be read ({err}). Restore it from a copy, or type the "
            "database's recovery key (superbill --db FILE unlock)."
        ) from err
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _write_file(file: Path, keys: dict[str, str]) -> None:
    from core.paths import private_dir

    private_dir(file.parent)
    partial = file.with_name(f"{file.name}.{os.getpid()}-{threading.get_ident()}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(keys, out, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, file)
    except OSError as err:
        raise StoreError(
            f"The database key could not be saved in {file} ({err.strerror}). "
            "Check that the folder is not read-only and that the disk is not full."
        ) from err
    finally:
        partial.unlink(missing_ok=True)


#: how long a lock file left by a program that stopped half-way is respected (seconds)
_STALE_LOCK_S = 30.0


@contextlib.contextmanager
def _changing(file: Path) -> Iterator[None]:
    """One read-change-write of the key file at a time: across threads (a lock) and across programs (a
    lock file made with O_EXCL, waited for; one older than half a minute was left by a stopped program)."""
    from core.paths import private_dir

    private_dir(file.parent)
    marker = file.with_name(f"{file.name}.lock")
    with _file_lock:
        deadline = time.monotonic() + 2 * _STALE_LOCK_S
        while True:
            try:
                os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                break
            except FileExistsError:
                with contextlib.suppress(OSError):
                    if time.time() - marker.stat().st_mtime > _STALE_LOCK_S or time.monotonic() > deadline:
                        marker.unlink(missing_ok=True)
                time.sleep(0.02)
            except OSError as err:
                raise StoreError(
                    f"The database key could not be saved in {file.parent} ({err.strerror}). "
                    "Check that the folder is not read-only and that the disk is not full."
                ) from err
        try:
            yield
        finally:
            marker.unlink(missing_ok=True)


def load_key(path: Path | str) -> bytes | None:
    """The key of the database at ``path`` on this computer, or None when it has none."""
    name = account(path)
    file = _key_file()
    if file is None:
        import keyring

        try:
            found = keyring.get_password(SERVICE, name)
        except Exception as err:
            raise StoreError(
                f"The computer's key store could not be read ({err}). Unlock it (sign in to the "
                "computer again) and try again."
            ) from err
    else:
        found = _read_file(file).get(name)
    if not found:
        return None
    try:
        key = bytes.fromhex(found)
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def save_key(path: Path | str, key: bytes) -> None:
    """Keep ``key`` as the key of the database at ``path`` (replacing any key it had)."""
    name = account(path)
    file = _key_file()
    if file is None:
        import keyring

        try:
            keyring.set_password(SERVICE, name, key.hex())
        except Exception as err:
            raise StoreError(
                f"The database key could not be saved in the computer's key store ({err}). "
                "Unlock the key store (sign in to the computer again) and try again."
            ) from err
        return
    with _changing(file):
        keys = _read_file(file)
        keys[name] = key.hex()
        _write_file(file, keys)


def forget_key(path: Path | str) -> None:
    """Remove the key kept for ``path`` (a database that was deleted); nothing when there is none."""
    name = account(path)
    file = _key_file()
    if file is None:
        import keyring

        with contextlib.suppress(Exception):
            keyring.delete_password(SERVICE, name)
        return
    with _changing(file):
        keys = _read_file(file)
        if keys.pop(name, None) is not None:
            _write_file(file, keys)
