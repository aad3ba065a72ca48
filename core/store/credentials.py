"""Checking a person's name and password against a file without opening it as a store.

For the steps that must work when the database itself cannot be opened — restoring over a damaged
file, checking a damaged file — the password is checked, reading only, against the file's own
accounts (the backup's, for a restore). Nothing is written, so wrong tries are not counted here;
each try still costs a whole Argon2id check, and the counted sign-in is used whenever the file opens.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core import passwords
from core.accounts import Account, Action, Role, require
from core.errors import SignInError, StoreError
from core.store import connections

_NO_MATCH = "The user name and password do not match the accounts in {where}."


def accounts_in(path: Path) -> bool | None:
    """Whether the file has accounts (``None`` when it cannot be read at all)."""
    try:
        conn = connections.connect(path, read_only=True)
    except (StoreError, sqlite3.Error):
        return None
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'accounts'").fetchone() is None:
            return False
        return conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def check_in_file(path: Path, name: str, password: str, action: Action) -> Account:
    """The account ``name`` of the file at ``path`` when ``password`` is its password and its role
    allows ``action``; else ``SignInError`` / ``NotAllowedError`` in plain words."""
    where = f"the file {path}"
    try:
        conn = connections.connect(path, read_only=True)
    except (StoreError, sqlite3.Error) as err:
        raise SignInError(f"{where} cannot be read to check who you are ({err}).") from None
    try:
        row = conn.execute(
            "SELECT id, name, full_name, role, active, password_hash FROM accounts WHERE name = ?",
            [name.strip()],
        ).fetchone()
    except sqlite3.Error:
        raise SignInError(
            f"{where} cannot be read to check who you are (its accounts are damaged)."
        ) from None
    finally:
        conn.close()
    if row is None:
        passwords.waste_time_like_a_check(password)
        raise SignInError(_NO_MATCH.format(where=where))
    if not passwords.check_password(str(row[5]), password).ok:
        raise SignInError(_NO_MATCH.format(where=where))
    account = Account(int(row[0]), str(row[1]), str(row[2]), Role(row[3]), bool(row[4]))
    require(account, action)
    return account
