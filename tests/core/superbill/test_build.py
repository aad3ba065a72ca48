"""Superbills assembled from a real store: what is taken from where, and what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.coding.model import LesionGroup, LesionKind, Message, Severity
from core.errors import NotFoundError
from core.store import EncounterRecord, Store
from core.superbill.build import NothingToPrintError, superbill_for, superbills_for_day
from tests.core.superbill.samples import DOS, finalised
from tests.signing_in import open_signed_in


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    clock = lambda: datetime(2026, 11, 28, 15, 0, tzinfo=UTC)  # noqa: E731
    with open_signed_in(tmp_path / "practice.db", clock=clock, user="tester") as opened:
        yield opened


def test_a_final_encounter_becomes_a_complete_superbill(store: Store) -> None:
    final = finalised(store, paid_cents=4000)
    assert final.id is not None
    superbill = superbill_for(store, final.id)
    practice = store.practice()
    patient = store.patient_by_chart_number("DEMO-1")
    assert patient is not None

    assert superbill.encounter_id == final.id
    assert superbill.document_number == final.document_number
    assert superbill.date_of_service == DOS
    assert superbill.date_issued == date(2026, 11, 28)  # the store's today, not the date of service
    assert superbill.practice.name == practice.name
    assert superbill.practice.tax_id == practice.tax_id
    assert superbill.practice.address_lines[-1] == f"{practice.city}, {practice.state} {practice.zip}"
    assert superbill.provider.npi == store.providers()[0].npi
    assert superbill.place_of_service.code == "11" and superbill.place_of_service.name == "Office"
    assert superbill.patient.name == patient.display_name
    assert superbill.patient.chart_number == "DEMO-1"
    assert superbill.insurance is not None
    assert superbill.insurance.member_id == patient.member_id
    assert superbill.insurance.payer_name == "Medicare"
    assert [(d.letter, d.code) for d in superbill.diagnoses] == [("A", "L57.0"), ("B", "L82.1")]
    assert superbill.diagnoses[0].description == "Actinic keratosis"

    assert [line.cpt for line in superbill.lines] == [line.cpt for line in final.lines]
    for printed, billed in zip(superbill.lines, final.lines, strict=True):
        assert printed.unit_charge_cents == billed.unit_fee_cents
        assert printed.line_charge_cents == billed.charge_cents
        assert printed.diagnosis_pointers == billed.diagnosis_pointers
        assert printed.why == billed.why and printed.why
    first = superbill.lines[0]
    assert first.lesions[0].count == 16 and first.lesions[0].sites == ("face",)
    assert first.lesions[0].method == "cryosurgery"
    assert superbill.totals.charges_cents == final.total_cents
    assert superbill.totals.paid_cents == 4000
    assert superbill.totals.balance_cents == final.total_cents - 4000


def test_printing_the_same_encounter_again_gives_the_same_hash(store: Store) -> None:
    final = finalised(store)
    assert final.id is not None
    first = superbill_for(store, final.id)
    store.mark_printed([final.id])
    reprint = superbill_for(store, final.id, issued=date(2027, 2, 1))
    assert reprint.date_issued == date(2027, 2, 1)
    assert reprint.content_hash == first.content_hash


def test_malignant_size_and_self_pay(store: Store) -> None:
    patient = store.patient_by_chart_number("DEMO-1")
    assert patient is not None
    self_pay = next(p for p in store.payers() if p.kind == "self_pay")
    store.save_patient(replace(patient, payer_id=self_pay.id, member_id=""))
    lesions = (LesionGroup(LesionKind.MALIGNANT, 1, "trunk", "electrosurgery", "C44.519", diameter_cm=0.8),)
    final = finalised(store, lesions=lesions)
    assert final.id is not None
    superbill = superbill_for(store, final.id)
    assert superbill.insurance is None
    assert superbill.lines[0].lesions[0].size == "0.8 cm"
    assert superbill.lines[0].lesions[0].kind == "malignant"


def test_the_patients_superbill_carries_no_finding_for_staff(store: Store) -> None:
    """A superbill is for the patient and the insurer: warnings and notes (rule ids, instructions to
    staff) stay with the encounter, acknowledged, for the review sheet — never on the paper."""
    import io

    from pypdf import PdfReader

    from core.pdf.render import render_superbills

    warning = Message(Severity.WARNING, "TEST_WARNING", None, "Check the documentation.")
    info = Message(Severity.INFO, "TEST_INFO", None, "For the record.")
    final = finalised(store, extra_messages=(warning, info))
    assert final.id is not None
    assert [a.rule for a in final.acknowledgements] == ["TEST_WARNING"]
    out = io.BytesIO()
    render_superbills([superbill_for(store, final.id)], out)
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    for staff_only in ("TEST_WARNING", "Check the documentation", "TEST_INFO", "BILLER", "EDIT_UNCONFIRMED"):
        assert staff_only not in text, staff_only


def test_the_practice_footer_setting_is_printed(store: Store) -> None:
    final = finalised(store)
    assert final.id is not None
    store.set_setting("superbill_footer", "Payment is due within 30 days.")
    assert superbill_for(store, final.id).note == "Payment is due within 30 days."


def test_a_draft_is_refused_with_what_to_do(store: Store) -> None:
    patient = store.patient_by_chart_number("DEMO-1")
    assert patient is not None and patient.id is not None
    draft = store.save_draft(EncounterRecord(patient.id, store.providers()[0].id or 0, DOS))
    assert draft.id is not None
    with pytest.raises(NothingToPrintError, match=r"still a draft.*Finalise it first"):
        superbill_for(store, draft.id)


def test_a_void_encounter_is_refused_with_its_reason(store: Store) -> None:
    final = finalised(store)
    assert final.id is not None
    store.void_encounter(final.id, "entered twice")
    with pytest.raises(NothingToPrintError, match=r"voided \(reason: entered twice\)"):
        superbill_for(store, final.id)


def test_an_unknown_encounter_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        superbill_for(store, 999)


def test_a_day_gives_its_final_encounters_in_day_sheet_order(store: Store) -> None:
    second_first = finalised(store, "DEMO-2")
    first_second = finalised(store, "DEMO-1")
    voided = finalised(store, "DEMO-3")
    assert voided.id is not None
    store.void_encounter(voided.id, "wrong patient")
    finalised(store, "DEMO-1", day=date(2026, 11, 26))  # another day
    found = superbills_for_day(store, DOS)
    assert [s.encounter_id for s in found] == [second_first.id, first_second.id]


def test_a_day_with_nothing_final_says_why(store: Store) -> None:
    with pytest.raises(NothingToPrintError, match="no encounters on 11/27/2026"):
        superbills_for_day(store, DOS)
    final = finalised(store)
    assert final.id is not None
    store.void_encounter(final.id, "entered twice")
    patient = store.patient_by_chart_number("DEMO-2")
    assert patient is not None and patient.id is not None
    store.save_draft(EncounterRecord(patient.id, store.providers()[0].id or 0, DOS))
    with pytest.raises(NothingToPrintError, match=r"1 still a draft and 1 void"):
        superbills_for_day(store, DOS)


def test_billers_details_taxonomy_payer_id_claims_address_and_a_second_insurance(store: Store) -> None:
    import io
    from dataclasses import replace

    from pypdf import PdfReader

    from core.pdf.render import render_superbills

    medicare = next(p for p in store.payers() if p.coding_payer == "medicare")
    aetna = next(p for p in store.payers() if p.coding_payer == "aetna")
    store.save_payer(
        replace(
            medicare,
            payer_id="MCR01",
            claims_address1="PO Box 6701",
            claims_city="Fargo",
            claims_state="ND",
            claims_zip="58108",
        )
    )
    provider = store.providers()[0]
    store.save_provider(replace(provider, taxonomy="207N00000X"))
    patient = store.patient_by_chart_number("DEMO-1")
    assert patient is not None and aetna.id is not None
    store.save_patient(
        replace(
            patient,
            sex="U",
            secondary_payer_id=aetna.id,
            secondary_member_id="W2204",
            secondary_group_number="G7",
        )
    )
    final = finalised(store)
    assert final.id is not None
    superbill = superbill_for(store, final.id)

    assert superbill.provider.taxonomy == "207N00000X"
    assert superbill.insurance is not None and superbill.insurance.payer_id == "MCR01"
    assert superbill.insurance.claims_address_lines == ("PO Box 6701", "Fargo, ND 58108")
    second = superbill.secondary_insurance
    assert second is not None and (second.payer_name, second.member_id) == (aetna.name, "W2204")
    out = io.BytesIO()
    render_superbills([superbill], out)
    text = PdfReader(out).pages[0].extract_text()
    for printed in ("207N00000X", "MCR01", "PO Box 6701", "SECOND INSURANCE", "W2204"):
        assert printed in text, printed
    assert "Sex U" not in text.replace("\n", " ")  # unknown sex prints nothing, not a code


def test_a_second_insurance_needs_its_member_id_and_is_not_the_first_again(store: Store) -> None:
    from dataclasses import replace

    from core.errors import InputError

    aetna = next(p for p in store.payers() if p.coding_payer == "aetna")
    patient = store.patient_by_chart_number("DEMO-1")
    assert patient is not None
    with pytest.raises(InputError, match="Second member ID") as err:
        store.save_patient(replace(patient, secondary_payer_id=aetna.id))
    assert err.value.field == "secondary_member_id"
    with pytest.raises(InputError, match="already the first insurance"):
        store.save_patient(replace(patient, secondary_payer_id=patient.payer_id, secondary_member_id="X"))


def test_the_insurance_printed_is_the_one_in_force_at_finalisation(store: Store) -> None:
    """The first and second coverage are frozen with the encounter at Save final: correcting the
    patient afterwards (new member id, group, subscriber, second plan dropped) changes no billed
    superbill, its hash included; the next visit takes the new details."""
    aetna = next(p for p in store.payers() if p.coding_payer == "aetna")
    patient = store.patient_by_chart_number("DEMO-1")
    assert patient is not None and aetna.id is not None
    patient = store.save_patient(
        replace(
            patient,
            member_id="1EG4TE5MK73",
            group_number="GRP-1",
            subscriber_name="Demo, Partner",
            relationship="spouse",
            secondary_payer_id=aetna.id,
            secondary_member_id="W2204",
            secondary_group_number="G7",
            secondary_subscriber_name="Demo, Parent",
            secondary_relationship="child",
        )
    )
    final = finalised(store)
    assert final.id is not None and final.hash_version == 2 and final.coverage is not None
    before = superbill_for(store, final.id)
    store.save_patient(
        replace(
            patient,
            member_id="9ZZ9ZZ9ZZ99",
            group_number="GRP-2",
            subscriber_name="",
            relationship="self",
            secondary_payer_id=None,
            secondary_member_id="",
            secondary_group_number="",
            secondary_subscriber_name="",
        )
    )
    after = superbill_for(store, final.id)
    assert after == before and after.content_hash == before.content_hash
    assert after.insurance is not None and after.secondary_insurance is not None
    first, second = after.insurance, after.secondary_insurance
    assert (first.member_id, first.group_number, first.subscriber_name, first.relationship) == (
        "1EG4TE5MK73",
        "GRP-1",
        "Demo, Partner",
        "spouse",
    )
    assert (second.payer_name, second.member_id, second.group_number) == (aetna.name, "W2204", "G7")
    assert (second.subscriber_name, second.relationship) == ("Demo, Parent", "child")
    later = finalised(store, day=date(2026, 11, 28))
    assert later.id is not None
    now = superbill_for(store, later.id)
    assert now.insurance is not None and now.insurance.member_id == "9ZZ9ZZ9ZZ99"
    assert now.secondary_insurance is None
    assert store.verify_data().ok


def test_the_frozen_coverage_is_in_the_audit_log_and_the_data_check(store: Store) -> None:
    final = finalised(store)
    assert final.id is not None
    assert store.verify_data().ok
    store.conn.execute(
        "UPDATE encounters SET coverage = replace(coverage, ?, 'X') WHERE id = ?",
        [final.coverage.primary.member_id if final.coverage and final.coverage.primary else "", final.id],
    )
    store.conn.execute("UPDATE encounters SET hash_version = 1 WHERE id = ?", [final.id])
    check = store.verify_data()
    assert not check.ok
    said = " ".join(check.problems)
    assert "coverage" in said and "hash version" in said


def test_reopening_and_finalising_again_freezes_the_patients_details_anew(store: Store) -> None:
    final = finalised(store)
    assert final.id is not None
    patient = store.patient_by_chart_number("DEMO-1")
    assert patient is not None
    store.save_patient(replace(patient, group_number="NEW-GROUP"))
    draft = store.reopen(final.id)
    assert draft.coverage == final.coverage  # kept with the draft until it is finalised again
    from core import visit

    result = visit.code_stored(store, draft).result
    looked_at = {m: "" for m in result.messages if m.severity is Severity.WARNING}
    again = store.finalize(final.id, result, version=draft.version, acknowledged=looked_at)
    assert again.coverage is not None and again.coverage.primary is not None
    assert again.coverage.primary.group_number == "NEW-GROUP"
    printed = superbill_for(store, final.id)
    assert printed.insurance is not None and printed.insurance.group_number == "NEW-GROUP"
