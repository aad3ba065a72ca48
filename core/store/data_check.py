"""The data check: does every audited row in the file still hold what the audit log says it should?

The audit log's hash chain (``core.store.audit``) proves the log itself was not edited; this check
extends that proof to the data. Every write verb appends, in its own transaction, the whole record
when it creates one and the changed fields when it updates one; replaying the log in order therefore
gives the state each record must have now. ``verify_data`` replays it and compares the result, record
by record, with the tables, read through the same converters (``core.store.rows``) the verbs use, so
the comparison is like for like. It reports, in plain words:

- a record changed outside the program (which field, the value in the file and the value in the log);
- a record deleted outside the program (the log says it exists, the file has no row);
- a record added outside the program (a row the log never created);
- billed lines, lesions or messages left without their encounter, a patient whose search names no
  longer match the names, and document or chart-number counters the log does not account for.

Covered: the practice, providers, payers, patients, encounters with their lesion groups, coding
messages and billed lines (status, void reason, payment, document number, fees charged…), the fee
schedule and the settings. Not covered, on purpose: the encounter's ``updated_at`` (left out of every
update's audit row), ``meta`` (the chain's own head, checked by ``audit.verify``, and the set-up and
ICD-10-CM release marks), the ICD-10-CM search index and the patient-name word index (copies rebuilt
from the program's code set and from ``patients``), ``sessions`` (which programs have the file open)
and sqlite-utils' migration record.

Streaming: the log is read row by row and, per record, only a 64-bit fingerprint of each field is kept
(a quarter of a million encounters take tens of megabytes). The values themselves are read again,
through the ``audit_entity`` index, only for the few records a report describes. Everything is read in
one read transaction, so the function needs nothing but reads on a plain ``sqlite3.Connection``.

What it cannot see: someone who rewrites the data *and* the log, recomputing every later hash, is not
detected — there is no secret key on a single practice computer.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from functools import partial
from typing import Any

from core.dates import shown_date
from core.money import format_cents
from core.store import connections, rows
from core.store.audit import UNAUDITED_FIELDS, canonical_json
from core.store.patients import normalise_name
from core.store.records import DataCheck, EncounterRecord, Patient, Payer, Practice, Provider
from core.store.verbs.accounts import AUDITED_FIELDS, audited_values

#: how many problems a report describes; the rest are counted
SHOWN_PROBLEMS = 20
#: how many differences one record's line lists before "…"
_DETAILS_PER_RECORD = 6
_DIGEST_SIZE = 8
_UNSET = bytes(_DIGEST_SIZE)
_DOCUMENT_NUMBER = re.compile(r"^SB-(\d+)$")
_CHILD_TABLES = (
    ("lesion_groups", "lesion group", rows.lesion_from),
    ("encounter_messages", "coding message", rows.message_from),
    ("billed_lines", "billed line", rows.line_from),
    ("acknowledgements", "acknowledged warning", rows.acknowledgement_from),
)


#: canonical JSON (``core.store.audit.canonical_json``) with one encoder made once, not per value
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
_SLOT = struct.Struct("<Q")
_EXACT_INT_HASH = 2**61 - 1  # CPython hashes a number below this to itself


def _digest(value: Any) -> int:
    """A 64-bit fingerprint of one field's value: equal exactly when the values' canonical JSON (what
    the audit log holds) is equal — a value read back from the log and the same value in a record
    (dates, enums, tuples) get the same one. Python's hash: quick, keyed afresh in every process for
    text (so nobody can prepare a colliding value), and only compared within one run."""
    if value is None:
        found = hash(None)
    elif isinstance(value, bool):
        found = hash(("b", value))
    elif isinstance(value, int):
        # small non-negative numbers hash to themselves; any other (-1 and -2 share a hash, so do
        # numbers 2**61 - 1 apart) by their text, whose hash is keyed
        found = hash(("i", value)) if 0 <= value < _EXACT_INT_HASH else hash(("i", str(value)))
    elif isinstance(value, float):
        found = hash(("f", repr(value)))  # as JSON spells it
    elif isinstance(value, str):
        found = hash(("s", str.__str__(value)))  # an enum by its text, as JSON spells it
    elif isinstance(value, date):
        found = hash(("s", str(value)))  # as canonical_json spells it (``default=str``)
    else:
        found = hash(("j", _ENCODER.encode(value)))
    return (found & 0xFFFFFFFFFFFFFFFF) or 1


@dataclass(frozen=True)
class _Kind:
    """One kind of audited record: its audit ``entity`` name and the fields its audit rows carry."""

    entity: str
    slots: tuple[str, ...]
    int_ids: bool = True
    index: dict[str, int] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {name: i for i, name in enumerate(self.slots)})

    def key(self, entity_id: str) -> int | str:
        return int(entity_id) if self.int_ids else entity_id


def _record_fields(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record_type) if f.name not in UNAUDITED_FIELDS)


_FEE_FIELDS = ("cpt", "unit_fee_cents", "effective_from")

KINDS: dict[str, _Kind] = {
    kind.entity: kind
    for kind in (
        _Kind("practice", _record_fields(Practice)),
        _Kind("provider", _record_fields(Provider)),
        _Kind("payer", _record_fields(Payer)),
        _Kind("patient", _record_fields(Patient)),
        _Kind("encounter", _record_fields(EncounterRecord)),
        _Kind("fee", _FEE_FIELDS, int_ids=False),
        _Kind("setting", ("value",), int_ids=False),
        _Kind("account", AUDITED_FIELDS),
    )
}
#: audit rows that record a read, a print or a sign-in: nothing in the file changed
_READ_ACTIONS = frozenset({"view", "print", "sign_in", "sign_in_failed", "sign_out"})
#: the audit entity the demo removal writes: ``before`` lists the patient and encounter ids it deleted
_DEMO_REMOVAL = "demo_data"
_GONE_ACTIONS = frozenset({"delete", "remove"})


# -- replaying the log --------------------------------------------------------------------------------


@dataclass
class _Expected:
    """What the log says the file holds: per kind, record key -> the digests of its fields."""

    states: dict[str, dict[int | str, bytes]]
    top_document: int | None = None
    top_chart: int | None = None


def _logged_values(kind: _Kind, after: str | None) -> dict[str, Any]:
    value = None if after is None else json.loads(after)
    if kind.entity == "setting":
        return {"value": value}
    return value if isinstance(value, dict) else {}


def _replay(conn: sqlite3.Connection) -> _Expected:
    """Walk the log once, oldest row first, keeping only the digests of each record's fields."""
    expected = _Expected(states={entity: {} for entity in KINDS})
    cursor = conn.execute("SELECT entity, entity_id, action, before, after FROM audit_log ORDER BY id")
    for entity, entity_id, action, before, after in cursor:
        if entity == _DEMO_REMOVAL:
            removed = json.loads(before) if before else {}
            for name, kind_name in (("patients", "patient"), ("encounters", "encounter")):
                for removed_id in removed.get(name, ()):
                    expected.states[kind_name].pop(int(removed_id), None)
            continue
        kind = KINDS.get(entity)
        if kind is None or action in _READ_ACTIONS:
            continue  # a kind of entry this check does not compare (nothing is written as such today)
        states = expected.states[entity]
        key = kind.key(entity_id)
        if action in _GONE_ACTIONS:
            states.pop(key, None)
            continue
        values = _logged_values(kind, after)
        previous = None if action == "create" else states.get(key)
        slots = bytearray(previous if previous is not None else _UNSET * len(kind.slots))
        for name, value in values.items():
            i = kind.index.get(name)
            if i is not None:
                _SLOT.pack_into(slots, i * _DIGEST_SIZE, _digest(value))
        states[key] = bytes(slots)
        _note_numbers(expected, entity, values)
    return expected


