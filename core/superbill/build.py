"""Assemble superbills from the store: one final encounter, or every final encounter of a day.

Only final (or already printed) encounters have a superbill: their billed lines, fees and document
number were frozen when they were finalised, so printing again gives the same content (and the same
content hash). Drafts and void encounters are refused with a message that says why and what to do.
"""

from __future__ import annotations

from datetime import date

from core import icd10
from core.coding import kinds, tables
from core.coding.diagnoses import LETTERS as DIAGNOSIS_LETTERS
from core.dates import shown_date
from core.errors import SuperbillError
from core.quick_entry import site_text, size_text
from core.store import Coverage, EncounterRecord, EncounterStatus, Patient, Payer, PayerKind, Store
from core.superbill.model import (
    Diagnosis,
    InsuranceBlock,
    LesionDetail,
    PatientBlock,
    PlaceOfService,
    PracticeBlock,
    ProviderBlock,
    ServiceLine,
    Superbill,
    Totals,
)

#: encounters that have a superbill; printing a printed one again is a reprint


class NothingToPrintError(SuperbillError):
    """The encounter or the day has no final encounter, so there is no superbill to print."""


def superbill_for(store: Store, encounter_id: int, *, issued: date | None = None) -> Superbill:
    """The superbill of one final encounter; ``issued`` defaults to the store's today.

    Raises ``NotFoundError`` for an unknown number and ``NothingToPrintError`` for a draft or void one.
    """
    encounter = store.get_encounter(encounter_id)
    if not encounter.is_billed:
        raise NothingToPrintError(_not_printable(encounter))
    return _assemble(store, encounter, issued or store.today())


def superbills_for_day(store: Store, day: date, *, issued: date | None = None) -> list[Superbill]:
    """Every final encounter of ``day`` in day-sheet order (the order they were entered).

    Raises ``NothingToPrintError`` when none is final, saying how many drafts and voids there are.
    """
    encounters = store.encounters_on(day)
    printable = [e for e in encounters if e.is_billed]
    if not printable:
        raise NothingToPrintError(_nothing_on(day, encounters))
    when = issued or store.today()
    return [_assemble(store, e, when) for e in printable]


def _not_printable(encounter: EncounterRecord) -> str:
    number = encounter.id
    if encounter.status is EncounterStatus.VOID:
        reason = f" (reason: {encounter.void_reason})" if encounter.void_reason else ""
        return (
            f"Encounter {number} was voided{reason}, so it has no superbill to print. "
            "If it should be billed after all, reopen it, finalise it, then print."
        )
    return (
        f"Encounter {number} is still a draft, so it has no superbill yet. "
        "Finalise it first (its coding must show no errors), then print."
    )


def _nothing_on(day: date, encounters: list[EncounterRecord]) -> str:
    when = f"{shown_date(day)}"
    if not encounters:
        return f"There are no encounters on {when}, so there is nothing to print. Check the date."
    drafts = sum(e.status is EncounterStatus.DRAFT for e in encounters)
    voids = sum(e.status is EncounterStatus.VOID for e in encounters)
    parts = []
    if drafts:
        parts.append(f"{drafts} still a draft" if drafts == 1 else f"{drafts} still drafts")
    if voids:
        parts.append(f"{voids} void")
    return (
        f"No encounter on {when} is final, so there is nothing to print ({' and '.join(parts)}). "
        "Finalise the drafts first; void encounters are never printed."
    )


def _assemble(store: Store, encounter: EncounterRecord, issued: date) -> Superbill:
    assert encounter.id is not None and encounter.document_number is not None
    patient = store.get_patient(encounter.patient_id)
    lines = tuple(_service_line(encounter, index) for index in range(len(encounter.lines)))
    return Superbill(
        encounter_id=encounter.id,
        document_number=encounter.document_number,
        date_of_service=encounter.date_of_service,
        date_issued=issued,
        practice=_practice(store),
        provider=_provider(store, encounter.provider_id),
        place_of_service=_place_of_service(encounter.place_of_service),
        patient=_patient(patient),
        insurance=_insurance(store, encounter, patient),
        secondary_insurance=_secondary(store, encounter, patient),
        hash_version=encounter.hash_version or 1,
        diagnoses=tuple(
            Diagnosis(letter, code, _diagnosis_description(code))
            for letter, code in zip(DIAGNOSIS_LETTERS, encounter.diagnoses, strict=False)
        ),
        lines=lines,
        totals=Totals(charges_cents=encounter.total_cents, paid_cents=encounter.paid_cents),
        note=str(store.setting("superbill_footer")).strip(),
    )


