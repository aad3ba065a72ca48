"""Verbs for the people who sign in: the first administrator, signing in and out, managing accounts,
and the audit rows of reads (a patient's record looked at, a paper printed).

A wrong password is counted in the file, so the count holds across the window, a second window and
the commands; from the fifth wrong password in a row each further try must wait longer (30 s, then
doubling, at most 15 min) before it is even looked at. An unknown name takes as long to refuse as a
known one, and both get the same answer.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from core import passwords
from core.accounts import Account, Action, Role
from core.errors import InputError, NotAllowedError, NotFoundError, SignInError
from core.store.verbs.base import StoreBase, requires

#: wrong passwords in a row that are answered at once; from then on each try waits longer
FREE_TRIES = 5
FIRST_WAIT_SECONDS = 30
LONGEST_WAIT_SECONDS = 15 * 60
#: the longest user name; names are letters, digits, spaces, dots, dashes, underscores and apostrophes
NAME_LENGTH = 40
_NAME = re.compile(r"^[\w][\w .'-]*$")
_NO_MATCH = (
    "The user name and password do not match. Check the name and Caps Lock, then try again "
    "(an administrator can reset a forgotten password)."
)
#: an account's fields in the audit log, which the data check compares (the wrong-password count is not
#: audited: it changes on every try)
AUDITED_FIELDS = ("name", "full_name", "role", "active", "password_hash")


def wait_before_next_try(failed_tries: int, last_failed_at: datetime | None, now: datetime) -> int:
    """Seconds to wait before a try after ``failed_tries`` wrong passwords in a row (0 = try now)."""
    if failed_tries < FREE_TRIES or last_failed_at is None:
        return 0
    delay = min(FIRST_WAIT_SECONDS << min(failed_tries - FREE_TRIES, 10), LONGEST_WAIT_SECONDS)
    return max(0, math.ceil(delay - (now - last_failed_at).total_seconds()))


def check_user_name(name: str, field: str = "user name") -> str:
    """The user name as stored (spaces at the ends removed), or ``InputError`` saying what is wrong."""
    cleaned = name.strip()
    if not cleaned:
        raise InputError(
            "User name: type the name this person signs in with (for example 'anna').", field=field
        )
    if len(cleaned) > NAME_LENGTH or not _NAME.match(cleaned):
        raise InputError(
            f"User name: use up to {NAME_LENGTH} letters, digits, spaces, dots or dashes "
            f"('{cleaned[:NAME_LENGTH]}' has other characters or is too long).",
            field=field,
        )
    return cleaned


def _account_from(row: sqlite3.Row) -> Account:
    return Account(
        id=int(row["id"]),
        name=str(row["name"]),
        full_name=str(row["full_name"]),
        role=Role(row["role"]),
        active=bool(row["active"]),
    )


def audited_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """An account row's audited fields, as the audit log holds them (``active`` a true/false)."""
    return {name: (bool(row[name]) if name == "active" else row[name]) for name in AUDITED_FIELDS}


