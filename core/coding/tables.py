"""The code tables under ``resources/codes/``, and the Medicare facts of ``core.coding.cms`` as the engine
asks for them.

This module is the only reader of those files: read once, handed out as frozen records. Each loader
is cached, so the JSON is parsed at most once per process; nothing here touches the network. Other
parts of the program use ``pos(code).facility``, ``global_days(code, on)`` and ``rvu_total(code, year,
facility=...)`` from here.

Official data is the one place for what CMS publishes: global periods, multiple-procedure indicators,
RVUs and MUEs come only from the CMS tables of ``core.coding.cms`` (shipped in ``resources/cms/`` or
loaded with ``superbill tables load`` into the user data folder); ``cpt.json`` no longer holds them and
there is no secondary-source MUE or fee-schedule table. ``ptp_edits.json`` answers only the code pairs
no CMS PTP table covers (the shipped extract is partial).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from core import packaged
from core.coding import cms
from core.record import Record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any

_PACKAGE = "resources.codes"

#: every table file, for tests that validate them all
TABLE_FILES: tuple[str, ...] = (
    "cpt.json",
    "pos.json",
    "modifiers.json",
    "payers.json",
    "ptp_edits.json",
    "lesion_coding.json",
    "lesion_kinds.json",
)


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class CptCode(Record):
    """One CPT code the engine can bill (its global period and multiple-procedure indicator are CMS
    facts: ``global_days`` and ``multiple_procedure_exempt`` below)."""

    code: str
    description: str
    family: str
    add_on: bool
    primary: str | None
    confidence: str
    notes: str


class PlaceOfService(Record):
    """A CMS place-of-service code; ``facility`` picks the facility fee-schedule rate."""

    code: str
    name: str
    facility: bool
    confidence: str


class Modifier(Record):
    """A modifier and what it tells the payer, in our words."""

    code: str
    meaning: str


class MueLimit(Record):
    """Most units of ``code`` per date of service.

    From the CMS MUE table: ``adjudication_indicator`` (MAI) 1 = a claim-line edit, 2 = a date-of-service
    edit by policy, 3 = a date-of-service edit from clinical data; ``source`` names the release.
    """

    code: str
    max_units: int | None
    confidence: str
    notes: str
    adjudication_indicator: int | None = None
    source: str = ""


class Payer(Record):
    """A payer and its default billing conventions."""

    id: str
    name: str
    kind: str
    modifier_51: bool
    distinct_modifier: str


class PtpEdit(Record):
    """An NCCI code pair: ``column2`` takes the distinct-procedure modifier when ``in_effect``.

    ``modifier_indicator`` ``"1"``: a modifier may apply; ``"0"``: column 2 is never paid with column 1,
    whatever the modifier. ``source`` names the CMS release, or the secondary-source table.
    """

    column1: str
    column2: str
    modifier_indicator: str | None
    in_effect: bool
    confidence: str
    notes: str
    source: str = ""


class Site(Record):
    """A body site of the input vocabulary and its malignant-destruction site group."""

    site: str
    malignant_group: str
    site_specific_warning: bool


class DiameterBand(Record):
    """A malignant diameter band: above the previous band's upper edge, up to ``upper`` (inclusive)."""

    label: str
    upper: Decimal | None


class AreaBand(Record):
    """A vascular total-area band and its code."""

    code: str
    label: str
    upper: Decimal | None
    upper_inclusive: bool


class MalignantGroup(Record):
    """A malignant site group: its name and one code per diameter band, in band order."""

    name: str
    codes: tuple[str, ...]


class PremalignantCodes(Record):
    """17000 for the first lesion, 17003 for each further one up to the 14th, 17004 from the 15th."""

    first: str
    each_additional: str
    additional_up_to_lesion: int
    whole_session: str
    whole_session_from: int


class BenignCodes(Record):
    """One session code: ``small`` below ``large_from`` lesions, ``large`` from it on."""

    small: str
    large: str
    large_from: int


class SkinTagCodes(Record):
    """``base`` covers the first ``base_covers`` tags; ``add_on`` each further ``add_on_covers`` or part."""

    base: str
    base_covers: int
    add_on: str
    add_on_covers: int


class Limits(Record):
    """Our sanity bounds for typed numbers (above them is surely a typing mistake)."""

    max_count_per_entry: int
    max_diameter_cm: Decimal
    max_area_sq_cm: Decimal
    max_entries: int


class LesionCoding(Record):
    """Everything that turns lesions into codes, from ``lesion_coding.json``."""

    methods: tuple[str, ...]
    sites: dict[str, Site]
    malignant_groups: dict[str, MalignantGroup]
    diameter_bands: tuple[DiameterBand, ...]
    diameter_precision_decimals: int
    vascular_bands: tuple[AreaBand, ...]
    premalignant: PremalignantCodes
    benign: BenignCodes
    skin_tag: SkinTagCodes
    limits: Limits


