"""The national Medicare payment benchmark: RVUs × conversion factor, facility rate, MPPR, gaps."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.coding import tables
from core.coding.engine import code_encounter
from core.coding.model import CodedLine, CodingResult, Encounter, LesionGroup, LesionKind
from core.coding.reimbursement import (
    FACILITY,
    NON_FACILITY,
    benchmark_json,
    medicare_benchmark,
    reduced_unit_cents,
    to_cents,
)


def visit(pos: str = "11", day: date = date(2026, 11, 27)) -> Encounter:
    return Encounter(date_of_service=day, place_of_service=pos, payer="medicare")


def lines(*codes: tuple[str, int]) -> CodingResult:
    return CodingResult(lines=tuple(CodedLine(cpt, units, (), ("A",), "x") for cpt, units in codes))


def test_worked_example_twelve_actinic_keratoses_in_the_office() -> None:
    bench = medicare_benchmark(visit(), lines(("17000", 1), ("17003", 11)))
    first, add_on = bench.lines
    assert (first.unit_amount_cents, first.amount_cents, first.reduction_cents) == (6647, 6647, 0)
    assert (add_on.unit_amount_cents, add_on.amount_cents, add_on.reduction_cents) == (635, 6985, 0)
    assert bench.total_cents == 13632
    assert bench.complete
    assert bench.rate == NON_FACILITY
    assert bench.conversion_factor == Decimal("33.4009")


def test_the_same_visit_through_the_engine_and_as_json() -> None:
    encounter = Encounter(
        date_of_service=date(2026, 11, 27),
        place_of_service="11",
        payer="medicare",
        lesions=(LesionGroup(LesionKind.PREMALIGNANT, 12, "face", "cryosurgery", "L57.0"),),
    )
    result = code_encounter(encounter)
    data = benchmark_json(encounter, result)
    assert json.loads(json.dumps(data)) == data
    assert [(line["cpt"], line["units"], line["amount"]) for line in data["lines"]] == [
        ("17000", 1, 66.47),
        ("17003", 11, 69.85),
    ]
    assert data["lines"][1] == {
        "cpt": "17003",
        "units": 11,
        "rvu_total": 0.19,
        "rate": "non_facility",
        "unit_amount": 6.35,
        "reduction": 0.0,
        "amount": 69.85,
        "confirmed": True,
        "confidence": "HIGH",
        "note": "Full amount (never reduced for multiple procedures).",
    }
    assert data["totals"] == {"amount": 136.32, "complete": True, "unconfirmed_lines": []}
    assert (data["year"], data["conversion_factor"], data["rate"]) == (2026, 33.4009, "non_facility")
    assert "RVU" in data["source"]


def test_facility_place_of_service_uses_the_facility_total() -> None:
    assert tables.pos("22") is not None and tables.pos("22").facility
    bench = medicare_benchmark(visit("22"), lines(("17000", 1), ("17003", 2)))
    assert bench.rate == FACILITY
    assert [line.unit_amount_cents for line in bench.lines] == [4776, 167]  # 1.43 and 0.05 RVU
    assert [line.confidence for line in bench.lines] == ["HIGH", "HIGH"]  # the CMS file's values
    assert bench.total_cents == 4776 + 2 * 167


def test_17004_and_17110_at_the_facility_rate_are_the_cms_totals() -> None:
    """RVU26C gives the facility totals that secondary sources left unconfirmed (17004 2.48, 17110 1.87)."""
    bench = medicare_benchmark(visit("22"), lines(("17004", 1), ("17110", 1)))
    first, benign = bench.lines
    assert (first.rvu_total, first.unit_amount_cents, first.reduction_cents) == (Decimal("2.48"), 8283, 0)
    assert first.note == "Full amount (never reduced for multiple procedures)."  # indicator 0
    assert (benign.rvu_total, benign.amount_cents) == (Decimal("1.87"), 6246)  # the only reducible one
    assert bench.complete and bench.total_cents == 8283 + 6246


def _without(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``code``'s 2026 RVUs unknown (no shipped year lacks a value any more)."""
    from core.coding import reimbursement
    from core.record import replace

    real = tables.fee_schedule(2026)
    assert real is not None
    # the table records are core.record.Record (issue 14: quicker to make than dataclasses)
    row = replace(real.rows[code], total_facility=None, total_non_facility=None)
    schedule = replace(real, rows={**real.rows, code: row})
    monkeypatch.setattr(reimbursement, "fee_schedule", lambda year: schedule if year == 2026 else None)


