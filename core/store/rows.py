"""Conversions between table rows (``sqlite3.Row``) and the store's records; no SQL lives here.

Lists inside a row (modifiers, pointers, lesion indexes) are short comma-separated text; the
encounter's diagnoses and the practice's per-kind defaults are JSON text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any, TypeVar

from core.coding.model import LesionGroup, LesionKind, Message, Severity
from core.store.records import (
    Acknowledgement,
    BilledLine,
    Coverage,
    EncounterRecord,
    EncounterStatus,
    FeeEntry,
    FrozenCoverage,
    Patient,
    Payer,
    PayerKind,
    Practice,
    Provider,
)

Record = TypeVar("Record")


def as_json_value(record: object) -> dict[str, Any]:
    """A record as a plain dict for the audit log (dates and enums become text there).

    Like ``dataclasses.asdict`` (nested records become dicts, tuples lists) without its deep copy of
    every value: the audit log and the data check only turn the result into JSON, and the data check
    converts every record in the file (``core.store.data_check``).
    """
    return _plain(record)  # type: ignore[no-any-return]


_LEAVES = frozenset({str, int, float, bool, type(None)})
#: each record type's field names, looked up once
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
#: fields added to a record after records were logged: left out of the JSON while empty, so a record
#: the audit log holds from before (schema 7) still compares equal in the data check
_LATER_FIELDS: dict[type, frozenset[str]] = {LesionGroup: frozenset({"typed_size", "typed_site"})}


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is tuple or kind is list:
        return [_plain(item) for item in value]
    if kind is dict:
        return {key: _plain(item) for key, item in value.items()}
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not hasattr(kind, "__dataclass_fields__"):
            return value  # dates, times, enums: JSON text as the audit log writes them
        names = _FIELD_NAMES.setdefault(kind, tuple(f.name for f in fields(value)))
    later = _LATER_FIELDS.get(kind)
    if later is not None:
        names = tuple(name for name in names if name not in later or getattr(value, name))
    return {name: _plain(getattr(value, name)) for name in names}


def join(items: tuple[object, ...]) -> str:
    return ",".join(str(item) for item in items)


def split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def timestamp(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def record_from(record_type: type[Record], row: sqlite3.Row, /, **converted: Any) -> Record:
    """The record ``kind`` from a row whose columns carry its field names; ``converted`` gives the
    fields whose stored text or number needs turning into another type."""
    values = {f.name: row[f.name] for f in fields(record_type)}  # type: ignore[arg-type]
    return record_type(**{**values, **converted})


def record_row(record: object, **converted: Any) -> dict[str, Any]:
    """A record's fields as the columns of its row, without its ``id`` (the table's key); ``converted``
    gives the fields stored as another type (enums as text, flags as 0/1, tuples as text)."""
    values: dict[str, Any] = asdict(record)  # type: ignore[call-overload]
    values.pop("id", None)
    return {**values, **converted}


def practice_from(row: sqlite3.Row) -> Practice:
    return record_from(
        Practice,
        row,
        default_methods={LesionKind(k): v for k, v in json.loads(row["default_methods"]).items()},
        default_diagnoses={LesionKind(k): v for k, v in json.loads(row["default_diagnoses"]).items()},
    )


def practice_row(p: Practice) -> dict[str, Any]:
    return record_row(
        p,
        default_methods=json.dumps({str(k): v for k, v in p.default_methods.items()}, sort_keys=True),
        default_diagnoses=json.dumps({str(k): v for k, v in p.default_diagnoses.items()}, sort_keys=True),
    )


def provider_from(row: sqlite3.Row) -> Provider:
    return record_from(Provider, row, active=bool(row["active"]))


def payer_from(row: sqlite3.Row) -> Payer:
    return record_from(Payer, row, kind=PayerKind(row["kind"]), use_modifier_51=bool(row["use_modifier_51"]))


PATIENT_COLUMNS = (
    "chart_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "address1",
    "address2",
    "city",
    "state",
    "zip",
    "phone",
    "email",
    "payer_id",
    "member_id",
    "group_number",
    "subscriber_name",
    "relationship",
    "secondary_payer_id",
    "secondary_member_id",
    "secondary_group_number",
    "secondary_subscriber_name",
    "secondary_relationship",
    "is_demo",
)


def patient_from(row: sqlite3.Row) -> Patient:
    # a file of an older schema, while it is upgraded, lacks the newer columns: their defaults stand
    names = set(row.keys())  # (sqlite3.Row: "in" would look at the values, not the names)
    values = {name: row[name] for name in PATIENT_COLUMNS if name in names}
    values["date_of_birth"] = date.fromisoformat(values["date_of_birth"])
    values["is_demo"] = bool(values["is_demo"])
    version = row["version"] if "version" in names else 1
    return Patient(id=row["id"], version=version, **values)


def patient_row(p: Patient, first_norm: str, last_norm: str) -> dict[str, Any]:
    row = {name: getattr(p, name) for name in PATIENT_COLUMNS}
    row["date_of_birth"] = p.date_of_birth.isoformat()
    row["is_demo"] = int(p.is_demo)
    row["first_norm"] = first_norm
    row["last_norm"] = last_norm
    return row


def child_row(encounter_id: int, position: int, record: object, **converted: Any) -> dict[str, Any]:
    """The row of one of an encounter's lesion groups, messages or billed lines: its encounter, its
    position and the record's fields."""
    return {"encounter_id": encounter_id, "position": position, **record_row(record, **converted)}