def _note_numbers(expected: _Expected, entity: str, values: dict[str, Any]) -> None:
    """Keep the highest document number and numeric chart number the log ever handed out."""
    if entity == "encounter" and isinstance(values.get("document_number"), str):
        match = _DOCUMENT_NUMBER.match(values["document_number"])
        if match:
            expected.top_document = max(expected.top_document or 0, int(match.group(1)))
    if entity == "patient" and isinstance(values.get("chart_number"), str):
        chart = values["chart_number"]
        if chart.isascii() and chart.isdigit() and len(chart) <= 15:  # as Store._note_chart_number
            expected.top_chart = max(expected.top_chart or 0, int(chart))


def logged_state(conn: sqlite3.Connection, entity: str, entity_id: object) -> dict[str, Any] | None:
    """One record's state as its audit rows build it (``None``: the log says it does not exist)."""
    kind = KINDS[entity]
    state: dict[str, Any] | None = None
    for action, after in conn.execute(
        "SELECT action, after FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
        [entity, str(entity_id)],
    ):
        if action in _GONE_ACTIONS:
            state = None
        elif action == "create" or state is None:
            state = dict(_logged_values(kind, after))
        else:
            state.update(_logged_values(kind, after))
    return state


# -- reading the file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """One record as the file holds it: its values as the audit log would spell them, or why not."""

    key: int | str
    label: str
    values: dict[str, Any] | None
    unreadable: str = ""
    notes: tuple[str, ...] = ()


