"""What the status line says after a step on the open visit: one sentence naming the patient and the
superbill, so the desk sees the step was taken (not "New visit for …" left over from before)."""

from __future__ import annotations

from core.dates import shown_date
from core.money import format_cents
from core.store.records import EncounterRecord, EncounterStatus, Patient

_DONE = {
    EncounterStatus.FINAL: "saved as final ({number})",
    EncounterStatus.PRINTED: "printed ({number})",
    EncounterStatus.VOID: "voided",
}


def visit_saved(record: EncounterRecord, patient: Patient) -> str:
    """``Visit of Sample, Avery on 12/02/2026 saved as final (SB-000001).`` (not for a draft)."""
    said = _DONE[record.status].format(number=record.document_number)
    return f"Visit of {patient.display_name} on {shown_date(record.date_of_service)} {said}."


def payment_recorded(record: EncounterRecord, patient: Patient) -> str:
    """``Paid $45.00 recorded for Testcase, Riley (SB-000006): balance $155.00.``"""
    return (
        f"Paid {format_cents(record.paid_cents)} recorded for {patient.display_name} "
        f"({record.document_number}): balance {format_cents(record.balance_cents)}."
    )


def visit_opened(record: EncounterRecord, patient: Patient) -> str:
    """``Opened the visit of O'Brien-Smith, Tom on 12/02/2026 (final, SB-000002).`` — so the line never
    keeps talking about the visit shown before."""
    state = (
        record.status.value
        if record.document_number is None
        else (f"{record.status.value}, {record.document_number}")
    )
    return f"Opened the visit of {patient.display_name} on {shown_date(record.date_of_service)} ({state})."