def read_table(name: str) -> dict[str, Any]:
    """The parsed JSON of one file under resources/codes (not cached; the loaders below are)."""
    text = packaged.read_text(_PACKAGE, name)
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def cpt_table() -> dict[str, CptCode]:
    """Every billable CPT code by code."""
    rows = read_table("cpt.json")["rows"]
    return {
        r["code"]: CptCode(
            code=r["code"],
            description=r["description"],
            family=r["family"],
            add_on=r["add_on"],
            primary=r["primary"],
            confidence=r["confidence"],
            notes=r["notes"],
        )
        for r in rows
    }


def cpt(code: str) -> CptCode | None:
    """The CPT record for ``code``, or ``None`` when the engine does not know it."""
    return cpt_table().get(code)


def em_codes() -> tuple[str, ...]:
    """The office/outpatient E/M codes accepted as ``em_code``."""
    return tuple(c.code for c in cpt_table().values() if c.family == "em")


@cache
def pos_table() -> dict[str, PlaceOfService]:
    """Every CMS place-of-service code by code."""
    rows = read_table("pos.json")["rows"]
    return {r["code"]: PlaceOfService(r["code"], r["name"], r["facility"], r["confidence"]) for r in rows}


def pos(code: str) -> PlaceOfService | None:
    """The place-of-service record for a two-digit code, or ``None`` when it is not a CMS code."""
    return pos_table().get(code)


@cache
def modifier_table() -> dict[str, Modifier]:
    """Every modifier the engine adds or mentions, by code."""
    return {r["code"]: Modifier(r["code"], r["meaning"]) for r in read_table("modifiers.json")["rows"]}


def modifier(code: str) -> Modifier | None:
    """The modifier record, or ``None``."""
    return modifier_table().get(code)


def mue(code: str) -> MueLimit | None:
    """The MUE of ``code`` from the CMS practitioner MUE table in use; ``None`` when it lists none."""
    official = cms.mue()
    facts = official.rows.get(code)
    if facts is not None:
        return MueLimit(
            code,
            facts.value,
            official.release.confidence,
            f"{facts.mai_text}; rationale: {facts.rationale}",
            facts.mai,
            official.release.name,
        )
    return None


@cache
def payer_table() -> dict[str, Payer]:
    """Every payer the input may name, by id."""
    return {
        r["id"]: Payer(r["id"], r["name"], r["kind"], r["modifier_51"], r["distinct_modifier"])
        for r in read_table("payers.json")["rows"]
    }


def payer(payer_id: str) -> Payer | None:
    """The payer record, or ``None`` when the id is unknown."""
    return payer_table().get(payer_id)


@cache
def secondary_ptp_edits() -> tuple[PtpEdit, ...]:
    """Every code-pair row of ``ptp_edits.json`` (secondary sources), confirmed or not."""
    return tuple(
        PtpEdit(
            r["column1"],
            r["column2"],
            r["modifier_indicator"],
            r["in_effect"],
            r["confidence"],
            r["notes"],
            "the program's own list, from secondary sources (not the CMS file)",
        )
        for r in read_table("ptp_edits.json")["rows"]
    )


def ptp_edits(on: date | None = None) -> tuple[PtpEdit, ...]:
    """The code-pair edits in force on ``on`` (``None``: those the CMS files list as not deleted).

    A pair that a CMS PTP table covers is decided by that table alone (the first one that covers it:
    a loaded file before the shipped extract): its edit if it lists one in force, else none. Indicator
    ``9`` (not applicable) is no edit. Pairs no CMS table covers come from ``ptp_edits.json``.
    """
    return _ptp_edits(cms.ptp(), on)


@lru_cache(maxsize=64)  # one entry per date of service coded lately
def _ptp_edits(tables: tuple[cms.PtpTable, ...], on: date | None) -> tuple[PtpEdit, ...]:
    edits: list[PtpEdit] = []
    for position, table in enumerate(tables):
        for pair in table.pairs:
            if pair.modifier_indicator == "9" or not pair.in_force(on):
                continue
            if any(t.covers(pair.column1, pair.column2) for t in tables[:position]):
                continue
            edits.append(
                PtpEdit(
                    pair.column1,
                    pair.column2,
                    pair.modifier_indicator,
                    True,
                    table.release.confidence,
                    f"effective {pair.effective.isoformat()}",
                    table.release.name,
                )
            )
    edits += [e for e in secondary_ptp_edits() if not any(t.covers(e.column1, e.column2) for t in tables)]
    return tuple(edits)


