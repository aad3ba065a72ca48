"""A save never overwrites a change it has not seen (two windows or a window and a command, one file).

Each test opens the file twice, as two programs do: one reads a record, the other changes it, then the
first saves from its stale copy — and is refused with a message that says who changed what, while the
other program's change stays exactly as it was stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from core import visit
from core.coding import LesionGroup, LesionKind
from core.errors import StaleRecordError
from core.store import EncounterRecord, EncounterStatus, Store
from tests.signing_in import open_signed_in

AK = LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0")


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    db = tmp_path / "superbill.db"
    with (
        open_signed_in(db, user="front_desk") as mine,
        open_signed_in(db, seed_demo=False, user="biller") as theirs,
    ):
        yield mine, theirs


def _draft(store: Store) -> EncounterRecord:
    patient = store.search_patients("Sample")[0]
    assert patient.id is not None
    provider = store.default_provider()
    assert provider.id is not None
    return store.save_draft(EncounterRecord(patient.id, provider.id, date(2026, 11, 30), "11", lesions=(AK,)))


def _final(store: Store) -> EncounterRecord:
    draft = _draft(store)
    assert draft.id is not None
    return visit.finalize_unattended(store, draft, "looked at in the test")


def test_a_patient_saved_from_a_stale_copy_is_refused_and_says_what_changed(two: tuple[Store, Store]) -> None:
    mine, theirs = two
    patient = mine.search_patients("Sample")[0]
    assert patient.id is not None and patient.version >= 1
    theirs.save_patient(replace(theirs.get_patient(patient.id), phone="(217) 555-0100"))

    with pytest.raises(StaleRecordError) as refused:
        mine.save_patient(replace(patient, first_name="Averie"))

    assert "phone" in refused.value.text and "biller" in refused.value.text
    stored = mine.get_patient(patient.id)
    assert (stored.first_name, stored.phone) == (patient.first_name, "(217) 555-0100")
    saved = mine.save_patient(replace(patient, first_name="Averie", version=stored.version))  # after a look
    assert saved.version == stored.version + 1


def test_a_draft_saved_from_a_stale_copy_is_refused(two: tuple[Store, Store]) -> None:
    mine, theirs = two
    draft = _draft(mine)
    assert draft.id is not None
    theirs.save_draft(replace(theirs.get_encounter(draft.id), lesions=(replace(AK, count=9),)))

    with pytest.raises(StaleRecordError, match="lesions"):
        mine.save_draft(replace(draft, lesions=(replace(AK, count=4),)))
    assert mine.get_encounter(draft.id).lesions[0].count == 9


def test_a_payment_never_overwrites_one_recorded_meanwhile(two: tuple[Store, Store]) -> None:
    mine, theirs = two
    final = _final(mine)
    assert final.id is not None
    theirs.record_payment(final.id, 5000, version=theirs.get_encounter(final.id).version)

    with pytest.raises(StaleRecordError, match="amount paid"):
        mine.record_payment(final.id, 3000, version=final.version)
    assert mine.get_encounter(final.id).paid_cents == 5000


def test_finalising_codes_made_from_lesions_changed_meanwhile_is_refused(two: tuple[Store, Store]) -> None:
    """The lines would bill lesions that are no longer there."""
    mine, theirs = two
    draft = _draft(mine)
    assert draft.id is not None
    result = visit.code_stored(mine, draft).result
    theirs.save_draft(replace(theirs.get_encounter(draft.id), lesions=(replace(AK, count=15),)))

    with pytest.raises(StaleRecordError):
        mine.finalize(draft.id, result, version=draft.version)
    assert mine.get_encounter(draft.id).status is EncounterStatus.DRAFT


@pytest.mark.parametrize("step", ["void", "reopen"])
def test_void_and_reopen_from_a_stale_copy_are_refused(two: tuple[Store, Store], step: str) -> None:
    mine, theirs = two
    final = _final(mine)
    assert final.id is not None
    theirs.record_payment(final.id, 1000, version=final.version)
    with pytest.raises(StaleRecordError):
        if step == "void":
            mine.void_encounter(final.id, "entered twice", version=final.version)
        else:
            mine.reopen(final.id, version=final.version)
    assert mine.get_encounter(final.id).status is EncounterStatus.FINAL


def test_every_write_counts_up_the_version(two: tuple[Store, Store]) -> None:
    mine, _ = two
    draft = _draft(mine)
    assert draft.version == 1 and draft.id is not None
    again = mine.save_draft(replace(draft, lesions=(replace(AK, count=4),)))
    assert again.version == 2
    unchanged = mine.save_draft(again)
    assert unchanged.version == 2  # nothing changed: no write
    final = visit.finalize_unattended(mine, again, "looked at in the test")
    paid = mine.record_payment(draft.id, 100, version=final.version)
    assert (final.version, paid.version) == (3, 4)
