"""The national Medicare payment benchmark for a coded encounter (``superbill code --benchmark``).

For each line: total RVU (work + practice expense + malpractice, every GPCI 1.0) × the year's
conversion factor, using the non-facility or facility total as the place of service decides
(``core.coding.tables.pos(code).facility``), then the multiple-procedure reduction: the
highest-valued procedure is paid in full and every other unit of a procedure whose multiple-procedure
indicator is ``2`` at 50 %; E/M, add-on codes and 17004 (indicator ``0``) are never reduced.

The RVUs, multiple-procedure indicators and conversion factor come from the CMS Relative Value File of
the date of service's year (``resources/cms/``, or a newer file loaded with ``superbill tables load``;
none for a year without one); ``core.coding.tables.fee_schedule``
reads them (the engine ranks procedures for modifier 51 from the same table). Where a value is not known
the line says so (``confirmed`` False, no amount) — no number is ever made up. Amounts are whole cents
here; the JSON form writes dollars with two decimals.

This is a benchmark for comparison, not what a particular claim will be paid: real payment adds the
locality's GPCIs, the payer's own rules, deductibles and sequestration.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.coding.model import CodedLine, CodingResult, Encounter
from core.coding.tables import FeeSchedule, RvuRow, fee_schedule, pos
from core.money import format_cents

NON_FACILITY = "non_facility"
FACILITY = "facility"
#: multiple-procedure indicator of codes subject to the standard reduction
STANDARD_REDUCTION = "2"
REDUCED_SHARE = Decimal("0.5")
UNCONFIRMED = "UNCONFIRMED"


@dataclass(frozen=True)
class BenchmarkLine:
    """One coded line priced: amounts in cents, ``None`` where a value is unconfirmed."""

    cpt: str
    units: int
    rvu_total: Decimal | None
    rate: str
    unit_amount_cents: int | None
    reduction_cents: int | None
    amount_cents: int | None
    confirmed: bool
    confidence: str
    note: str


@dataclass(frozen=True)
class Benchmark:
    """The encounter priced line by line; ``total_cents`` adds only the confirmed lines."""

    year: int
    conversion_factor: Decimal | None
    place_of_service: str
    rate: str | None
    lines: tuple[BenchmarkLine, ...]
    source: str

    @property
    def total_cents(self) -> int:
        """The sum of the lines whose amount is known."""
        return sum(line.amount_cents or 0 for line in self.lines)

    @property
    def complete(self) -> bool:
        """True when every line has a confirmed amount (the total is then the whole benchmark)."""
        return all(line.confirmed for line in self.lines)


def to_cents(dollars: Decimal) -> int:
    """Dollars to whole cents, half a cent rounded up (as fee-schedule amounts are published)."""
    return int((dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class _Priced:
    """A line before the multiple-procedure reduction."""

    line: CodedLine
    row: RvuRow | None
    total: Decimal | None
    unit_cents: int | None
    confidence: str

    @property
    def reducible(self) -> bool:
        return self.row is not None and self.row.mult_proc == STANDARD_REDUCTION


def _price(line: CodedLine, schedule: FeeSchedule, facility: bool) -> _Priced:
    row = schedule.rows.get(line.cpt)
    if row is None:
        return _Priced(line, None, None, None, UNCONFIRMED)
    total = row.total_facility if facility else row.total_non_facility
    confidence = row.confidence_facility if facility else row.confidence_non_facility
    if total is None:
        return _Priced(line, row, None, None, UNCONFIRMED)
    return _Priced(line, row, total, to_cents(total * schedule.conversion_factor), confidence)


def _unconfirmed(priced: _Priced, rate: str, note: str) -> BenchmarkLine:
    return BenchmarkLine(
        cpt=priced.line.cpt,
        units=priced.line.units,
        rvu_total=priced.total,
        rate=rate,
        unit_amount_cents=priced.unit_cents,
        reduction_cents=None,
        amount_cents=None,
        confirmed=False,
        confidence=priced.confidence if priced.total is not None else UNCONFIRMED,
        note=note,
    )


def _confirmed(priced: _Priced, unit_cents: int, rate: str, reduction: int, note: str) -> BenchmarkLine:
    full = unit_cents * priced.line.units
    return BenchmarkLine(
        cpt=priced.line.cpt,
        units=priced.line.units,
        rvu_total=priced.total,
        rate=rate,
        unit_amount_cents=unit_cents,
        reduction_cents=reduction,
        amount_cents=full - reduction,
        confirmed=True,
        confidence=priced.confidence,
        note=note,
    )


def reduced_unit_cents(unit_cents: int) -> int:
    """What one unit is paid under the multiple-procedure reduction (50 %, half a cent up)."""
    return to_cents(Decimal(unit_cents) * REDUCED_SHARE / 100)


def _missing_value_note(priced: _Priced, rate: str, year: int) -> str:
    if priced.row is None:
        return f"{priced.line.cpt} is not in the {year} fee-schedule table; no amount is shown."
    label = "facility" if rate == FACILITY else "non-facility"
    return (
        f"The {year} {label} RVU total of {priced.line.cpt} is UNCONFIRMED; no amount is shown. "
        f"{priced.row.notes}"
    ).strip()


def _reduced_lines(priced: list[_Priced], rate: str, year: int) -> list[BenchmarkLine]:
    """Apply the multiple-procedure reduction across the encounter's reducible procedures."""
    reducible = [p for p in priced if p.reducible]
    procedures = sum(p.line.units for p in reducible)
    unknown = [p.line.cpt for p in reducible if p.unit_cents is None]
    highest = max(
        (p for p in reducible if p.unit_cents is not None), key=lambda p: p.unit_cents or 0, default=None
    )
    lines: list[BenchmarkLine] = []
    for p in priced:
        unit = p.unit_cents
        if unit is None:
            lines.append(_unconfirmed(p, rate, _missing_value_note(p, rate, year)))
        elif not p.reducible:
            lines.append(_confirmed(p, unit, rate, 0, "Full amount (never reduced for multiple procedures)."))
        elif procedures <= 1:
            lines.append(_confirmed(p, unit, rate, 0, "Full amount (the only procedure of the visit)."))
        elif unknown:
            full = format_cents(unit * p.line.units)
            note = (
                f"Full amount would be {full}, but the multiple-procedure reduction cannot be worked out "
                f"while the amount of {', '.join(unknown)} is UNCONFIRMED."
            )
            lines.append(_unconfirmed(p, rate, note))
        else:
            reduced_units = p.line.units - 1 if p is highest else p.line.units
            reduction = reduced_units * (unit - reduced_unit_cents(unit))
            if p is not highest:
                note = (
                    "Multiple-procedure reduction: paid at 50% (a higher-valued procedure is paid in full)."
                )
            elif reduced_units:
                note = "Highest-valued procedure: first unit in full, each further unit at 50%."
            else:
                note = "Highest-valued procedure: paid in full; the others are reduced."
            lines.append(_confirmed(p, unit, rate, reduction, note))
    return lines