def _cursor(conn: sqlite3.Connection, sql: str) -> sqlite3.Cursor:
    cursor = conn.cursor()
    cursor.row_factory = connections.Row
    return cursor.execute(sql)


def _read(key: int | str, label: str, convert: Callable[[], dict[str, Any]], *notes: str) -> _Found:
    try:
        return _Found(key, label, convert(), notes=notes)
    except (ValueError, TypeError, KeyError, IndexError) as err:
        return _Found(key, label, None, unreadable=str(err), notes=notes)


def _as_json(convert: Callable[[sqlite3.Row], object], row: sqlite3.Row) -> dict[str, Any]:
    return rows.as_json_value(convert(row))


def _setting_value(row: sqlite3.Row) -> dict[str, Any]:
    return {"value": json.loads(row["value"])}


def _practice(conn: sqlite3.Connection) -> Iterator[_Found]:
    for row in _cursor(conn, "SELECT * FROM practice ORDER BY id"):
        yield _read(row["id"], "The practice", partial(_as_json, rows.practice_from, row))


def _providers(conn: sqlite3.Connection) -> Iterator[_Found]:
    for row in _cursor(conn, "SELECT * FROM providers ORDER BY id"):
        label = f"Provider {row['id']} (NPI {row['npi']})"
        yield _read(row["id"], label, partial(_as_json, rows.provider_from, row))


def _payers(conn: sqlite3.Connection) -> Iterator[_Found]:
    for row in _cursor(conn, "SELECT * FROM payers ORDER BY id"):
        label = f"Payer {row['id']} ({row['name']})"
        yield _read(row["id"], label, partial(_as_json, rows.payer_from, row))


def _patients(conn: sqlite3.Connection) -> Iterator[_Found]:
    for row in _cursor(conn, "SELECT * FROM patients ORDER BY id"):
        label = f"Patient {row['id']} (chart {row['chart_number']})"
        notes: tuple[str, ...] = ()
        if (row["first_norm"], row["last_norm"]) != (
            normalise_name(str(row["first_name"])),
            normalise_name(str(row["last_name"])),
        ):
            notes = ("the search names no longer match the patient's name (changed outside the program)",)
        yield _read(row["id"], label, partial(_as_json, rows.patient_from, row), *notes)


def _fees(conn: sqlite3.Connection) -> Iterator[_Found]:
    for row in _cursor(conn, "SELECT cpt, unit_fee_cents, effective_from FROM fee_schedule ORDER BY cpt, 3"):
        key = f"{row['cpt']}@{row['effective_from']}"
        values = {name: row[name] for name in _FEE_FIELDS}
        yield _Found(key, f"The fee for {row['cpt']} from {row['effective_from']}", values)


def _accounts(conn: sqlite3.Connection) -> Iterator[_Found]:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'accounts'").fetchone() is None:
        return  # a file from before accounts (schema 9 or older), checked without upgrading it
    for row in _cursor(conn, "SELECT * FROM accounts ORDER BY id"):
        values = audited_values(row)
        yield _Found(row["id"], f"The account {row['id']} ({row['name']})", values)


def _settings(conn: sqlite3.Connection) -> Iterator[_Found]:
    for row in _cursor(conn, "SELECT name, value FROM settings ORDER BY name"):
        yield _read(row["name"], f"The setting {row['name']}", partial(_setting_value, row))


def _encounter_label(encounter_id: int | str, document_number: object) -> str:
    return f"Encounter {encounter_id}" + (f" ({document_number})" if document_number else "")