def test_unconfirmed_totals_give_no_amount(monkeypatch: pytest.MonkeyPatch) -> None:
    _without("17004", monkeypatch)
    bench = medicare_benchmark(visit("22"), lines(("17004", 1)))
    (line,) = bench.lines
    assert not line.confirmed
    assert line.amount_cents is None and line.unit_amount_cents is None and line.rvu_total is None
    assert "UNCONFIRMED" in line.note and line.confidence == "UNCONFIRMED"
    assert not bench.complete and bench.total_cents == 0
    data = benchmark_json(visit("22"), lines(("17004", 1)))
    assert data["lines"][0]["amount"] is None
    assert data["totals"] == {"amount": 0.0, "complete": False, "unconfirmed_lines": ["17004"]}
    assert "confirmed=false" in data["note"]


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("pos", ["11", "22"])
def test_every_code_has_its_cms_amount(year: int, pos: str) -> None:
    """Nothing CMS publishes stays unconfirmed: every billable code is priced from the year's file."""
    schedule = tables.fee_schedule(year)
    assert schedule is not None
    for code in tables.cpt_table():
        (line,) = medicare_benchmark(visit(pos, date(year, 6, 2)), lines((code, 1))).lines
        row = schedule.rows[code]
        total = row.total_facility if pos == "22" else row.total_non_facility
        assert line.confirmed and line.confidence == "HIGH", code
        assert total is not None and line.amount_cents == to_cents(total * schedule.conversion_factor)


def test_em_and_add_ons_are_never_reduced_and_a_lone_procedure_is_paid_in_full() -> None:
    bench = medicare_benchmark(visit(), lines(("99213", 1), ("17000", 1), ("17003", 3), ("17004", 1)))
    by_code = {line.cpt: line for line in bench.lines}
    assert by_code["17000"].reduction_cents == 0  # 17004 is treated as exempt, so 17000 is alone
    assert by_code["17004"].reduction_cents == 0
    assert by_code["17003"].reduction_cents == 0
    assert by_code["99213"].confirmed and by_code["99213"].reduction_cents == 0


def test_multiple_procedure_reduction_pays_the_highest_in_full_and_others_at_half() -> None:
    bench = medicare_benchmark(visit(), lines(("17000", 1), ("17003", 4), ("17111", 1)))
    by_code = {line.cpt: line for line in bench.lines}
    # 17111 (3.89 RVU, $129.93) is the highest-valued procedure; 17000 ($66.47) is reduced to $33.24.
    assert by_code["17111"].amount_cents == 12993
    assert by_code["17111"].reduction_cents == 0
    assert by_code["17000"].amount_cents == 3324
    assert by_code["17000"].reduction_cents == 3323
    assert by_code["17003"].amount_cents == 4 * 635
    assert "50%" in by_code["17000"].note
    assert bench.total_cents == 12993 + 3324 + 4 * 635


def test_several_units_of_the_highest_code_only_the_first_is_in_full() -> None:
    (line,) = medicare_benchmark(visit(), lines(("17111", 3))).lines
    assert line.amount_cents == 12993 + 2 * reduced_unit_cents(12993)
    assert line.reduction_cents == 2 * (12993 - reduced_unit_cents(12993))


def test_an_unconfirmed_procedure_blocks_the_reduction_of_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    _without("17260", monkeypatch)
    bench = medicare_benchmark(visit(), lines(("17000", 1), ("17260", 1)))
    first, malignant = bench.lines
    assert not malignant.confirmed
    assert not first.confirmed and first.amount_cents is None
    assert first.unit_amount_cents == 6647
    assert "17260" in first.note and "$66.47" in first.note


def test_a_year_without_a_table_and_an_unknown_place() -> None:
    old = medicare_benchmark(visit(day=date(2019, 3, 1)), lines(("17000", 1)))
    assert old.conversion_factor is None and not old.complete
    assert "2019" in old.lines[0].note
    nowhere = medicare_benchmark(visit(pos="98"), lines(("17000", 1)))
    assert not nowhere.complete and "98" in nowhere.lines[0].note


def test_2025_dates_use_the_2025_table() -> None:
    bench = medicare_benchmark(visit(day=date(2025, 6, 2)), lines(("17000", 1)))
    assert bench.conversion_factor == Decimal("32.3465")
    assert bench.lines[0].amount_cents == 6631  # 2.05 RVU


def test_nothing_to_price() -> None:
    data = benchmark_json(visit(), CodingResult())
    assert data["lines"] == [] and data["totals"]["complete"] is True


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10_000_000))
def test_half_price_is_rounded_half_up(cents: int) -> None:
    paid = reduced_unit_cents(cents)
    assert paid * 2 in (cents, cents + 1)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_table_value_is_consistent(year: int) -> None:
    schedule = tables.fee_schedule(year)
    assert schedule is not None and schedule.year == year
    # every code the engine can bill has a row with both totals (the CMS file gives them all)
    assert set(schedule.rows) == set(tables.cpt_table())
    for row in schedule.rows.values():
        assert row.mult_proc in ("0", "2")
        assert row.total_facility is not None and row.total_non_facility is not None
    assert all(schedule.rows[c].mult_proc == "0" for c in tables.em_codes())
    assert all(schedule.rows[c.code].mult_proc == "0" for c in tables.cpt_table().values() if c.add_on)
    assert schedule.rows["17004"].mult_proc == "0"


def test_published_amounts_match_rvu_times_conversion_factor() -> None:
    schedule = tables.fee_schedule(2026)
    assert schedule is not None
    published = {"17000": 6647, "17003": 635, "17004": 16233, "17110": 11122, "17111": 12993}
    for code, cents in published.items():
        total = schedule.rows[code].total_non_facility
        assert total is not None
        assert to_cents(total * schedule.conversion_factor) == cents