def _address(address1: str, address2: str, city: str, state: str, zip_code: str) -> tuple[str, ...]:
    last = " ".join(part for part in (f"{city}," if city else "", state, zip_code) if part).strip(" ,")
    return tuple(line for line in (address1.strip(), address2.strip(), last) if line)


def _practice(store: Store) -> PracticeBlock:
    p = store.practice()
    return PracticeBlock(
        name=p.name,
        address_lines=_address(p.address1, p.address2, p.city, p.state, p.zip),
        phone=p.phone,
        tax_id=p.tax_id,
        group_npi=p.group_npi or None,
    )


def _provider(store: Store, provider_id: int) -> ProviderBlock:
    provider = store.get_provider(provider_id)
    return ProviderBlock(
        name=f"{provider.first_name} {provider.last_name}".strip(),
        credentials=provider.credentials,
        npi=provider.npi,
        taxonomy=provider.taxonomy or store.practice().taxonomy,
    )


def _place_of_service(code: str) -> PlaceOfService:
    known = tables.pos(code)
    return PlaceOfService(code, known.name if known else "not in the place-of-service table")


def _patient(patient: Patient) -> PatientBlock:
    return PatientBlock(
        name=patient.display_name,
        date_of_birth=patient.date_of_birth,
        sex=patient.sex,
        address_lines=_address(patient.address1, patient.address2, patient.city, patient.state, patient.zip),
        chart_number=patient.chart_number,
    )


def _insurance(store: Store, encounter: EncounterRecord, patient: Patient) -> InsuranceBlock | None:
    """The payer frozen at finalisation with the member details frozen with it (schema 10; an encounter
    finalised before has only its payer frozen, the details come from the patient record); ``None`` for
    self-pay."""
    if encounter.coverage is not None:
        frozen = encounter.coverage.primary
        return None if frozen is None else _frozen(store, frozen, patient)
    payer_id = encounter.payer_id if encounter.payer_id is not None else patient.payer_id
    if payer_id is None:
        return None
    return _coverage(
        store.get_payer(payer_id),
        patient,
        (patient.member_id, patient.group_number, patient.subscriber_name, patient.relationship),
    )


def _frozen(store: Store, coverage: Coverage, patient: Patient) -> InsuranceBlock | None:
    member = (coverage.member_id, coverage.group_number, coverage.subscriber_name, coverage.relationship)
    return _coverage(store.get_payer(coverage.payer_id), patient, member)


def _coverage(payer: Payer, patient: Patient, member: tuple[str, str, str, str]) -> InsuranceBlock | None:
    """One coverage as printed (``member``: member id, group, subscriber, relationship); ``None`` for
    self-pay."""
    if payer.kind is PayerKind.SELF_PAY:
        return None
    member_id, group_number, subscriber, relationship = member
    return InsuranceBlock(
        payer_name=payer.name,
        member_id=member_id,
        group_number=group_number or None,
        subscriber_name=subscriber or patient.display_name,
        relationship=relationship,
        payer_id=payer.payer_id,
        claims_address_lines=_claims_address(payer),
    )


def _claims_address(payer: Payer) -> tuple[str, ...]:
    return _address(
        payer.claims_address1, payer.claims_address2, payer.claims_city, payer.claims_state, payer.claims_zip
    )


def _secondary(store: Store, encounter: EncounterRecord, patient: Patient) -> InsuranceBlock | None:
    """The second coverage frozen at finalisation (before schema 10: the patient's as it stands when
    printed); ``None`` when there is none."""
    if encounter.coverage is not None:
        frozen = encounter.coverage.secondary
        return None if frozen is None else _frozen(store, frozen, patient)
    if patient.secondary_payer_id is None:
        return None
    member = (
        patient.secondary_member_id,
        patient.secondary_group_number,
        patient.secondary_subscriber_name,
        patient.secondary_relationship,
    )
    return _coverage(store.get_payer(patient.secondary_payer_id), patient, member)


def _diagnosis_description(code: str) -> str:
    found = icd10.lookup(code)
    return found.description if found else "(not in the ICD-10-CM code set in use)"


def _service_line(encounter: EncounterRecord, index: int) -> ServiceLine:
    billed = encounter.lines[index]
    lesions = tuple(
        _lesion_detail(encounter, i) for i in billed.lesion_indexes if 0 <= i < len(encounter.lesions)
    )
    return ServiceLine(date_of_service=encounter.date_of_service, line=billed, lesions=lesions)


def _lesion_detail(encounter: EncounterRecord, index: int) -> LesionDetail:
    group = encounter.lesions[index]
    return LesionDetail(
        count=group.count,
        kind=kinds.kind(group.kind).paper_label,
        sites=(site_text(group),),
        method=group.method,
        size=size_text(group),
    )