def medicare_benchmark(encounter: Encounter, result: CodingResult) -> Benchmark:
    """Price every line of ``result`` at the national Medicare rate for the encounter's year and place."""
    year = encounter.date_of_service.year
    place = pos(encounter.place_of_service)
    schedule = fee_schedule(year)
    if schedule is None or place is None:
        problem = (
            f"No Medicare fee-schedule table for {year} is installed"
            if schedule is None
            else f"Place of service {encounter.place_of_service!r} is not a CMS code"
        )
        lines = tuple(
            BenchmarkLine(line.cpt, line.units, None, "", None, None, None, False, UNCONFIRMED, f"{problem}.")
            for line in result.lines
        )
        return Benchmark(
            year=year,
            conversion_factor=None if schedule is None else schedule.conversion_factor,
            place_of_service=encounter.place_of_service,
            rate=None,
            lines=lines,
            source="" if schedule is None else schedule.source,
        )
    rate = FACILITY if place.facility else NON_FACILITY
    priced = [_price(line, schedule, place.facility) for line in result.lines]
    lines = tuple(_reduced_lines(priced, rate, year))
    return Benchmark(
        year, schedule.conversion_factor, encounter.place_of_service, rate, lines, schedule.source
    )


def _dollars(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


_INCOMPLETE = " Lines with confirmed=false have no confirmed amount and are left out of the total."


def benchmark_json(encounter: Encounter, result: CodingResult) -> dict[str, Any]:
    """The benchmark as JSON-ready data (dollars as numbers with two decimals; ``null`` = unconfirmed)."""
    bench = medicare_benchmark(encounter, result)
    unconfirmed = [line.cpt for line in bench.lines if not line.confirmed]
    return {
        "kind": "medicare_national",
        "year": bench.year,
        "conversion_factor": None if bench.conversion_factor is None else float(bench.conversion_factor),
        "place_of_service": bench.place_of_service,
        "rate": bench.rate,
        "lines": [
            {
                "cpt": line.cpt,
                "units": line.units,
                "rvu_total": None if line.rvu_total is None else float(line.rvu_total),
                "rate": line.rate or None,
                "unit_amount": _dollars(line.unit_amount_cents),
                "reduction": _dollars(line.reduction_cents),
                "amount": _dollars(line.amount_cents),
                "confirmed": line.confirmed,
                "confidence": line.confidence,
                "note": line.note,
            }
            for line in bench.lines
        ],
        "totals": {
            "amount": _dollars(bench.total_cents),
            "complete": bench.complete,
            "unconfirmed_lines": unconfirmed,
        },
        "source": bench.source,
        "note": (
            "National Medicare amounts (all GPCIs 1.0) for comparison only; real payment depends on the "
            "locality, the payer, deductibles and sequestration." + ("" if bench.complete else _INCOMPLETE)
        ),
    }