def lesion_from(row: sqlite3.Row) -> LesionGroup:
    return record_from(LesionGroup, row, kind=LesionKind(row["kind"]))


def lesion_row(encounter_id: int, position: int, g: LesionGroup) -> dict[str, Any]:
    return child_row(encounter_id, position, g, kind=str(g.kind))


def message_from(row: sqlite3.Row) -> Message:
    return record_from(Message, row, severity=Severity(row["severity"]))


def message_row(encounter_id: int, position: int, m: Message) -> dict[str, Any]:
    return child_row(encounter_id, position, m, severity=str(m.severity))


def line_from(row: sqlite3.Row) -> BilledLine:
    return record_from(
        BilledLine,
        row,
        modifiers=split(row["modifiers"]),
        diagnosis_pointers=split(row["diagnosis_pointers"]),
        lesion_indexes=tuple(int(i) for i in split(row["lesion_indexes"])),
    )


def line_row(encounter_id: int, position: int, line: BilledLine) -> dict[str, Any]:
    return child_row(
        encounter_id,
        position,
        line,
        modifiers=join(line.modifiers),
        diagnosis_pointers=join(line.diagnosis_pointers),
        lesion_indexes=join(line.lesion_indexes),
    )


def acknowledgement_from(row: sqlite3.Row) -> Acknowledgement:
    return record_from(
        Acknowledgement, row, severity=Severity(row["severity"]), at=datetime.fromisoformat(row["at"])
    )


def acknowledgement_row(encounter_id: int, position: int, a: Acknowledgement) -> dict[str, Any]:
    return child_row(encounter_id, position, a, severity=str(a.severity), at=a.at.isoformat())


def coverage_text(coverage: FrozenCoverage | None) -> str | None:
    """The frozen coverage as the ``encounters.coverage`` column holds it (JSON; NULL: none frozen)."""
    return None if coverage is None else json.dumps(as_json_value(coverage), sort_keys=True)


def coverage_from(text: str | None) -> FrozenCoverage | None:
    if text is None:
        return None
    value = json.loads(text)
    return FrozenCoverage(
        *(None if value.get(rank) is None else Coverage(**value[rank]) for rank in ("primary", "secondary"))
    )


def encounter_from(
    row: sqlite3.Row,
    lesions: tuple[LesionGroup, ...],
    messages: tuple[Message, ...],
    lines: tuple[BilledLine, ...],
    acknowledgements: tuple[Acknowledgement, ...] = (),
) -> EncounterRecord:
    names = set(row.keys())  # (sqlite3.Row: "in" would look at the values, not the names)
    return EncounterRecord(
        id=row["id"],
        version=row["version"],
        patient_id=row["patient_id"],
        provider_id=row["provider_id"],
        date_of_service=date.fromisoformat(row["date_of_service"]),
        place_of_service=row["place_of_service"],
        em_code=row["em_code"],
        decision_for_surgery=bool(row["decision_for_surgery"]),
        status=EncounterStatus(row["status"]),
        payer_id=row["payer_id"],
        # a file of schema 9 or older, while it is upgraded, lacks these: nothing frozen, hash version 1
        coverage=coverage_from(row["coverage"]) if "coverage" in names else None,
        hash_version=row["hash_version"] if "hash_version" in names else None,
        diagnoses=tuple(json.loads(row["diagnoses"])),
        coded_at=timestamp(row["coded_at"]),
        document_number=row["document_number"],
        paid_cents=row["paid_cents"],
        void_reason=row["void_reason"],
        created_at=timestamp(row["created_at"]),
        updated_at=timestamp(row["updated_at"]),
        lesions=lesions,
        messages=messages,
        lines=lines,
        acknowledgements=acknowledgements,
    )


def fee_entries(rows: list[sqlite3.Row]) -> list[FeeEntry]:
    """Fee rows of one or more codes, sorted by code then date, with each entry's last day filled in."""
    ordered = sorted(rows, key=lambda r: (r["cpt"], r["effective_from"]))
    entries: list[FeeEntry] = []
    for i, row in enumerate(ordered):
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        end = None
        if following is not None and following["cpt"] == row["cpt"]:
            end = date.fromordinal(date.fromisoformat(following["effective_from"]).toordinal() - 1)
        entries.append(
            FeeEntry(
                cpt=row["cpt"],
                unit_fee_cents=row["unit_fee_cents"],
                effective_from=date.fromisoformat(row["effective_from"]),
                effective_to=end,
            )
        )
    return entries
