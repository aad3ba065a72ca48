"""One visit's workflow, the same from every door: the window, the importer and the commands.

A visit goes: its coding input (from a stored encounter, or one typed before its patient was chosen)
→ the engine, **once** per change → its lines priced from the fee schedule → saved as a draft → saved
as final under **one policy**. Nothing outside this module repeats a step:

* ``VisitContext`` holds what coding needs from the database (the payer, the coding settings, the
  patient's recent billed codes, the fees of the day), read once when a visit is opened — typing in
  quick entry then runs no query to code or price.
* ``code`` runs the engine and prices its lines (``CodedVisit``).
* ``save_draft`` stores the lesions and the messages (the engine's and the notes an import left).
* ``check_final`` says what stands in the way of saving as final; ``finalize`` applies the policy:
  errors block, a note an import could not take in blocks until marked dealt with, and each warning
  must be acknowledged — who, when and, optionally, why — which is stored with the encounter and in
  the audit log (``Store.finalize`` refuses an unacknowledged warning too, whoever calls it).

``settings_for`` is the one mapping from a practice's payer record to the engine's settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from core.coding import code_encounter, modifiers
from core.coding.model import CodingResult, Encounter, Message, PriorService, Severity
from core.coding.settings import CodingSettings
from core.errors import InputError
from core.store import EncounterRecord, Payer, PricedLine, Store

#: the coding payer of a visit whose patient is not chosen yet (no insurance known, no history)
PENDING_PAYER = "commercial"
#: what a note left by an import says when it is marked dealt with (the reason stored with it)
IMPORTED_REASON = "accepted by the import"


def settings_for(payer: Payer | None, today: date | None) -> CodingSettings:
    """The engine's settings for a visit billed to ``payer`` (``None``: no insurance on file, self-pay):
    the payer record's own modifier conventions and kind, and ``today`` for the future-date check."""
    if payer is None:
        return CodingSettings.for_payer("self_pay", today=today)
    return CodingSettings(
        modifier_51=payer.use_modifier_51,
        distinct_modifier=payer.distinct_modifier,
        today=today,
        payer_kind=str(payer.kind),
    )


@dataclass(frozen=True)
class VisitContext:
    """What coding and pricing a visit needs from the database, read once when the visit is opened."""

    payer_word: str
    settings: CodingSettings
    prior_services: tuple[PriorService, ...] = ()
    #: the practice's fee for one unit of each code, in force on the date of service
    fees: Mapping[str, int] = field(default_factory=dict)
    payer: Payer | None = None


def open_context(store: Store, record: EncounterRecord) -> VisitContext:
    """Read the context of ``record`` (4 queries): its payer, the patient's billed codes of the last
    months (global periods) and the fee schedule of its date of service."""
    payer = store.payer_of(record)
    return VisitContext(
        payer_word="self_pay" if payer is None else payer.coding_payer,
        settings=settings_for(payer, store.today()),
        prior_services=store.prior_services(record.patient_id, record.date_of_service, exclude_id=record.id),
        fees=_fees(store, record.date_of_service),
        payer=payer,
    )


def pending_context(store: Store, day: date) -> VisitContext:
    """The context of a visit typed before its patient is chosen: no insurance known, no history."""
    return VisitContext(
        payer_word=PENDING_PAYER,
        settings=CodingSettings.for_payer(PENDING_PAYER, today=store.today()),
        fees=_fees(store, day),
    )


def _fees(store: Store, day: date) -> dict[str, int]:
    return {entry.cpt: entry.unit_fee_cents for entry in store.fee_schedule(day)}


def coding_input(record: EncounterRecord, context: VisitContext) -> Encounter:
    """The engine's input for a stored or not-yet-saved visit."""
    return Encounter(
        date_of_service=record.date_of_service,
        place_of_service=record.place_of_service,
        lesions=record.lesions,
        payer=context.payer_word,
        em_code=record.em_code,
        prior_services=context.prior_services,
        decision_for_surgery=record.decision_for_surgery,
    )


@dataclass(frozen=True)
class CodedVisit:
    """The engine's result for a visit, its lines priced (``unit_fee_cents`` ``None``: no fee set)."""

    result: CodingResult
    lines: tuple[PricedLine, ...]

    @property
    def messages(self) -> tuple[Message, ...]:
        return self.result.messages

    @property
    def has_errors(self) -> bool:
        return self.result.has_errors

    @property
    def total_cents(self) -> int:
        """The charges of the lines that have a fee."""
        return sum(line.charge_cents or 0 for line in self.lines)

    @property
    def missing_fees(self) -> tuple[str, ...]:
        """The codes the fee schedule has no fee for on the date of service."""
        return tuple(line.cpt for line in self.lines if line.unit_fee_cents is None)


def decision_for_surgery_applies(record: EncounterRecord, coded: CodedVisit) -> bool:
    """True when ``record`` bills an office visit and, in ``coded``, a procedure with a 90-day global
    period: only then can the visit be the decision for surgery, whose E/M takes 57 instead of 25."""
    codes = [line.cpt for line in coded.result.lines if line.cpt != record.em_code]
    return bool(record.em_code) and bool(modifiers.major_procedures(codes, record.date_of_service))


