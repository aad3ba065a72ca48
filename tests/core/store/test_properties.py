"""Property tests: the fee schedule behaves like a simple model, and any single edit of the audit log
is found at that row."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.store import Patient, Store
from core.store.audit import verify
from core.store.patients import normalise_name
from tests.core.store.conftest import FakeClock
from tests.signing_in import open_signed_in

START = date(2025, 1, 1)
days = st.integers(min_value=0, max_value=60).map(lambda n: START + timedelta(days=n))
fee_changes = st.lists(
    st.tuples(st.sampled_from(["17000", "17003"]), st.integers(min_value=0, max_value=100_000), days),
    max_size=12,
)


@settings(max_examples=30, deadline=None)
@given(fee_changes, st.lists(days, min_size=1, max_size=10))
def test_fee_for_matches_a_model(changes: list[tuple[str, int, date]], probes: list[date]) -> None:
    model: dict[tuple[str, date], int] = {}
    with open_signed_in(":memory:", seed_demo=False) as store:
        for cpt, cents, day in changes:
            store.set_fee(cpt, cents, day)
            model[(cpt, day)] = cents
        for probe in probes:
            in_force = {}
            for cpt in ("17000", "17003"):
                starts = [d for (c, d) in model if c == cpt and d <= probe]
                expected = model[(cpt, max(starts))] if starts else None
                assert store.fee_for(cpt, probe) == expected
                if expected is not None:
                    in_force[cpt] = expected
            assert {e.cpt: e.unit_fee_cents for e in store.fee_schedule(probe)} == in_force
        for cpt in ("17000", "17003"):
            history = store.fee_history(cpt)
            for earlier, later in itertools.pairwise(history):
                assert earlier.effective_to == later.effective_from - timedelta(days=1)
            assert not history or history[-1].effective_to is None


@pytest.fixture(scope="module")
def audited() -> Iterator[Store]:
    """One demo database (about 50 audit rows), shared: each example edits a copy of it."""
    with open_signed_in(":memory:") as store:
        yield store


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_single_edit_is_found_at_its_row(audited: Store, data: st.DataObject) -> None:
    copy = sqlite3.connect(":memory:")
    audited.conn.backup(copy)
    rows = copy.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    target = data.draw(st.integers(min_value=1, max_value=rows), label="row")
    column = data.draw(st.sampled_from(["at", "who", "entity", "entity_id", "action", "before", "after"]))
    copy.execute("DROP TRIGGER audit_log_no_update")
    copy.execute(f"UPDATE audit_log SET {column} = coalesce({column}, '') || 'x' WHERE id = ?", [target])
    check = verify(copy)
    assert not check.ok and check.first_broken_id == target
    copy.close()


names = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Zs", "Pd"), include_characters="'"),
    min_size=1,
    max_size=20,
).filter(lambda t: any(ch.isalnum() for ch in t))


@settings(max_examples=40, deadline=None)
@given(
    names,
    names,
    st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 27)),
    st.sampled_from(["F", "M", "U"]),
    st.text(alphabet="ABC0123456789-", max_size=12),
)
def test_any_valid_patient_round_trips_and_is_found(
    first: str, last: str, dob: date, sex: str, member: str
) -> None:
    with open_signed_in(":memory:", seed_demo=False, clock=FakeClock()) as store:
        saved = store.save_patient(Patient(first, last, dob, sex=sex, member_id=member))
        assert saved.id is not None
        assert store.get_patient(saved.id) == saved
        assert saved.first_name == " ".join(first.split())
        if normalise_name(last):
            assert saved in store.search_patients(saved.last_name)
        assert saved in store.search_patients(f"{dob:%m/%d/%Y}")
        assert store.similar_patients(replace(saved, id=None)) == [saved]