class _Children:
    """One child table read in encounter order beside the encounters (a merge, never all at once)."""

    def __init__(self, conn: sqlite3.Connection, table: str, what: str, convert: Callable[[Any], Any]):
        self.table, self.what, self.convert = table, what, convert
        self.rows = _cursor(conn, f"SELECT * FROM {table} ORDER BY encounter_id, position")
        self.next: sqlite3.Row | None = next(self.rows, None)

    def orphans_before(self, encounter_id: float) -> Iterator[tuple[int, int]]:
        """(encounter id, rows) of the rows whose encounter is not in the file, up to ``encounter_id``."""
        while self.next is not None and self.next["encounter_id"] < encounter_id:
            orphan_of, count = self.next["encounter_id"], 0
            while self.next is not None and self.next["encounter_id"] == orphan_of:
                count += 1
                self.next = next(self.rows, None)
            yield orphan_of, count

    def of(self, encounter_id: int) -> list[sqlite3.Row]:
        found = []
        while self.next is not None and self.next["encounter_id"] == encounter_id:
            found.append(self.next)
            self.next = next(self.rows, None)
        return found


def _encounters(conn: sqlite3.Connection, orphans: list[str]) -> Iterator[_Found]:
    """Each encounter with its lesion groups, messages and billed lines, streamed in id order."""
    children = [_Children(conn, table, what, convert) for table, what, convert in _CHILD_TABLES]

    def note_orphans(before: float) -> None:
        for child in children:
            for encounter_id, count in child.orphans_before(before):
                many = f"{count} {child.what}s" if count != 1 else f"a {child.what}"
                orphans.append(
                    f"{many} of encounter {encounter_id} {'are' if count != 1 else 'is'} in the file, but "
                    f"encounter {encounter_id} is not: added outside the program"
                )

    for row in _cursor(conn, "SELECT * FROM encounters ORDER BY id"):
        note_orphans(row["id"])
        parts_of_row = tuple(child.of(row["id"]) for child in children)

        def convert(row: sqlite3.Row = row, parts: tuple[list[Any], ...] = parts_of_row) -> Any:
            converted = [
                tuple(child.convert(r) for r in part) for child, part in zip(children, parts, strict=True)
            ]
            return rows.as_json_value(rows.encounter_from(row, *converted))

        yield _read(row["id"], _encounter_label(row["id"], row["document_number"]), convert)
    note_orphans(float("inf"))


# -- comparing ----------------------------------------------------------------------------------------


_LABELS = {
    "em_code": "E/M code",
    "decision_for_surgery": "decision for surgery",
    "paid_cents": "amount paid",
    "charge_cents": "charge",
    "unit_fee_cents": "fee",
    "cpt": "code",
    "npi": "NPI",
    "group_npi": "group NPI",
    "tax_id": "tax ID",
    "default_pos": "default place of service",
    "is_demo": "demo mark",
    "coded_at": "coding time",
    "created_at": "creation time",
    "effective_from": "first day",
    "patient_id": "patient number",
    "provider_id": "provider number",
    "payer_id": "payer number",
    "diameter_cm": "diameter (cm)",
    "area_sq_cm": "area (sq cm)",
    "lesion_indexes": "lesion numbers",
    "use_modifier_51": "modifier 51",
    "zip": "ZIP code",
}
#: list fields of an encounter: what one item is called in a report
_ITEMS = {
    "lesions": "lesion group",
    "messages": "coding message",
    "lines": "line",
    "acknowledgements": "acknowledged warning",
}


def _label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


def _shown(name: str, value: Any) -> str:
    """A value as a person reads it: money in dollars, yes/no, text in quotes, nothing as "empty"."""
    if value is None or value == "" or value == [] or value == {}:
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name.endswith("_cents") and isinstance(value, int):
        return format_cents(value)
    if isinstance(value, int | float):
        return str(value)
    text = value if isinstance(value, str) else canonical_json(value)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        text = ", ".join(str(v) for v in value)
    return f"“{text if len(text) <= 60 else text[:57] + '...'}”"


def _differs(a: Any, b: Any) -> bool:
    return canonical_json(a) != canonical_json(b)