def short_codes(lines: Iterable[PricedLine]) -> tuple[str, ...]:
    """The lines as a list shows them: ``("17000", "17003×11")``."""
    return tuple(line.cpt + (f"×{line.units}" if line.units > 1 else "") for line in lines)


def code(record: EncounterRecord, context: VisitContext) -> CodedVisit:
    """Code ``record`` with the engine and price its lines; reads nothing from the database."""
    if not record.lesions and not record.em_code:
        return CodedVisit(CodingResult(), ())
    result = code_encounter(coding_input(record, context), context.settings)
    return CodedVisit(result, tuple(PricedLine.of(line, context.fees.get(line.cpt)) for line in result.lines))


def messages_to_keep(coded: CodedVisit, carried: Iterable[Message]) -> tuple[Message, ...]:
    """What a draft stores: the notes an import left (until dealt with), then the engine's messages."""
    produced = coded.messages
    return tuple(m for m in carried if m not in produced) + tuple(produced)


def save_draft(
    store: Store,
    record: EncounterRecord,
    coded: CodedVisit,
    carried: Iterable[Message] = (),
    previous: EncounterRecord | None = None,
) -> EncounterRecord:
    """Store the visit as a draft with the messages it shows now (nothing is written when nothing
    changed). ``previous`` is the draft as last saved (``Store.save_draft``: then it is not read back).
    ``StaleRecordError`` when another program changed it since ``record`` was read."""
    return store.save_draft(replace(record, messages=messages_to_keep(coded, carried)), previous=previous)


@dataclass(frozen=True)
class FinalCheck:
    """What stands between a visit and "final": errors and blocking notes stop it; warnings ask."""

    errors: tuple[Message, ...]
    blocking_notes: tuple[Message, ...]
    warnings: tuple[Message, ...]
    nothing_to_bill: bool

    @property
    def blocked(self) -> bool:
        return bool(self.errors or self.blocking_notes or self.nothing_to_bill)


def check_final(coded: CodedVisit, carried: Sequence[Message] = ()) -> FinalCheck:
    """The policy's questions for ``coded``, with the import's ``carried`` notes."""
    engine = coded.messages
    return FinalCheck(
        errors=tuple(m for m in engine if m.severity is Severity.ERROR),
        blocking_notes=tuple(m for m in carried if m.severity is Severity.ERROR),
        warnings=tuple(
            m for m in (*(m for m in carried if m not in engine), *engine) if m.severity is Severity.WARNING
        ),
        nothing_to_bill=not coded.result.lines,
    )


def finalize(
    store: Store,
    record: EncounterRecord,
    coded: CodedVisit,
    acknowledged: Mapping[Message, str],
    carried: Sequence[Message] = (),
) -> EncounterRecord:
    """Save the visit as final under the one policy; returns the final encounter.

    ``acknowledged`` maps each warning of ``check_final`` to the reason it is billed anyway ("" for
    none). The import's carried warnings stay on record with the final encounter. Raises
    ``InputError`` (nothing stored) for an error, a blocking note, nothing to bill, or a warning left
    unacknowledged; ``StaleRecordError`` when the visit changed elsewhere since it was coded.
    """
    assert record.id is not None
    check = check_final(coded, carried)
    if check.errors or check.blocking_notes:
        first = (*check.errors, *check.blocking_notes)[0]
        raise InputError(f"This visit cannot be saved as final yet: {first.text}", field=first.field)
    if check.nothing_to_bill:
        raise InputError(
            "This visit has nothing to bill yet: add the lesions or the visit code.", field="lesions"
        )
    missing = [m for m in check.warnings if m not in acknowledged]
    if missing:
        raise InputError(
            "Each warning must be looked at before saving as final: "
            + " ".join(f"“{m.text}”" for m in missing),
            field=missing[0].field,
        )
    kept = tuple(m for m in carried if m not in coded.messages and m.severity is not Severity.ERROR)
    result = replace(coded.result, messages=(*kept, *coded.messages))
    return store.finalize(record.id, result, version=record.version, acknowledged=acknowledged)


def code_stored(store: Store, record: EncounterRecord) -> CodedVisit:
    """Open the context of a stored (or to-be-stored) visit and code it: for doors that code a visit
    once (the importer, the commands); the window keeps its context open while the visit is edited."""
    return code(record, open_context(store, record))


def finalize_unattended(
    store: Store, record: EncounterRecord, reason: str, carried: Sequence[Message] = ()
) -> EncounterRecord:
    """Finalise where no person can be asked (an import): every warning is acknowledged by the store's
    user with ``reason`` (for example "imported from day.json"), so the biller's review sheet shows
    that nobody looked at it at the desk. Errors and blocking notes still block."""
    coded = code_stored(store, record)
    check = check_final(coded, carried)
    return finalize(store, record, coded, dict.fromkeys(check.warnings, reason), carried)
