"""Conversions between table rows (``sqlite3.Row``) and the store's records; no SQL lives here.

Lists inside a row (modifiers, pointers, lesion indexes) are short comma-separated text; the
encounter's diagnoses and the practice's per-kind defaults are JSON text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from core.coding.model import LesionGroup, LesionKind, Message, Severity
from core.store.records import (
    BilledLine,
    EncounterRecord,
    EncounterStatus,
    FeeEntry,
    Patient,
    Payer,
    PayerKind,
    Practice,
    Provider,
)


def as_json_value(record: object) -> dict[str, Any]:
    """A record as a plain dict for the audit log (dates and enums become text there)."""
    return asdict(record)  # type: ignore[call-overload, no-any-return]


def join(items: tuple[object, ...]) -> str:
    return ",".join(str(item) for item in items)


def split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def timestamp(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def practice_from(row: sqlite3.Row) -> Practice:
    return Practice(
        name=row["name"],
        address1=row["address1"],
        address2=row["address2"],
        city=row["city"],
        state=row["state"],
        zip=row["zip"],
        phone=row["phone"],
        tax_id=row["tax_id"],
        group_npi=row["group_npi"],
        taxonomy=row["taxonomy"],
        default_pos=row["default_pos"],
        default_methods={LesionKind(k): v for k, v in json.loads(row["default_methods"]).items()},
        default_diagnoses={LesionKind(k): v for k, v in json.loads(row["default_diagnoses"]).items()},
    )


def practice_row(p: Practice) -> dict[str, Any]:
    row = {k: v for k, v in asdict(p).items() if k not in ("default_methods", "default_diagnoses")}
    row["default_methods"] = json.dumps({str(k): v for k, v in p.default_methods.items()}, sort_keys=True)
    row["default_diagnoses"] = json.dumps({str(k): v for k, v in p.default_diagnoses.items()}, sort_keys=True)
    return row


def provider_from(row: sqlite3.Row) -> Provider:
    return Provider(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        credentials=row["credentials"],
        npi=row["npi"],
        taxonomy=row["taxonomy"],
        active=bool(row["active"]),
    )


def payer_from(row: sqlite3.Row) -> Payer:
    return Payer(
        id=row["id"],
        name=row["name"],
        kind=PayerKind(row["kind"]),
        payer_id=row["payer_id"],
        coding_payer=row["coding_payer"],
        use_modifier_51=bool(row["use_modifier_51"]),
        distinct_modifier=row["distinct_modifier"],
    )


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
    "is_demo",
)


def patient_from(row: sqlite3.Row) -> Patient:
    values = {name: row[name] for name in PATIENT_COLUMNS}
    values["date_of_birth"] = date.fromisoformat(values["date_of_birth"])
    values["is_demo"] = bool(values["is_demo"])
    return Patient(id=row["id"], **values)


def patient_row(p: Patient, first_norm: str, last_norm: str) -> dict[str, Any]:
    row = {name: getattr(p, name) for name in PATIENT_COLUMNS}
    row["date_of_birth"] = p.date_of_birth.isoformat()
    row["is_demo"] = int(p.is_demo)
    row["first_norm"] = first_norm
    row["last_norm"] = last_norm
    return row


def lesion_from(row: sqlite3.Row) -> LesionGroup:
    return LesionGroup(
        kind=LesionKind(row["kind"]),
        count=row["count"],
        site=row["site"],
        method=row["method"],
        diagnosis=row["diagnosis"],
        diameter_cm=row["diameter_cm"],
        area_sq_cm=row["area_sq_cm"],
    )


def lesion_row(encounter_id: int, position: int, g: LesionGroup) -> dict[str, Any]:
    return {
        "encounter_id": encounter_id,
        "position": position,
        "kind": str(g.kind),
        "count": g.count,
        "site": g.site,
        "method": g.method,
        "diagnosis": g.diagnosis,
        "diameter_cm": g.diameter_cm,
        "area_sq_cm": g.area_sq_cm,
    }


def message_from(row: sqlite3.Row) -> Message:
    return Message(severity=Severity(row["severity"]), rule=row["rule"], field=row["field"], text=row["text"])


def message_row(encounter_id: int, position: int, m: Message) -> dict[str, Any]:
    return {
        "encounter_id": encounter_id,
        "position": position,
        "severity": str(m.severity),
        "rule": m.rule,
        "field": m.field,
        "text": m.text,
    }


def line_from(row: sqlite3.Row) -> BilledLine:
    return BilledLine(
        cpt=row["cpt"],
        units=row["units"],
        modifiers=split(row["modifiers"]),
        diagnosis_pointers=split(row["diagnosis_pointers"]),
        description=row["description"],
        why=row["why"],
        lesion_indexes=tuple(int(i) for i in split(row["lesion_indexes"])),
        unit_fee_cents=row["unit_fee_cents"],
        charge_cents=row["charge_cents"],
    )


def line_row(encounter_id: int, position: int, line: BilledLine) -> dict[str, Any]:
    return {
        "encounter_id": encounter_id,
        "position": position,
        "cpt": line.cpt,
        "units": line.units,
        "modifiers": join(line.modifiers),
        "diagnosis_pointers": join(line.diagnosis_pointers),
        "description": line.description,
        "why": line.why,
        "lesion_indexes": join(line.lesion_indexes),
        "unit_fee_cents": line.unit_fee_cents,
        "charge_cents": line.charge_cents,
    }


def encounter_from(
    row: sqlite3.Row,
    lesions: tuple[LesionGroup, ...],
    messages: tuple[Message, ...],
    lines: tuple[BilledLine, ...],
) -> EncounterRecord:
    return EncounterRecord(
        id=row["id"],
        patient_id=row["patient_id"],
        provider_id=row["provider_id"],
        date_of_service=date.fromisoformat(row["date_of_service"]),
        place_of_service=row["place_of_service"],
        em_code=row["em_code"],
        status=EncounterStatus(row["status"]),
        payer_id=row["payer_id"],
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
