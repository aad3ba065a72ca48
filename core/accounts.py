"""Who may do what: the roles, the actions they allow, and the signed-in person's account.

The table itself is data (``resources/security/roles.json``); this module reads it once and answers
"may this role do that?". Every verb of the database names the action it needs (``core.store.verbs.
base.requires``), so the check holds for the window and the commands alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from core.errors import NotAllowedError
from core.packaged import read_text


class Action(StrEnum):
    """What a verb of the database does, as the roles table names it."""

    READ_PRACTICE = "read_practice"
    VIEW_PATIENTS = "view_patients"
    EDIT_PATIENTS = "edit_patients"
    RECORD_VISITS = "record_visits"
    PRINT = "print"
    BACKUP = "backup"
    FINALIZE = "finalize"
    VOID = "void"
    REOPEN = "reopen"
    PAYMENTS = "payments"
    FEES = "fees"
    IMPORT = "import"
    PRACTICE_SETTINGS = "practice_settings"
    MANAGE_USERS = "manage_users"
    RESTORE = "restore"
    VERIFY = "verify"


class Role(StrEnum):
    """A person's role at the practice."""

    FRONT_DESK = "front_desk"
    BILLER = "biller"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """The role's name as the window shows it ("Front desk")."""
        return str(_table().labels[self])


@dataclass(frozen=True)
class Account:
    """One person who signs in. The password hash never leaves the store."""

    id: int
    name: str
    full_name: str
    role: Role
    active: bool = True

    def may(self, action: Action) -> bool:
        return self.active and action in allowed(self.role)

    @property
    def shown_name(self) -> str:
        """The full name when there is one, else the sign-in name."""
        return self.full_name or self.name


@dataclass(frozen=True)
class _RolesTable:
    descriptions: dict[Action, str]
    labels: dict[Role, str]
    allowed: dict[Role, frozenset[Action]]


@cache
def _table() -> _RolesTable:
    raw = json.loads(read_text("resources.security", "roles.json"))
    descriptions = {Action(name): str(text) for name, text in raw["actions"].items()}
    roles = raw["roles"]

    def actions_of(name: str, seen: tuple[str, ...] = ()) -> frozenset[Action]:
        if name in seen:
            raise ValueError(f"roles.json: role {name!r} includes itself")
        entry = roles[name]
        own = frozenset(Action(a) for a in entry.get("may", ()))
        parent = entry.get("includes")
        return own | (actions_of(parent, (*seen, name)) if parent else frozenset())

    return _RolesTable(
        descriptions=descriptions,
        labels={Role(name): str(entry["label"]) for name, entry in roles.items()},
        allowed={Role(name): actions_of(name) for name in roles},
    )


def allowed(role: Role) -> frozenset[Action]:
    """Every action ``role`` may take."""
    return _table().allowed[role]


def describe(action: Action) -> str:
    """The action in plain words ("save a visit as final …")."""
    return _table().descriptions[action]


def roles_allowed_to(action: Action) -> list[Role]:
    """The roles that may take ``action``, in the table's order (front desk first)."""
    return [role for role in Role if action in allowed(role)]


def require(account: Account | None, action: Action) -> None:
    """Raise ``NotAllowedError`` unless ``account`` is signed in and its role allows ``action``."""
    if account is None:
        raise NotAllowedError(
            f"Sign in first: to {describe(action)}, a person must be signed in to Superbill Desk."
        )
    if not account.may(action):
        who = " or ".join(r.label.lower() for r in roles_allowed_to(action)) or "nobody"
        raise NotAllowedError(
            f"{account.shown_name} is signed in as {account.role.label.lower()}, and only someone signed "
            f"in as {who} may {describe(action)}. Ask someone with that role to do it, or to sign in."
        )
