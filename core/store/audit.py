"""The append-only audit log: who changed what, when, with the changed fields before and after.

Rows are chained by hashes: each row's ``hash`` is SHA-256 of the previous row's hash followed by the
row's canonical JSON (sorted keys, no spaces). Editing a past row breaks its own hash; deleting one
breaks the next row's ``prev_hash``. The ``meta`` table keeps the number of rows and the last hash,
written in the same transaction, so deleting the newest rows is caught too. Triggers refuse UPDATE
and DELETE on the table, so only someone working on the file with another tool can break the chain —
and ``verify_audit`` then names the first broken row.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from typing import Any

from core.store.records import AuditCheck

#: the ``prev_hash`` of the first row
GENESIS_HASH = "0" * 64
_HEAD_ROWS = "audit_rows"
_HEAD_HASH = "audit_head"
_HASHED_COLUMNS = ("id", "at", "who", "entity", "entity_id", "action", "before", "after")


def canonical_json(value: Any) -> str:
    """One spelling for a value: sorted keys, no spaces, non-ASCII kept (what the hashes cover)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """The chained hash of one audit row (``row`` without its ``prev_hash`` and ``hash``)."""
    return hashlib.sha256((prev_hash + canonical_json(row)).encode("utf-8")).hexdigest()


#: fields left out of an update's before/after: they change on every write and the row has its own time
UNAUDITED_FIELDS = frozenset({"updated_at"})


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs (by canonical JSON), as (before, after) dicts."""
    keys = [
        k
        for k in sorted(set(before) | set(after))
        if k not in UNAUDITED_FIELDS and canonical_json(before.get(k)) != canonical_json(after.get(k))
    ]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _meta(conn: sqlite3.Connection, name: str) -> str | None:
    found = conn.execute("SELECT value FROM meta WHERE name = ?", [name]).fetchone()
    return None if found is None else str(found[0])


def append(
    conn: sqlite3.Connection,
    *,
    at: datetime,
    who: str,
    entity: str,
    entity_id: object,
    action: str,
    before: Any = None,
    after: Any = None,
) -> int:
    """Append one row; call inside the transaction of the write it records. Returns the row id.

    The newest row's number and hash come from the head kept in ``meta`` (rows are numbered 1, 2, …
    without gaps, which ``verify`` checks), so an append is three statements."""
    head = dict(
        conn.execute("SELECT name, value FROM meta WHERE name IN (?, ?)", [_HEAD_ROWS, _HEAD_HASH]).fetchall()
    )
    count = int(head.get(_HEAD_ROWS) or 0)
    prev_hash = str(head.get(_HEAD_HASH) or GENESIS_HASH)
    row_id = count + 1
    row = {
        "id": row_id,
        "at": at.isoformat(),
        "who": who,
        "entity": entity,
        "entity_id": str(entity_id),
        "action": action,
        "before": None if before is None else canonical_json(before),
        "after": None if after is None else canonical_json(after),
    }
    digest = row_hash(prev_hash, row)
    conn.execute(
        "INSERT INTO audit_log (id, at, who, entity, entity_id, action, before, after, prev_hash, hash) "
        "VALUES (:id, :at, :who, :entity, :entity_id, :action, :before, :after, :prev_hash, :hash)",
        {**row, "prev_hash": prev_hash, "hash": digest},
    )
    conn.execute(
        "INSERT INTO meta (name, value) VALUES (?, ?), (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [_HEAD_ROWS, str(row_id), _HEAD_HASH, digest],
    )
    return row_id


def verify(conn: sqlite3.Connection) -> AuditCheck:
    """Walk the whole chain; report the first row whose hash or link does not hold."""
    prev_hash = GENESIS_HASH
    count = 0
    last_id: int | None = None
    cursor = conn.execute(
        "SELECT id, at, who, entity, entity_id, action, before, after, prev_hash, hash "
        "FROM audit_log ORDER BY id"
    )
    for found in cursor:
        row_id = int(found[0])
        row = dict(zip(_HASHED_COLUMNS, found[:8], strict=True))
        stored_prev, stored_hash = found[8], found[9]
        expected_id = 1 if last_id is None else last_id + 1
        if row_id != expected_id or stored_prev != prev_hash:
            return _broken(count, row_id, f"row {row_id}: the row before it is missing or was changed")
        if row_hash(prev_hash, row) != stored_hash:
            return _broken(count, row_id, f"row {row_id} was changed after it was written")
        prev_hash = stored_hash
        last_id = row_id
        count += 1
    head_rows = int(_meta(conn, _HEAD_ROWS) or 0)
    head_hash = _meta(conn, _HEAD_HASH) or GENESIS_HASH
    if head_rows != count or head_hash != prev_hash:
        missing_from = (last_id or 0) + 1
        return _broken(
            count,
            missing_from,
            f"the newest rows (from row {missing_from}) are missing: the log should have {head_rows} rows, "
            f"it has {count}",
        )
    return AuditCheck(ok=True, rows=count, first_broken_id=None, text=f"audit log intact ({count} rows)")


def _broken(rows: int, row_id: int, why: str) -> AuditCheck:
    return AuditCheck(
        ok=False,
        rows=rows,
        first_broken_id=row_id,
        text=f"audit log damaged: {why}. Restore a backup from before the change, or report it.",
    )
