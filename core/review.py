"""The biller's review sheet: what the checks found on a day, for staff — never on the patient's paper.

A superbill is for the patient and the insurer; what the coding checks found is for staff. The review
sheet of a day (or of one encounter) lists, per encounter, every warning that was acknowledged at
"Save as final" — who, when and why — and the informational messages kept with it; the visits still in
draft (not on any superbill yet) with what stops them; the void ones with their reason; and the day's
totals by code and by payer. ``build_review`` reads it from the store; ``core.pdf.review`` draws it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from core.coding.model import Severity
from core.dates import shown_date
from core.errors import InputError
from core.store import EncounterRecord, EncounterStatus, Store
from core.visit import code_stored, short_codes


@dataclass(frozen=True)
class ReviewNote:
    """One finding on a final encounter: a warning (acknowledged by ``who`` at ``at``) or an info."""

    severity: str
    rule: str
    text: str
    who: str = ""
    at: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class ReviewedEncounter:
    """One encounter of the sheet: who, which document, its status and its findings."""

    encounter_id: int
    document_number: str
    patient: str
    chart_number: str
    payer: str
    status: str
    codes: tuple[str, ...]
    charge_cents: int
    notes: tuple[ReviewNote, ...]
    #: for a draft: what stops it (errors and notes); for a void one: the reason
    open_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeTotal:
    cpt: str
    description: str
    units: int
    charge_cents: int


@dataclass(frozen=True)
class PayerTotal:
    payer: str
    encounters: int
    charge_cents: int
    paid_cents: int


@dataclass(frozen=True)
class ReviewSheet:
    """Everything the review sheet of one day (or one encounter) shows."""

    practice: str
    day: date
    issued: date
    billed: tuple[ReviewedEncounter, ...]
    drafts: tuple[ReviewedEncounter, ...]
    void: tuple[ReviewedEncounter, ...]
    by_code: tuple[CodeTotal, ...]
    by_payer: tuple[PayerTotal, ...]

    @property
    def charge_cents(self) -> int:
        return sum(e.charge_cents for e in self.billed)

    @property
    def acknowledged_warnings(self) -> int:
        return sum(1 for e in self.billed for n in e.notes if n.severity == Severity.WARNING)


def build_review(
    store: Store, day: date, *, encounter_id: int | None = None, issued: date | None = None
) -> ReviewSheet:
    """The review sheet of ``day`` (every encounter), or of one encounter when ``encounter_id`` is given.

    Raises ``InputError`` when the day has no encounter at all (nothing to review).
    """
    encounters = [store.get_encounter(encounter_id)] if encounter_id is not None else store.encounters_on(day)
    if not encounters:
        raise InputError(
            f"There is no visit on {shown_date(day)}: nothing to review. Check the date.", field="date"
        )
    practice = store.practice()
    rows = [_reviewed(store, e) for e in encounters]
    billed = [r for r, e in zip(rows, encounters, strict=True) if e.is_billed]
    billed_records = [e for e in encounters if e.is_billed]
    return ReviewSheet(
        practice=practice.name,
        day=encounters[0].date_of_service if encounter_id is not None else day,
        issued=issued or store.today(),
        billed=tuple(billed),
        drafts=tuple(r for r, e in zip(rows, encounters, strict=True) if e.status is EncounterStatus.DRAFT),
        void=tuple(r for r, e in zip(rows, encounters, strict=True) if e.status is EncounterStatus.VOID),
        by_code=_by_code(billed_records),
        by_payer=_by_payer(billed, billed_records),
    )


def _reviewed(store: Store, encounter: EncounterRecord) -> ReviewedEncounter:
    assert encounter.id is not None
    patient = store.get_patient(encounter.patient_id)
    payer = store.payer_of(encounter)
    notes: list[ReviewNote] = []
    open_points: list[str] = []
    draft_codes: tuple[str, ...] = ()
    draft_cents = 0
    if encounter.is_billed:
        notes += [
            ReviewNote(str(a.severity), a.rule, a.text, a.who, a.at, a.reason)
            for a in encounter.acknowledgements
        ]
        notes += [
            ReviewNote(str(m.severity), m.rule, m.text)
            for m in encounter.messages
            if m.severity is Severity.INFO
        ]
    elif encounter.status is EncounterStatus.DRAFT:
        # what the draft would bill now, and what stops it (coded afresh: a draft has no stored lines)
        coded = code_stored(store, encounter)
        draft_codes, draft_cents = short_codes(coded.lines), coded.total_cents
        errors = [m.text for m in (*encounter.messages, *coded.messages) if m.severity is Severity.ERROR]
        open_points = list(dict.fromkeys(errors)) or [
            "Not saved as final yet: open it in the window and save it as final (Ctrl+S)."
        ]
    else:
        open_points = [f"Voided: {encounter.void_reason}"]
    return ReviewedEncounter(
        encounter_id=encounter.id,
        document_number=encounter.document_number or "",
        patient=patient.display_name,
        chart_number=patient.chart_number,
        payer=payer.name if payer is not None else "Self-pay (no insurance on file)",
        status=str(encounter.status),
        codes=short_codes(encounter.lines) or draft_codes,
        charge_cents=encounter.total_cents or draft_cents,
        notes=tuple(notes),
        open_points=tuple(open_points),
    )


def _by_code(encounters: list[EncounterRecord]) -> tuple[CodeTotal, ...]:
    units: dict[str, int] = defaultdict(int)
    charges: dict[str, int] = defaultdict(int)
    described: dict[str, str] = {}
    for encounter in encounters:
        for line in encounter.lines:
            units[line.cpt] += line.units
            charges[line.cpt] += line.charge_cents or 0
            described.setdefault(line.cpt, line.description)
    return tuple(CodeTotal(cpt, described[cpt], units[cpt], charges[cpt]) for cpt in sorted(units))


def _by_payer(rows: list[ReviewedEncounter], encounters: list[EncounterRecord]) -> tuple[PayerTotal, ...]:
    count: dict[str, int] = defaultdict(int)
    charges: dict[str, int] = defaultdict(int)
    paid: dict[str, int] = defaultdict(int)
    for row, encounter in zip(rows, encounters, strict=True):
        count[row.payer] += 1
        charges[row.payer] += encounter.total_cents
        paid[row.payer] += encounter.paid_cents
    return tuple(PayerTotal(name, count[name], charges[name], paid[name]) for name in sorted(count))