def _item_name(name: str, n: int, item: Any) -> str:
    """``line 2 (17000)``, ``lesion group 1 (premalignant, face)``, ``coding message 3 (EM_SAME_DAY)``."""
    what = ""
    if isinstance(item, dict):
        keys = {"lines": ("cpt",), "lesions": ("kind", "site"), "messages": ("rule",)}[name]
        what = ", ".join(str(item.get(k)) for k in keys if item.get(k))
    return f"{_ITEMS[name]} {n}" + (f" ({what})" if what else "")


def _item_differences(name: str, n: int, mine: Any, logged: Any) -> list[str]:
    if not (isinstance(mine, dict) and isinstance(logged, dict)):
        return [f"{_item_name(name, n, logged)} differs from the log"]
    return [
        f"{_label(key)} of {_ITEMS[name]} {n} is {_shown(key, mine.get(key))} in the file "
        f"but {_shown(key, logged.get(key))} in the log"
        for key in sorted(set(mine) | set(logged))
        if _differs(mine.get(key), logged.get(key))
    ]


def _list_differences(name: str, in_file: list[Any], in_log: list[Any]) -> list[str]:
    """Items missing from the file or not in the log are named as such; the others field by field."""
    found: list[str] = []
    matcher = difflib.SequenceMatcher(
        None, [canonical_json(i) for i in in_file], [canonical_json(i) for i in in_log], autojunk=False
    )
    for op, f1, f2, l1, l2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(f2 - f1, l2 - l1) if op == "replace" else 0
        for k in range(pairs):
            found.extend(_item_differences(name, l1 + k + 1, in_file[f1 + k], in_log[l1 + k]))
        found.extend(
            f"{_item_name(name, n + 1, in_log[n])} of the log is not in the file"
            for n in range(l1 + pairs, l2)
        )
        found.extend(
            f"{_item_name(name, n + 1, in_file[n])} in the file is not in the log"
            for n in range(f1 + pairs, f2)
        )
    return found


def _field_differences(name: str, in_file: Any, in_log: Any) -> list[str]:
    """Plain-words differences of one field; list fields (lines, lesions, messages) item by item."""
    if name in _ITEMS and isinstance(in_file, list) and isinstance(in_log, list):
        return _list_differences(name, in_file, in_log)
    return [f"{_label(name)} is {_shown(name, in_file)} in the file but {_shown(name, in_log)} in the log"]


class _Report:
    """Counts every problem; keeps the words of the first ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self.shown: list[str] = []

    @property
    def full(self) -> bool:
        return len(self.shown) >= self.limit

    def add(self, words: Callable[[], str]) -> None:
        self.count += 1
        if not self.full:
            self.shown.append(words())


def _changed(conn: sqlite3.Connection, kind: _Kind, found: _Found, names: list[str]) -> str:
    logged = (logged_state(conn, kind.entity, found.key) or {}) if names else {}
    values = json.loads(canonical_json(found.values or {}))  # the same plain JSON values as the log's
    details = [d for name in names for d in _field_differences(name, values.get(name), logged.get(name))]
    if names and not details:  # only if two values shared a digest; say so rather than stay silent
        details = [f"{', '.join(_label(n) for n in names)} differs from the log"]
    if len(details) > _DETAILS_PER_RECORD:
        more = len(details) - _DETAILS_PER_RECORD
        details = [*details[:_DETAILS_PER_RECORD], f"and {more} more differences"]
    return f"{found.label}: {'; '.join([*details, *found.notes])}"


def _missing_label(conn: sqlite3.Connection, kind: _Kind, key: int | str) -> str:
    if kind.entity == "fee":
        cpt, _, day = str(key).partition("@")
        return (
            f"The fee for {cpt} from {shown_date(date.fromisoformat(day))}" if day else f"The fee for {cpt}"
        )
    if kind.entity == "setting":
        return f"The setting {key}"
    if kind.entity == "practice":
        return "The practice"
    logged = logged_state(conn, kind.entity, key) or {}
    if kind.entity == "encounter":
        return _encounter_label(key, logged.get("document_number"))
    if kind.entity == "patient":
        return f"Patient {key} (chart {logged.get('chart_number', '?')})"
    if kind.entity == "provider":
        return f"Provider {key} (NPI {logged.get('npi', '?')})"
    if kind.entity == "account":
        return f"The account {key} ({logged.get('name', '?')})"
    return f"Payer {key} ({logged.get('name', '?')})"


def _added_outside(found: _Found) -> str:
    return f"{found.label} is in the file, but the audit log never created it: added outside the program"


def _unreadable(found: _Found) -> str:
    return (
        f"{found.label}: a value in the file cannot be read ({found.unreadable}): changed outside the program"
    )


def _deleted_outside(conn: sqlite3.Connection, kind: _Kind, key: int | str) -> str:
    missing = _missing_label(conn, kind, key)
    return f"{missing} is in the audit log but not in the file: deleted outside the program"


def _sentence(words: str) -> str:
    return words[0].upper() + words[1:]


def _compare(
    conn: sqlite3.Connection, kind: _Kind, records: Iterator[_Found], expected: _Expected, report: _Report
) -> int:
    """Compare one table's records with the log; returns how many records were read."""
    states = expected.states[kind.entity]
    count = 0
    for found in records:
        count += 1
        want = states.pop(found.key, None)
        if want is None:
            report.add(partial(_added_outside, found))
            continue
        if found.values is None:
            report.add(partial(_unreadable, found))
            continue
        names = []
        for i, name in enumerate(kind.slots):
            slot = _SLOT.unpack_from(want, i * _DIGEST_SIZE)[0]
            if slot and name in found.values and _digest(found.values[name]) != slot:
                names.append(name)
        if names or found.notes:
            report.add(partial(_changed, conn, kind, found, names))
    for key in sorted(states, key=str):
        report.add(partial(_deleted_outside, conn, kind, key))
    states.clear()
    return count


