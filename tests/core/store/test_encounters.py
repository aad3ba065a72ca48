"""Encounters: drafts saved on every edit, finalised with the fees of the date of service, printed,
voided and reopened; lists for the day sheet and crash recovery."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import visit
from core.coding.model import (
    CodedLine,
    CodingResult,
    LesionGroup,
    LesionKind,
    Message,
    PriorService,
    Severity,
)
from core.errors import InputError, NotFoundError, StoreError
from core.store import EncounterRecord, EncounterStatus, Store
from tests.core.store.conftest import DOS, FakeClock
from tests.signing_in import open_signed_in

AK12 = LesionGroup(LesionKind.PREMALIGNANT, 12, "face", "cryosurgery", "L57.0")
SK3 = LesionGroup(LesionKind.BENIGN, 3, "trunk", "cryosurgery", "L82.1")


def _patient_id(store: Store, chart: str = "DEMO-1") -> int:
    patient = store.patient_by_chart_number(chart)
    assert patient is not None and patient.id is not None
    return patient.id


def _draft(store: Store, *lesions: LesionGroup, chart: str = "DEMO-1", day: date = DOS) -> EncounterRecord:
    provider = store.default_provider()
    assert provider.id is not None
    return store.save_draft(
        EncounterRecord(
            patient_id=_patient_id(store, chart),
            provider_id=provider.id,
            date_of_service=day,
            place_of_service="11",
            lesions=lesions,
        )
    )


def _coded(store: Store, record: EncounterRecord) -> CodingResult:
    return visit.code_stored(store, record).result


def _finalize(store: Store, record: EncounterRecord) -> EncounterRecord:
    """``Store.finalize`` with each warning acknowledged (the window asks a person; here nobody)."""
    result = _coded(store, record)
    looked_at = {m: "" for m in result.messages if m.severity is Severity.WARNING}
    return store.finalize(record.id or 0, result, acknowledged=looked_at)


def _final(store: Store, *lesions: LesionGroup, day: date = DOS) -> EncounterRecord:
    draft = _draft(store, *lesions, day=day)
    assert draft.id is not None
    return _finalize(store, draft)


def test_draft_round_trip_and_update(store: Store, clock: FakeClock) -> None:
    draft = _draft(store, AK12)
    assert draft.id is not None and draft.status is EncounterStatus.DRAFT
    assert draft.lesions == (AK12,)
    assert draft.created_at == clock.now and draft.updated_at == clock.now
    assert store.get_encounter(draft.id) == draft
    clock.advance(minutes=3)
    warning = Message(Severity.WARNING, "EM_SAME_DAY", "em_code", "Document the separate visit.")
    edited = store.save_draft(replace(draft, lesions=(AK12, SK3), em_code="99213", messages=(warning,)))
    assert edited.id == draft.id
    assert edited.lesions == (AK12, SK3) and edited.em_code == "99213" and edited.messages == (warning,)
    assert edited.created_at == draft.created_at and edited.updated_at == clock.now
    assert store.get_encounter(draft.id) == edited
    assert edited.lines == () and edited.total_cents == 0


def test_drafts_survive_reopening_the_file(db_path: Path, clock: FakeClock) -> None:
    with open_signed_in(db_path, clock=clock) as first:
        draft = _draft(first, AK12)
    with open_signed_in(db_path, clock=clock) as again:
        assert again.drafts() == [draft]


lesion_groups = st.builds(
    LesionGroup,
    kind=st.sampled_from(list(LesionKind)),
    count=st.integers(min_value=-3, max_value=500),
    site=st.sampled_from(["face", "trunk", "nose", "scalp", "ear lobe ✓"]),
    method=st.sampled_from(["cryosurgery", "laser", "electrosurgery"]),
    diagnosis=st.text(max_size=8),
    diameter_cm=st.none() | st.floats(min_value=0.01, max_value=20, allow_nan=False),
    area_sq_cm=st.none() | st.floats(min_value=0.01, max_value=500, allow_nan=False),
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(lesion_groups, max_size=8), st.none() | st.sampled_from(["99212", "99213"]))
def test_any_lesion_list_round_trips(store: Store, lesions: list[LesionGroup], em: str | None) -> None:
    draft = _draft(store, *lesions)
    draft = store.save_draft(replace(draft, em_code=em))
    assert draft.id is not None
    back = store.get_encounter(draft.id)
    assert back.lesions == tuple(lesions)
    assert back.em_code == em


def test_refs_are_checked(store: Store) -> None:
    draft = _draft(store, AK12)
    with pytest.raises(InputError) as err:
        store.save_draft(replace(draft, id=None, patient_id=999))
    assert err.value.field == "patient_id"
    with pytest.raises(InputError) as err:
        store.save_draft(replace(draft, provider_id=999))
    assert err.value.field == "provider_id"
    with pytest.raises(InputError) as err:
        store.save_draft(replace(draft, place_of_service="office"))
    assert err.value.field == "place_of_service"


def test_finalize_snapshots_lines_with_fees(store: Store, clock: FakeClock) -> None:
    final = _final(store, AK12)
    assert final.status is EncounterStatus.FINAL
    assert [(line.cpt, line.units, line.unit_fee_cents, line.charge_cents) for line in final.lines] == [
        ("17000", 1, 15000, 15000),
        ("17003", 11, 2000, 22000),
    ]
    assert final.total_cents == 37000
    assert final.diagnoses == ("L57.0",)
    assert final.coded_at == clock.now
    assert final.document_number == "SB-000001"
    medicare = next(p for p in store.payers() if p.coding_payer == "medicare")
    assert final.payer_id == medicare.id
    assert store.get_encounter(final.id or 0) == final
    assert _final(store, SK3).document_number == "SB-000002"


def test_fee_change_after_finalising_keeps_the_snapshot(store: Store) -> None:
    final = _final(store, AK12)
    store.set_fee("17000", 17500, date(2026, 11, 1))  # a retroactive change, after billing
    store.set_fee("17003", 2500, date(2027, 1, 1))
    assert store.get_encounter(final.id or 0).lines == final.lines
    assert store.get_encounter(final.id or 0).total_cents == 37000
    # a new encounter on the same day uses the new fee; one next year the newer one
    again = _final(store, AK12)
    assert [line.unit_fee_cents for line in again.lines] == [17500, 2000]


def test_finalize_uses_the_fee_in_force_on_the_date_of_service(store: Store) -> None:
    store.set_fee("17000", 9900, date(2025, 1, 1))
    store.set_fee("17003", 1100, date(2025, 1, 1))
    old = _final(store, AK12, day=date(2025, 6, 1))
    assert [line.unit_fee_cents for line in old.lines] == [9900, 1100]


def test_finalize_refuses_errors_nothing_to_bill_and_missing_fees(store: Store) -> None:
    draft = _draft(store, AK12)
    assert draft.id is not None
    bad = CodingResult(
        messages=(Message(Severity.ERROR, "INVALID_COUNT", "lesions[0].count", "Count must be 1+."),)
    )
    with pytest.raises(InputError, match="Count must be 1") as err:
        store.finalize(draft.id, bad)
    assert err.value.field == "lesions[0].count"
    with pytest.raises(InputError, match="nothing to bill"):
        store.finalize(draft.id, CodingResult())
    unknown = CodingResult(lines=(CodedLine("17999", 1, (), ("A",), "Unlisted"),), diagnoses=("L57.0",))
    with pytest.raises(InputError, match="no fee for 17999 on 11/27/2026") as err:
        store.finalize(draft.id, unknown)
    assert err.value.field == "fee_schedule"
    assert store.get_encounter(draft.id) == draft  # still the same draft


def test_final_cannot_be_edited_or_finalised_again(store: Store) -> None:
    final = _final(store, AK12)
    with pytest.raises(StoreError, match="Reopen it first"):
        store.save_draft(replace(final, lesions=(SK3,)))
    with pytest.raises(StoreError, match="already final"):
        _finalize(store, final)


def test_print_void_reopen(store: Store) -> None:
    final = _final(store, AK12)
    draft = _draft(store, SK3)
    assert final.id is not None and draft.id is not None
    with pytest.raises(StoreError, match="draft"):
        store.mark_printed([final.id, draft.id])
    assert store.get_encounter(final.id).status is EncounterStatus.FINAL  # all or nothing
    [printed] = store.mark_printed([final.id])
    assert printed.status is EncounterStatus.PRINTED
    assert store.mark_printed([final.id])[0].status is EncounterStatus.PRINTED  # printing again is fine
    with pytest.raises(InputError) as err:
        store.void_encounter(final.id, "  ")
    assert err.value.field == "reason"
    void = store.void_encounter(final.id, "entered twice")
    assert void.status is EncounterStatus.VOID and void.void_reason == "entered twice"
    assert void.lines == final.lines
    reopened = store.reopen(final.id)
    assert reopened.status is EncounterStatus.DRAFT and reopened.lines == () and reopened.void_reason == ""
    again = _finalize(store, reopened)
    assert again.document_number == final.document_number
    with pytest.raises(StoreError):
        store.reopen(draft.id)


def test_printing_a_day_at_once_changes_and_audits_as_printing_each_alone(
    store: Store, clock: FakeClock
) -> None:
    mixes = [(AK12,), (SK3,), (AK12, SK3)]
    alone = [_final(store, *mix) for mix in mixes]
    together = [_final(store, *mix) for mix in mixes]
    clock.advance(minutes=5)
    printed_alone = [store.mark_printed([e.id or 0])[0] for e in alone]
    ids = [e.id or 0 for e in reversed(together)]
    printed_together = store.mark_printed(ids)
    assert [e.id for e in printed_together] == ids  # in the order asked
    printed_together.reverse()
    for one, other in zip(printed_alone, printed_together, strict=True):
        assert other == store.get_encounter(other.id or 0)
        assert (other.status, other.version, other.updated_at) == (one.status, one.version, one.updated_at)
        [*_, one_row] = store.audit_entries("encounter", one.id)
        [*_, other_row] = store.audit_entries("encounter", other.id)
        assert (other_row.action, other_row.before, other_row.after) == (
            one_row.action,
            one_row.before,
            one_row.after,
        )
    with pytest.raises(NotFoundError):  # all or nothing
        store.mark_printed([*ids, 999_999])
    assert [store.get_encounter(i).version for i in ids] == [e.version for e in reversed(printed_together)]


def test_payment(store: Store) -> None:
    final = _final(store, AK12)
    paid = store.record_payment(final.id or 0, 5000)
    assert paid.paid_cents == 5000 and paid.balance_cents == 32000
    with pytest.raises(InputError):
        store.record_payment(final.id or 0, -1)


def test_lists_for_day_sheet_drafts_and_history(store: Store) -> None:
    first = _final(store, AK12)
    second = _draft(store, SK3, chart="DEMO-2")
    other_day = _draft(store, SK3, day=date(2026, 11, 20))
    assert [e.id for e in store.encounters_on(DOS)] == [first.id, second.id]
    assert [e.id for e in store.drafts()] == [other_day.id, second.id]
    assert [e.id for e in store.encounters_between(date(2026, 11, 1), DOS)] == [
        other_day.id,
        first.id,
        second.id,
    ]
    assert [e.id for e in store.encounters_for_patient(_patient_id(store))] == [other_day.id, first.id]
    assert store.encounters_on(date(2026, 1, 1)) == []


def test_not_found_is_clear(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no encounter number 4242"):
        store.get_encounter(4242)


def test_coding_input_carries_payer_and_prior_services(store: Store) -> None:
    earlier = _final(store, AK12, day=date(2026, 11, 20))
    today = _draft(store, SK3)
    encounter = visit.coding_input(today, visit.open_context(store, today))
    assert encounter.payer == "medicare"
    assert encounter.prior_services == (
        PriorService(date(2026, 11, 20), "17000"),
        PriorService(date(2026, 11, 20), "17003"),
    )
    assert visit.coding_input(earlier, visit.open_context(store, earlier)).prior_services == ()
    self_pay = _draft(store, SK3, chart="DEMO-5")
    assert visit.coding_input(self_pay, visit.open_context(store, self_pay)).payer == "self_pay"


def test_coding_settings_follow_the_payer(store: Store) -> None:
    aetna = next(p for p in store.payers() if p.coding_payer == "aetna")
    changed = store.save_payer(replace(aetna, use_modifier_51=True, distinct_modifier="XS"))
    settings_ = visit.settings_for(changed, store.today())
    assert settings_.modifier_51 and settings_.distinct_modifier == "XS"
    assert settings_.today == store.today() and settings_.payer_kind == "commercial"
    assert not visit.settings_for(None, store.today()).modifier_51


def test_transaction_groups_verbs(store: Store) -> None:
    before = len(store.drafts())
    with pytest.raises(RuntimeError), store.transaction():
        _draft(store, AK12)
        raise RuntimeError("power cut")
    assert len(store.drafts()) == before
    assert store.verify_audit().ok


def test_saving_an_unchanged_draft_writes_nothing(store: Store, clock: FakeClock) -> None:
    draft = _draft(store, AK12)
    rows = store.verify_audit().rows
    clock.advance(minutes=1)
    assert store.save_draft(draft) == draft
    assert store.get_encounter(draft.id or 0).updated_at == draft.updated_at
    assert store.verify_audit().rows == rows


def test_a_draft_edit_audits_only_what_changed(store: Store) -> None:
    import json

    draft = _draft(store, AK12)
    store.save_draft(replace(draft, lesions=(AK12, SK3)))
    entry = store.audit_entries("encounter", draft.id)[-1]
    assert entry.action == "save"
    assert set(json.loads(entry.before or "{}")) == {"lesions", "version"}  # and the write counter
    assert len(json.loads(entry.after or "{}")["lesions"]) == 2