def _decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@cache
def lesion_coding() -> LesionCoding:
    """Sites, methods, counting thresholds and bands."""
    d = read_table("lesion_coding.json")
    limits = d["limits"]
    return LesionCoding(
        methods=tuple(d["methods"]),
        sites={
            s["site"]: Site(s["site"], s["malignant_group"], s["site_specific_warning"]) for s in d["sites"]
        },
        malignant_groups={
            key: MalignantGroup(g["name"], tuple(g["codes"])) for key, g in d["malignant_groups"].items()
        },
        diameter_bands=tuple(
            DiameterBand(b["label"], _decimal_or_none(b["upper_inclusive"])) for b in d["diameter_bands_cm"]
        ),
        diameter_precision_decimals=d["diameter_precision_decimals"],
        vascular_bands=tuple(
            AreaBand(b["code"], b["label"], _decimal_or_none(b["upper"]), b["upper_inclusive"])
            for b in d["vascular_area_bands_sq_cm"]
        ),
        premalignant=PremalignantCodes(**d["premalignant"]),
        benign=BenignCodes(**d["benign"]),
        skin_tag=SkinTagCodes(**d["skin_tag"]),
        limits=Limits(
            max_count_per_entry=limits["max_count_per_entry"],
            max_diameter_cm=Decimal(str(limits["max_diameter_cm"])),
            max_area_sq_cm=Decimal(str(limits["max_area_sq_cm"])),
            max_entries=limits["max_entries"],
        ),
    )


class RvuRow(Record):
    """One code of a fee-schedule table; a total is ``None`` when it is unconfirmed."""

    code: str
    mult_proc: str | None
    total_non_facility: Decimal | None
    total_facility: Decimal | None
    confidence_non_facility: str
    confidence_facility: str
    notes: str


class FeeSchedule(Record):
    """One year's Medicare table: conversion factor, where the numbers come from, the rows by code."""

    year: int
    conversion_factor: Decimal
    source: str
    rows: dict[str, RvuRow]


def fee_schedule(year: int) -> FeeSchedule | None:
    """The Medicare fee schedule for dates of service in ``year`` (the CMS Relative Value File of that
    year, shipped or loaded), or ``None`` when no CMS file covers the year: amounts change every year,
    so no other year's is used in its place."""
    official = cms.rvu(year)
    return None if official is None else _official_schedule(official)


@cache
def _official_schedule(table: cms.RvuTable) -> FeeSchedule:
    note = f"{table.release.name}."
    rows = {
        code: RvuRow(
            code=code,
            mult_proc=facts.mult_proc,
            total_non_facility=facts.total_non_facility,
            total_facility=facts.total_facility,
            confidence_non_facility=table.release.confidence,
            confidence_facility=table.release.confidence,
            notes=note,
        )
        for code, facts in table.rows.items()
    }
    source = (
        f"{table.release.name}; {table.release.source}. National amounts = total RVU (work + PE + MP, "
        "GPCI 1.0) x conversion factor."
    )
    return FeeSchedule(table.year, table.conversion_factor, source, rows)


def _rvu_facts(code: str, year: int | None) -> cms.RvuFacts | None:
    """The CMS RVU row of ``code`` for ``year``: from that year's file, or, for a year no CMS file
    covers (``None``: the newest), from the nearest year's — used only for the global period and the
    multiple-procedure indicator, which CMS rarely changes (the same for all 37 codes in 2025 and
    2026), never for amounts. ``None`` for a code no file lists."""
    by_year = cms.active().rvu
    if not by_year:
        return None
    if year is None or year not in by_year:
        wanted = max(by_year) if year is None else year
        year = min(by_year, key=lambda y: (abs(y - wanted), -y))
    return by_year[year].rows.get(code)


def global_days(code: str, on: date) -> str | None:
    """The global period of ``code`` billed on ``on``: ``000``, ``010``, ``090``, ``XXX``, ``ZZZ``…

    From the CMS Relative Value File of that year (of the nearest year when none covers it);
    ``None`` for a code no CMS file lists.
    """
    facts = _rvu_facts(code, on.year)
    return None if facts is None else facts.global_days


def multiple_procedure_exempt(code: str, year: int | None) -> bool:
    """True when modifier 51 never goes on ``code``: the CMS multiple-procedure indicator of ``year``
    (of the nearest year when no file covers it) is ``0`` (no multiple-procedure rule applies) or ``9``
    (the concept does not apply). A code no CMS file lists is not exempt."""
    facts = _rvu_facts(code, year)
    return facts is not None and facts.mult_proc in ("0", "9")


def rvu_total(code: str, year: int, *, facility: bool) -> Decimal | None:
    """The total RVU of one unit of ``code`` at the facility or non-facility rate of ``year``.

    ``None`` when the year has no table, the code has no row, or the value is unconfirmed: callers
    must not guess a number in its place.
    """
    schedule = fee_schedule(year)
    row = schedule.rows.get(code) if schedule is not None else None
    if row is None:
        return None
    return row.total_facility if facility else row.total_non_facility
