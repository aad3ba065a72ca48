"""Hand-built superbills for the PDF and model tests (no store needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core import visit
from core.coding.model import CodedLine, LesionGroup, LesionKind, Message, Severity
from core.store import EncounterRecord, PricedLine, Store
from core.superbill.model import (
    DIAGNOSIS_LETTERS,
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

DOS = date(2026, 11, 27)


def practice() -> PracticeBlock:
    return PracticeBlock(
        name="Riverside Dermatology Associates, PLLC",
        address_lines=("1200 Harbor Boulevard, Suite 310", "Springfield, IL 62704"),
        phone="(217) 555-0142",
        tax_id="12-3456789",
        group_npi="1558598797",
    )


def line(
    cpt: str,
    units: int,
    unit_cents: int,
    pointers: tuple[str, ...] = ("A",),
    modifiers: tuple[str, ...] = (),
    lesions: tuple[LesionDetail, ...] = (),
    why: str = "",
    description: str = "",
) -> ServiceLine:
    coded = CodedLine(cpt, units, modifiers, pointers, description or f"Destruction service {cpt}", why)
    return ServiceLine(date_of_service=DOS, line=PricedLine.of(coded, unit_cents), lesions=lesions)


def ak_superbill(**changes: object) -> Superbill:
    """A typical visit: 16 actinic keratoses and two seborrheic keratoses, paid $40 today."""
    ak = LesionDetail(count=16, kind="premalignant", sites=("face", "scalp"), method="cryosurgery")
    sk = LesionDetail(count=2, kind="benign", sites=("back",), method="cryosurgery")
    lines = (
        line(
            "17000",
            1,
            12500,
            ("A",),
            (),
            (ak,),
            "The first premalignant lesion is billed with 17000.",
            "Destruction of premalignant lesion, first",
        ),
        line(
            "17003",
            13,
            1100,
            ("A",),
            (),
            (ak,),
            "Lesions 2 to 14 are billed with 17003, one unit each (13 units).",
            "Destruction of premalignant lesions, 2 to 14, each",
        ),
        line(
            "17004",
            1,
            30000,
            ("A",),
            ("59",),
            (ak,),
            "Wait: 15 or more lesions use 17004 alone; shown here to exercise modifiers.",
            "Destruction of premalignant lesions, 15 or more",
        ),
        line(
            "17110",
            1,
            15000,
            ("B",),
            ("XS",),
            (sk,),
            "Up to 14 benign lesions are billed once with 17110; 59/XS marks a separate site.",
            "Destruction of benign lesions, up to 14",
        ),
    )
    charges = sum(x.line_charge_cents for x in lines)
    superbill = Superbill(
        encounter_id=41,
        document_number="SB-2026-000041",
        date_of_service=DOS,
        date_issued=date(2026, 11, 28),
        practice=practice(),
        provider=ProviderBlock("Dana Whitfield", "MD", "1234567893", "IL 036-112233"),
        place_of_service=PlaceOfService("11", "Office"),
        patient=PatientBlock(
            name="Lovelace, Ada",
            date_of_birth=date(1950, 12, 10),
            sex="F",
            address_lines=("12 St James's Square", "Springfield, IL 62701"),
            chart_number="A1001",
        ),
        insurance=InsuranceBlock(
            payer_name="Medicare Part B",
            member_id="1EG4TE5MK73",
            group_number=None,
            subscriber_name="Lovelace, Ada",
            relationship="self",
        ),
        diagnoses=(
            Diagnosis("A", "L57.0", "Actinic keratosis"),
            Diagnosis("B", "L82.1", "Other seborrheic keratosis"),
        ),
        lines=lines,
        totals=Totals(charges_cents=charges, paid_cents=4000),
    )
    return replace(superbill, **changes) if changes else superbill


def big_superbill(diagnosis_count: int = 12, line_count: int = 60) -> Superbill:
    """Twelve diagnoses and sixty malignant-lesion lines: forces several pages."""
    diagnoses = tuple(
        Diagnosis(letter, f"C44.{i}{i % 10}", f"Malignant neoplasm of skin, site number {i + 1}")
        for i, letter in enumerate(DIAGNOSIS_LETTERS[:diagnosis_count])
    )
    lines = tuple(
        line(
            f"1726{i % 7}",
            1,
            20000 + 100 * i,
            (DIAGNOSIS_LETTERS[i % diagnosis_count],),
            ("59",) if i else (),
            (LesionDetail(1, "malignant", ("trunk",), "electrodesiccation", f"{0.5 + i / 10:.1f} cm"),),
            f"Line {i + 1}: a malignant lesion is billed per lesion by site and diameter.",
            description=f"Destruction of malignant lesion, trunk, line {i + 1}",
        )
        for i in range(line_count)
    )
    return ak_superbill(
        diagnoses=diagnoses,
        lines=lines,
        totals=Totals(sum(x.line_charge_cents for x in lines), 0),
        document_number="SB-2026-000099",
        encounter_id=99,
    )


def finalised(
    store: Store,
    chart_number: str = "DEMO-1",
    lesions: tuple[LesionGroup, ...] | None = None,
    *,
    day: date = DOS,
    paid_cents: int = 0,
    extra_messages: tuple[Message, ...] = (),
) -> EncounterRecord:
    """Save a draft for a demo patient, code it with the engine and finalise it (as the desk would)."""
    patient = store.patient_by_chart_number(chart_number)
    assert patient is not None and patient.id is not None
    provider = store.providers()[0]
    assert provider.id is not None
    if lesions is None:
        lesions = (
            LesionGroup(LesionKind.PREMALIGNANT, 16, "face", "cryosurgery", "L57.0"),
            LesionGroup(LesionKind.BENIGN, 2, "trunk", "cryosurgery", "L82.1"),
        )
    draft = store.save_draft(EncounterRecord(patient.id, provider.id, day, "11", lesions=lesions))
    assert draft.id is not None
    result = visit.code_stored(store, draft).result
    assert not result.has_errors, result.messages
    result = replace(result, messages=result.messages + extra_messages)
    looked_at = {m: "" for m in result.messages if m.severity is Severity.WARNING}
    final = store.finalize(draft.id, result, version=draft.version, acknowledged=looked_at)
    if paid_cents:
        final = store.record_payment(draft.id, paid_cents)
    return final
