"""The one visit workflow (core/visit.py): errors block, each warning must be acknowledged, and the
acknowledgement (who, when, why) is stored with the final encounter and in the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core import visit
from core.coding import LesionGroup, LesionKind
from core.coding.model import Severity
from core.errors import InputError
from core.store import EncounterRecord, EncounterStatus, Store
from tests.signing_in import open_signed_in

DAY = date(2026, 11, 27)
AK = LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0")
NOON = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_signed_in(tmp_path / "superbill.db", user="dana", clock=lambda: NOON) as opened:
        yield opened


def _draft(store: Store, *lesions: LesionGroup, em_code: str | None = None) -> EncounterRecord:
    patient = store.patient_by_chart_number("DEMO-1")
    provider = store.default_provider()
    assert patient is not None and patient.id is not None and provider.id is not None
    return store.save_draft(
        EncounterRecord(patient.id, provider.id, DAY, "11", em_code=em_code, lesions=lesions)
    )


def test_a_warning_must_be_acknowledged_and_the_acknowledgement_is_kept(store: Store) -> None:
    draft = _draft(store, AK, em_code="99213")
    coded = visit.code_stored(store, draft)
    (warning,) = visit.check_final(coded).warnings
    assert warning.rule == "EM_SAME_DAY"

    with pytest.raises(InputError, match="Each warning must be looked at"):
        visit.finalize(store, draft, coded, {})
    assert store.get_encounter(draft.id or 0).status is EncounterStatus.DRAFT
    with pytest.raises(InputError, match="looked at"):  # the store refuses it too, whoever calls it
        store.finalize(draft.id or 0, coded.result, version=draft.version)

    final = visit.finalize(store, draft, coded, {warning: "separate problem: new rash"})
    (kept,) = final.acknowledgements
    assert (kept.rule, kept.who, kept.at, kept.reason) == (
        "EM_SAME_DAY",
        "dana",
        NOON,
        "separate problem: new rash",
    )
    assert store.get_encounter(final.id or 0).acknowledgements == (kept,)
    logged = json.loads(store.audit_entries("encounter", final.id)[-1].after or "{}")
    assert logged["acknowledgements"][0]["reason"] == "separate problem: new rash"


def test_errors_and_nothing_to_bill_block_whatever_is_acknowledged(store: Store) -> None:
    draft = _draft(store, LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57"))
    coded = visit.code_stored(store, draft)
    assert visit.check_final(coded).blocked
    with pytest.raises(InputError, match="cannot be saved as final"):
        visit.finalize(store, draft, coded, dict.fromkeys(coded.messages, "yes"))
    empty = _draft(store)
    with pytest.raises(InputError, match="nothing to bill"):
        visit.finalize(store, empty, visit.code_stored(store, empty), {})


def test_an_import_note_that_is_an_error_blocks_and_a_warning_note_is_kept(store: Store) -> None:
    from core.coding.model import Message

    blocking = Message(Severity.ERROR, "UNKNOWN_PROVIDER", "provider_npi", "Pick the provider.")
    differs = Message(Severity.WARNING, "PAYER_DIFFERS", "patient.payer", "The file says Aetna.")
    draft = _draft(store, AK)
    coded = visit.code_stored(store, draft)
    assert visit.check_final(coded, (blocking,)).blocking_notes == (blocking,)
    with pytest.raises(InputError, match="Pick the provider"):
        visit.finalize(store, draft, coded, {}, (blocking,))
    final = visit.finalize(store, draft, coded, {differs: ""}, (differs,))
    assert differs in final.messages and [a.rule for a in final.acknowledgements] == ["PAYER_DIFFERS"]


def test_reopening_drops_the_acknowledgements_with_the_lines(store: Store) -> None:
    final = visit.finalize_unattended(store, _draft(store, AK, em_code="99213"), "test")
    assert final.acknowledgements
    reopened = store.reopen(final.id or 0, version=final.version)
    assert reopened.acknowledgements == () and reopened.lines == ()


def test_the_decision_for_surgery_is_kept_with_the_draft_and_coded(store: Store) -> None:
    vascular = LesionGroup(LesionKind.VASCULAR, 1, "face", "laser", "I78.1", area_sq_cm=12.0)
    draft = _draft(store, vascular, em_code="99213")
    assert visit.code_stored(store, draft).lines[0].modifiers == ("25",)
    marked = visit.save_draft(
        store,
        replace(draft, decision_for_surgery=True),
        visit.code_stored(store, replace(draft, decision_for_surgery=True)),
    )
    assert marked.id is not None and store.get_encounter(marked.id).decision_for_surgery is True
    coded = visit.code_stored(store, store.get_encounter(marked.id))
    assert coded.lines[0].cpt == "99213" and coded.lines[0].modifiers == ("57",)