class AccountVerbs(StoreBase):
    """Accounts, signing in and out, and the log of reads and prints."""

    # -- first start and signing in ---------------------------------------------------------------------

    def has_accounts(self) -> bool:
        """True once the first administrator exists (a file from before accounts has none)."""
        return self._one("SELECT 1 FROM accounts LIMIT 1") is not None

    def create_first_administrator(self, name: str, password: str, *, full_name: str = "") -> Account:
        """Make the first account (an administrator) and sign it in; refused once any account exists."""
        name = check_user_name(name)
        passwords.check_new_password(password, name=name)
        with self.transaction():
            if self.has_accounts():
                raise NotAllowedError(
                    "This database already has its administrator: sign in, or ask them to add you."
                )
            account = self._insert_account(name, full_name, Role.ADMINISTRATOR, password, who=name)
        self._signed_in(account)
        return account

    def sign_in(self, name: str, password: str) -> Account:
        """Sign ``name`` in (``SignInError`` with a plain message when refused); the audit log's "who"
        is then this person, in every row this store writes."""
        typed = name.strip()
        row = self._one("SELECT * FROM accounts WHERE name = ?", [typed]) if typed else None
        if row is None:
            passwords.waste_time_like_a_check(password)
            raise SignInError(_NO_MATCH)
        last = row["last_failed_at"]
        wait = wait_before_next_try(
            int(row["failed_tries"]), None if last is None else datetime.fromisoformat(last), self.now()
        )
        if wait:
            raise SignInError(
                f"Too many wrong passwords in a row for {row['name']}. Wait {wait} seconds, then try again "
                "— or ask an administrator to reset the password.",
                wait_seconds=wait,
            )
        checked = passwords.check_password(str(row["password_hash"]), password)
        if not checked.ok:
            self._count_wrong_password(int(row["id"]), str(row["name"]))
            raise SignInError(_NO_MATCH)
        account = _account_from(row)
        if not account.active:
            raise SignInError(
                f"The account {account.name} is switched off. Ask an administrator to switch it on."
            )
        with self.transaction():
            new_hash = passwords.hash_password(password) if checked.rehash else None
            self.conn.execute(
                "UPDATE accounts SET failed_tries = 0, last_failed_at = NULL, "
                "password_hash = COALESCE(?, password_hash) WHERE id = ?",
                [new_hash, account.id],
            )
            self._audit_as(account.name, "account", account.id, "sign_in")
            if new_hash is not None:
                self._audit_as(
                    account.name, "account", account.id, "update", None, {"password_hash": new_hash}
                )
        self._signed_in(account)
        return account

    def sign_out(self) -> None:
        """Nobody is signed in any more (the window's lock does this); every verb refuses until
        the next ``sign_in``."""
        if self.account is not None:
            with self.transaction():
                self._audit("account", self.account.id, "sign_out")
        self.account = None

    def _signed_in(self, account: Account) -> None:
        self.account = account
        self.user = account.name

    def _count_wrong_password(self, account_id: int, name: str) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE accounts SET failed_tries = failed_tries + 1, last_failed_at = ? WHERE id = ?",
                [self.now().isoformat(), account_id],
            )
            self._audit_as(name, "account", account_id, "sign_in_failed")

    def _audit_as(self, who: str, entity: str, entity_id: object, action: str, *values: Any) -> None:
        kept, self.user = self.user, who
        try:
            self._audit(entity, entity_id, action, *values)
        finally:
            self.user = kept

    # -- managing accounts (administrators) ---------------------------------------------------------------

    @requires(Action.MANAGE_USERS)
    def accounts(self) -> list[Account]:
        """Every account, by name."""
        return [_account_from(r) for r in self._query("SELECT * FROM accounts ORDER BY name COLLATE NOCASE")]

    @requires(Action.MANAGE_USERS)
    def add_account(self, name: str, password: str, role: Role, *, full_name: str = "") -> Account:
        """A new person who signs in with ``name`` and ``password`` (they should change it)."""
        name = check_user_name(name)
        passwords.check_new_password(password, name=name)
        with self.transaction():
            if self._one("SELECT 1 FROM accounts WHERE name = ?", [name]) is not None:
                raise InputError(f"User name: {name} is taken already; choose another.", field="user name")
            return self._insert_account(name, full_name, role, password, who=self.user)

    @requires(Action.MANAGE_USERS)
    def update_account(self, account_id: int, *, full_name: str, role: Role, active: bool) -> Account:
        """Change a person's full name, role or whether they may sign in. The last active
        administrator cannot be demoted or switched off (nobody could manage accounts then)."""
        with self.transaction():
            row = self._account_row(account_id)
            before = audited_values(dict(row))
            losing_admin = before["role"] == Role.ADMINISTRATOR and before["active"]
            if losing_admin and (role != Role.ADMINISTRATOR or not active) and self._active_admins() == 1:
                raise InputError(
                    f"{row['name']} is the only administrator: make someone else an administrator first.",
                    field="role",
                )
            self.conn.execute(
                "UPDATE accounts SET full_name = ?, role = ?, active = ?, version = version + 1 WHERE id = ?",
                [full_name.strip(), str(role), int(active), account_id],
            )
            after = {**before, "full_name": full_name.strip(), "role": str(role), "active": active}
            self._audit("account", account_id, "update", before, after)
        return self._account(account_id)

    @requires(Action.MANAGE_USERS)
    def reset_password(self, account_id: int, new_password: str) -> None:
        """Emergency access: an administrator sets a new password for someone who forgot theirs (the
        wrong-password count starts again)."""
        row = self._account_row(account_id)
        passwords.check_new_password(new_password, name=str(row["name"]))
        self._set_password(account_id, new_password)

    def change_own_password(self, old_password: str, new_password: str) -> None:
        """The signed-in person changes their own password (the old one is asked again)."""
        if self.account is None:
            raise NotAllowedError("Sign in first: only a signed-in person can change their password.")
        row = self._account_row(self.account.id)
        if not passwords.check_password(str(row["password_hash"]), old_password).ok:
            raise InputError("Current password: that is not your current password.", field="current password")
        passwords.check_new_password(new_password, name=self.account.name, field="new password")
        self._set_password(self.account.id, new_password)

    def _set_password(self, account_id: int, password: str) -> None:
        new_hash = passwords.hash_password(password)
        with self.transaction():
            self.conn.execute(
                "UPDATE accounts SET password_hash = ?, password_changed_at = ?, failed_tries = 0, "
                "last_failed_at = NULL, version = version + 1 WHERE id = ?",
                [new_hash, self.now().isoformat(), account_id],
            )
            self._audit("account", account_id, "update", None, {"password_hash": new_hash})

    def _insert_account(self, name: str, full_name: str, role: Role, password: str, *, who: str) -> Account:
        now = self.now().isoformat()
        row = {
            "name": name,
            "full_name": full_name.strip(),
            "role": str(role),
            "password_hash": passwords.hash_password(password),
            "active": 1,
            "created_at": now,
            "password_changed_at": now,
        }
        account_id = self._insert("accounts", row)
        self._audit_as(who, "account", account_id, "create", None, audited_values(row))
        return self._account(account_id)

    def _account_row(self, account_id: int) -> sqlite3.Row:
        row = self._one("SELECT * FROM accounts WHERE id = ?", [account_id])
        if row is None:
            raise NotFoundError(f"There is no account number {account_id}.")
        return row

    def _account(self, account_id: int) -> Account:
        return _account_from(self._account_row(account_id))

    def _active_admins(self) -> int:
        row = self._one(
            "SELECT count(*) AS n FROM accounts WHERE role = ? AND active = 1", [str(Role.ADMINISTRATOR)]
        )
        return 0 if row is None else int(row["n"])

    # -- reads and prints, for the audit log ----------------------------------------------------------------

    @requires(Action.VIEW_PATIENTS)
    def record_view(self, patient_id: int, what: str) -> None:
        """Log that the signed-in person looked at a patient's record (``what``: "visit", "details")."""
        with self.transaction():
            self._audit("patient", patient_id, "view", None, {"what": what})

    @requires(Action.PRINT)
    def record_print(self, encounter_ids: Iterable[int], what: str) -> None:
        """Log that these encounters' papers were printed or saved (``what``: "superbill printed",
        "superbill saved as PDF", "review sheet" …), one row each."""
        with self.transaction():
            for encounter_id in encounter_ids:
                self._audit("encounter", encounter_id, "print", None, {"what": what})
