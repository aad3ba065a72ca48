"""Refusing a save made from a stale copy: a record read before another program changed it.

The window, a second window and the commands work on one file at the same time. Each record that two
of them may edit (patients, encounters with their payments, payers, providers) carries a ``version``
that every write adds one to. A save names the version it was made from; when the stored row has
moved on, the save is refused with ``StaleRecordError`` — nothing is written, and the message says who
changed what meanwhile (read from the audit log), so the user can look before saving again. The check
runs inside the write transaction (``BEGIN IMMEDIATE``), so no other write can slip in between.
A record with version 0 was not read from the store (built by hand): its save is not checked.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from core.dates import shown_moment
from core.errors import StaleRecordError

#: fields that change on every write and say nothing to the user
_BOOKKEEPING = frozenset({"version", "updated_at", "created_at"})
#: how a field name reads in the message
_FIELD_WORDS = {
    "paid_cents": "amount paid",
    "em_code": "visit code",
    "decision_for_surgery": "decision for surgery (57)",
    "place_of_service": "place of service",
    "date_of_service": "date of service",
    "provider_id": "provider",
    "patient_id": "patient",
    "payer_id": "insurance",
    "member_id": "member ID",
    "void_reason": "void reason",
    "date_of_birth": "date of birth",
    "first_name": "first name",
    "last_name": "last name",
    "lines": "billed lines",
    "messages": "coding messages",
}


def check_version(
    conn: sqlite3.Connection, entity: str, label: str, record_id: int, stored: int, expected: int
) -> None:
    """Raise ``StaleRecordError`` when the stored row (``stored``) is not the version the save was made
    from (``expected``; 0 = unknown, not checked). ``label`` names the record ("Patient Lovelace, Ada")."""
    if expected == 0 or stored == expected:
        return
    changes = _changes_since(conn, entity, record_id, expected)
    said = "; ".join(changes) if changes else "it was saved again"
    raise StaleRecordError(
        f"{label} was changed in another window or program while you were working on it ({said}). "
        "Your change was not saved, so nothing of the other change is lost; what you typed is still on "
        "screen. Look at the record as it is now, then make your change again."
    )


def _changes_since(conn: sqlite3.Connection, entity: str, record_id: int, version: int) -> list[str]:
    """ "status, amount paid by dana at 10:42" for each audited write after ``version`` (newest last)."""
    found = conn.execute(
        "SELECT at, who, action, after FROM audit_log WHERE entity = ? AND entity_id = ? "
        "ORDER BY id DESC LIMIT 20",
        [entity, str(record_id)],
    ).fetchall()
    said: list[str] = []
    for at, who, action, after in reversed(found):
        try:
            state = json.loads(after) if after else {}
        except ValueError:
            continue
        if not isinstance(state, dict) or int(state.get("version") or 0) <= version:
            continue
        fields = sorted(_FIELD_WORDS.get(k, k.replace("_", " ")) for k in state if k not in _BOOKKEEPING)
        when = shown_moment(datetime.fromisoformat(at))
        what = ", ".join(fields) if fields else action
        said.append(f"{what} — {action} by {who} on {when}")
    return said