def _counter(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT value FROM counters WHERE name = ?", [name]).fetchone()
    return None if row is None else int(row[0])


def _check_counters(conn: sqlite3.Connection, expected: _Expected, report: _Report) -> None:
    """The document-number counter is exactly the highest number the log handed out (finalising bumps
    both in one transaction); the chart-number counter is never above the highest numeric chart number
    the log saved (files from before the counter existed may have it lower, or not at all)."""
    documents = _counter(conn, "document_number")
    if documents != expected.top_document:
        shown_log = "no number" if expected.top_document is None else f"up to SB-{expected.top_document:06d}"
        shown_file = "missing" if documents is None else f"at SB-{documents:06d}"
        report.add(
            lambda: (
                f"The document-number counter is {shown_file} in the file, but the audit log handed out "
                f"{shown_log}: changed outside the program"
            )
        )
    charts = _counter(conn, "chart_number")
    if charts is not None and (expected.top_chart is None or charts > expected.top_chart):
        report.add(
            lambda: (
                f"The chart-number counter is at {charts} in the file, above any chart number in the "
                "audit log: changed outside the program"
            )
        )


_READERS: tuple[tuple[str, Callable[[sqlite3.Connection], Iterator[_Found]]], ...] = (
    ("practice", _practice),
    ("provider", _providers),
    ("payer", _payers),
    ("patient", _patients),
    ("fee", _fees),
    ("setting", _settings),
    ("account", _accounts),
)


def verify_data(conn: sqlite3.Connection, *, shown: int = SHOWN_PROBLEMS) -> DataCheck:
    """Replay the audit log and compare every audited record in the file with it; changes nothing.

    Needs only reads (a read-only connection is fine). Reads in one read transaction, so a write by
    another program while it runs is seen either whole or not at all.
    """
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")
    try:
        expected = _replay(conn)
        report = _Report(shown)
        records = 0
        for entity, reader in _READERS:
            records += _compare(conn, KINDS[entity], reader(conn), expected, report)
        orphans: list[str] = []
        records += _compare(conn, KINDS["encounter"], _encounters(conn, orphans), expected, report)
        for words in orphans:
            report.add(partial(_sentence, words))
        _check_counters(conn, expected, report)
    finally:
        if own_transaction:
            conn.rollback()
    if report.count == 0:
        return DataCheck(True, records, 0, (), f"{records} records match the audit log")
    more = report.count - len(report.shown)
    lines = tuple(report.shown) + ((f"… and {more} more",) if more else ())
    found = "1 difference" if report.count == 1 else f"{report.count} differences"
    return DataCheck(
        False,
        records,
        report.count,
        lines,
        f"{found} between the file and the audit log: data changed, deleted or added outside the "
        "program (listed below). Restore a backup from before the change, or report it",
    )
