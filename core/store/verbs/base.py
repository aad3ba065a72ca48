"""``StoreBase``: the open database, the store's clock and user, and the SQL helpers every verb uses.

Every write verb runs inside ``self.transaction()`` (``BEGIN IMMEDIATE``) together with its audit row
(``_audit``), so a crash leaves either the whole change or none of it.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, Self, TypeVar

from core import accounts
from core.accounts import Account, Action
from core.errors import NotFoundError
from core.store import audit, connections, patient_search, rows, sessions, stale
from core.store.connections import MEMORY, write_transaction
from core.store.records import Patient, Payer, Provider

Clock = Callable[[], datetime]
#: the records saved by ``_save_record``: all have an ``id`` that is ``None`` until saved
SavedRecord = TypeVar("SavedRecord", Provider, Payer, Patient)
Record = TypeVar("Record")


class Database(Protocol):
    """What the store needs of its open file (``core.store.opening.OpenFile``)."""

    conn: sqlite3.Connection

    def close(self) -> None: ...


Params = ParamSpec("Params")
Result = TypeVar("Result")
Verbs = TypeVar("Verbs", bound="StoreBase")

#: the public members of ``Store`` that need nobody signed in (life cycle, clock, signing in itself);
#: every other public verb names its action with ``@requires`` (a test walks them all)
OPEN_TO_ALL = frozenset(
    {
        "close", "conn", "transaction", "now", "today", "db", "path", "user", "session_id", "account",
        "is_set_up", "mark_set_up", "has_accounts", "sign_in", "sign_out", "create_first_administrator",
        "may", "require", "setting_up", "change_own_password",
    }
)  # fmt: skip


def requires(
    action: Action,
) -> Callable[[Callable[Concatenate[Verbs, Params], Result]], Callable[Concatenate[Verbs, Params], Result]]:
    """Mark a verb with the action it needs: it refuses (``NotAllowedError``) unless the signed-in
    person's role allows ``action`` (``core.accounts``), whichever program calls it."""

    def mark(
        verb: Callable[Concatenate[Verbs, Params], Result],
    ) -> Callable[Concatenate[Verbs, Params], Result]:
        @functools.wraps(verb)
        def checked(self: Verbs, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
            self.require(action)
            return verb(self, *args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]
        return checked

    return mark


def utc_now() -> datetime:
    """The default clock: the current time in UTC."""
    return datetime.now(UTC)


def default_user() -> str:
    """The name written into the audit log when none is given: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises various errors when no user name is set (services, containers)
        return "unknown"


class StoreBase:
    """The practice's database. Make one with ``core.store.open_store``; close it (or use ``with``).

    ``clock`` returns the current UTC time (tests pass a fixed one); ``user`` is the name written
    into the audit log (default: the operating-system user). Use a store from the thread that
    opened it.
    """

    def __init__(self, db: Database, path: Path | None, *, clock: Clock, user: str) -> None:
        self.db = db
        self.path = path
        self._clock = clock
        #: the name written into the audit log: the signed-in person's user name once signed in
        self.user = user
        #: the signed-in person (``None`` until ``sign_in``); every verb checks its role
        self.account: Account | None = None
        self._setting_up = False
        #: this program's row in ``sessions`` (``core.store.sessions``), removed at close
        self.session_id: int | None = None
        patient_search.register(db.conn)

    # -- life cycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file; everything saved is already on disk."""
        if self.session_id is not None and self.path is not None:
            sessions.unregister(self.conn, self.path, self.session_id)
            self.session_id = None
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Self]:
        """Group several verbs into one transaction: all of them are stored, or none (nests safely).

        The transaction takes the write lock first (``BEGIN IMMEDIATE``), waiting for another program's
        write to finish; a write SQLite cannot store (full disk, read-only file) rolls back the whole
        change and becomes a ``StoreError`` that says so."""
        with write_transaction(self.conn, self.path or MEMORY):
            yield self

    # -- who is signed in -------------------------------------------------------------------------

    def may(self, action: Action) -> bool:
        """Whether the signed-in person may take ``action`` now (the window greys out the rest)."""
        return self._setting_up or (self.account is not None and self.account.may(action))

    def require(self, action: Action) -> None:
        """Raise ``NotAllowedError`` unless the signed-in person may take ``action``."""
        if not self._setting_up:
            accounts.require(self.account, action)

    @contextlib.contextmanager
    def setting_up(self) -> Iterator[None]:
        """The program's own first start: the set-up record and the demo practice are written before
        anybody has an account (the audit rows name the operating-system user). Only
        ``core.store.demo.set_up`` uses it, and only while the file is not set up yet."""
        self._setting_up = True
        try:
            yield
        finally:
            self._setting_up = False

    def now(self) -> datetime:
        """The store's clock, in UTC."""
        value = self._clock()
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    def today(self) -> date:
        """Today's date at the front desk (the clock converted to the computer's time zone)."""
        return self.now().astimezone().date()

    # -- helpers for the verbs ------------------------------------------------------------------------

    def _audit(
        self, entity: str, entity_id: object, action: str, before: Any = None, after: Any = None
    ) -> None:
        """Append the audit row of a write (inside its transaction). For an update of a record only
        the fields that changed are kept, before and after, so drafts saved on every edit do not
        fill the log with copies of unchanged lesions."""
        if isinstance(before, dict) and isinstance(after, dict):
            before, after = audit.changed_fields(before, after)
        audit.append(
            self.conn,
            at=self.now(),
            who=self.user,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
        )

    def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._query(sql, params).fetchone()
        return row

    def _query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        cursor = self.conn.cursor()
        cursor.row_factory = connections.Row
        return cursor.execute(sql, params)

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        cursor = self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _insert_many(self, table: str, many: Sequence[dict[str, Any]]) -> None:
        """Insert rows that all have the same columns (nothing when ``many`` is empty), as one
        statement per hundred rows."""
        if not many:
            return
        names = list(many[0])
        row_marks = "(" + ", ".join("?" * len(names)) + ")"
        for start in range(0, len(many), 100):
            chunk = many[start : start + 100]
            values = [row[name] for row in chunk for name in names]
            marks = ", ".join([row_marks] * len(chunk))
            self.conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES {marks}", values)

    def _get(self, table: str, row_id: int, convert: Callable[[sqlite3.Row], Record], missing: str) -> Record:
        """The record with this id from ``table``, or ``NotFoundError`` with the text ``missing``."""
        row = self._one(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if row is None:
            raise NotFoundError(missing)
        return convert(row)

    def _update(self, table: str, row_id: int, row: dict[str, Any]) -> None:
        assignments = ", ".join(f"{name} = :{name}" for name in row)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = :_id", {**row, "_id": row_id})

    def _save_record(
        self,
        table: str,
        entity: str,
        record: SavedRecord,
        row: dict[str, Any],
        stored: Callable[[int], SavedRecord],
    ) -> SavedRecord:
        """Insert (``record.id`` None) or update one row of ``table`` with its audit row; call inside
        the verb's transaction. ``stored`` reads the record as it was, for the audit's "before" and
        for the version check: a save made from a copy another program changed meanwhile is refused
        (``StaleRecordError``, see ``core.store.stale``)."""
        row = {k: v for k, v in row.items() if k != "version"}
        if record.id is None:
            saved = replace(record, id=self._insert(table, {**row, "version": 1}), version=1)
            self._audit(entity, saved.id, "create", None, rows.as_json_value(saved))
            return saved
        before = stored(record.id)
        label = getattr(before, "display_name", None) or getattr(before, "name", "")
        stale.check_version(
            self.conn, entity, f"{entity.capitalize()} {label}", record.id, before.version, record.version
        )
        saved = replace(record, version=before.version + 1)
        self._update(table, record.id, {**row, "version": saved.version})
        self._audit(entity, record.id, "update", rows.as_json_value(before), rows.as_json_value(saved))
        return saved
