"""The superbill record: its consistency checks and the content hash printed in the footer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.superbill.model import HASH_VERSION, HASHED_FIELDS, Diagnosis, InsuranceBlock, Totals
from tests.core.superbill.samples import ak_superbill, big_superbill, line


def test_hash_is_twelve_hex_digits_of_sha256_over_canonical_json() -> None:
    superbill = ak_superbill()
    canonical = superbill.canonical_json()
    assert json.loads(canonical)["document_number"] == "SB-2026-000041"
    assert "date_issued" not in json.loads(canonical)
    assert superbill.content_hash == hashlib.sha256(canonical.encode()).hexdigest()[:12]


def test_hash_ignores_the_issue_date_and_the_practice_note() -> None:
    first = ak_superbill()
    reprint = ak_superbill(date_issued=date(2027, 1, 5), note="Thank you")
    assert reprint.content_hash == first.content_hash


def test_hash_changes_when_what_was_billed_changes() -> None:
    first = ak_superbill()
    paid_more = ak_superbill(totals=replace(first.totals, paid_cents=5000))
    other_member = ak_superbill(insurance=replace(first.insurance, member_id="1EG4TE5MK74"))
    assert len({first.content_hash, paid_more.content_hash, other_member.content_hash}) == 3


@settings(max_examples=40)
@given(st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=10_000_00))
def test_any_line_charge_change_changes_the_hash(index: int, unit_cents: int) -> None:
    first = ak_superbill()
    old = first.lines[index]
    new = replace(old, line=replace(old.line, unit_fee_cents=unit_cents, charge_cents=unit_cents * old.units))
    lines = (*first.lines[:index], new, *first.lines[index + 1 :])
    changed = ak_superbill(
        lines=lines, totals=Totals(sum(x.line_charge_cents for x in lines), first.totals.paid_cents)
    )
    assert (changed.content_hash == first.content_hash) == (new == old)


def test_balance_is_charges_minus_paid() -> None:
    assert Totals(71800, 4000).balance_cents == 67800
    assert Totals(1000, 1500).balance_cents == -500


def test_twelve_diagnoses_allowed_thirteen_refused() -> None:
    assert len(big_superbill(12, 3).diagnoses) == 12
    thirteen = (*big_superbill(12, 3).diagnoses, Diagnosis("M", "L57.0", "Actinic keratosis"))
    with pytest.raises(ValueError, match="at most 12"):
        ak_superbill(diagnoses=thirteen)


def test_letters_must_run_in_order() -> None:
    with pytest.raises(ValueError, match="letters"):
        ak_superbill(diagnoses=(Diagnosis("B", "L57.0", "x"), Diagnosis("A", "L82.1", "y")))


def test_a_pointer_to_a_missing_diagnosis_is_refused() -> None:
    stray = line("17110", 1, 100, ("C",))
    lines = (*ak_superbill().lines, stray)
    with pytest.raises(ValueError, match=r"\['C'\]"):
        ak_superbill(lines=lines, totals=Totals(sum(x.line_charge_cents for x in lines), 0))


def test_totals_must_match_the_lines() -> None:
    with pytest.raises(ValueError, match="total charges"):
        ak_superbill(totals=Totals(1, 0))


def test_the_hash_covers_a_named_list_of_fields_so_old_reprints_keep_theirs() -> None:
    """Hashes printed on superbills already handed out (version 1) stay what they were: pinned here.
    A field added to the superbill's dataclasses changes no hash until a new version lists it."""
    assert ak_superbill(hash_version=1).content_hash == "d0264a8bb7b7"
    assert replace(big_superbill(), hash_version=1).content_hash == "512cc2de125a"
    assert ak_superbill(hash_version=1).content() == ak_superbill().content(1)


SECOND = InsuranceBlock("Aetna", "W123456789", "G-77", "Lovelace, Byron", "spouse", "60054")


@pytest.mark.parametrize(
    "change",
    [
        {"provider": replace(ak_superbill().provider, taxonomy="207N00000X")},
        {"insurance": replace(ak_superbill().insurance, payer_id="00952")},
        {"insurance": replace(ak_superbill().insurance, claims_address_lines=("PO Box 1",))},
        {"secondary_insurance": SECOND},
    ],
    ids=["taxonomy", "payer id", "claims address", "second insurance"],
)
def test_version_2_hashes_what_version_1_printed_but_left_out(change: dict[str, object]) -> None:
    """Superbills of encounters finalised since schema 10 (version 2) change their hash when the
    taxonomy, the payer's id or claims address or the second insurance changes; version 1 does not."""
    assert HASH_VERSION == 2
    before, after = ak_superbill(), ak_superbill(**change)
    assert after.content_hash != before.content_hash
    assert replace(after, hash_version=1).content_hash == replace(before, hash_version=1).content_hash


def test_version_2_covers_every_field_of_version_1_and_an_unknown_version_is_refused() -> None:
    for block, fields in HASHED_FIELDS[1].items():
        assert block in HASHED_FIELDS[2]
        assert set(fields or ()) <= set(HASHED_FIELDS[2][block] or ())
    with pytest.raises(ValueError, match="version 3"):
        ak_superbill(hash_version=3)


def test_a_field_the_list_does_not_name_is_not_hashed() -> None:
    first = ak_superbill()
    assert "date_issued" not in first.content() and "note" not in first.content()
    with_note = replace(first, note="Payment is due at the time of service.")
    assert with_note.content_hash == first.content_hash
    spec = HASHED_FIELDS[HASH_VERSION]
    assert set(first.content()) == set(spec)
