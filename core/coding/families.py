"""Counting rules: the lesions of one kind in one session become CPT codes and units.

Each function takes the (already validated) entries of one family's kinds with their positions in the
encounter and returns draft lines: code, units, the entries billed, and one plain sentence saying why.
Modifiers and diagnosis pointers are added later by the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from core.coding import sizes, tables
from core.coding.model import LesionGroup
from core.coding.validate import measurement
from core.record import Record
from core.text import counted

#: (position in Encounter.lesions, the entry)
Entry = tuple[int, LesionGroup]


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class DraftLine(Record):
    """A billed code before modifiers and pointers."""

    cpt: str
    units: int
    lesion_indexes: tuple[int, ...]
    why: str


def ordinal(n: int) -> str:
    """``2`` → ``2nd``, ``11`` → ``11th``, ``13`` → ``13th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _total(entries: Sequence[Entry]) -> tuple[int, tuple[int, ...]]:
    return sum(e.count for _, e in entries), tuple(i for i, _ in entries)


def premalignant(entries: Sequence[Entry]) -> list[DraftLine]:
    """17000 for the first, 17003 per lesion for the 2nd–14th; 17004 alone for 15 or more."""
    codes = tables.lesion_coding().premalignant
    n, indexes = _total(entries)
    if n >= codes.whole_session_from:
        why = (
            f"{n} premalignant lesions: {codes.whole_session} once covers "
            f"{codes.whole_session_from} or more in one session "
            f"(never with {codes.first}/{codes.each_additional})"
        )
        return [DraftLine(codes.whole_session, 1, indexes, why)]
    if n == 1:
        return [
            DraftLine(codes.first, 1, indexes, f"1 premalignant lesion: {codes.first} for the first lesion")
        ]
    rest = (
        f"{codes.each_additional} for the 2nd"
        if n == 2
        else f"{codes.each_additional} × {n - 1} for the 2nd–{ordinal(n)}"
    )
    why = f"{n} premalignant lesions: {codes.first} for the first, {rest}"
    return [DraftLine(codes.first, 1, indexes, why), DraftLine(codes.each_additional, n - 1, indexes, why)]


def benign(entries: Sequence[Entry]) -> list[DraftLine]:
    """One session code, one unit: 17110 up to 14 lesions, 17111 for 15 or more."""
    codes = tables.lesion_coding().benign
    n, indexes = _total(entries)
    if n >= codes.large_from:
        why = f"{n} benign lesions: {codes.large} once covers {codes.large_from} or more in one session"
        return [DraftLine(codes.large, 1, indexes, why)]
    why = (
        f"{counted(n, 'benign lesion', 'benign lesions')}: {codes.small} once covers up to "
        f"{codes.large_from - 1} in one session"
    )
    return [DraftLine(codes.small, 1, indexes, why)]


def skin_tags(entries: Sequence[Entry]) -> list[DraftLine]:
    """11200 for up to 15 tags; 11201 for each further 10 tags or part of 10."""
    codes = tables.lesion_coding().skin_tag
    n, indexes = _total(entries)
    if n <= codes.base_covers:
        why = f"{counted(n, 'skin tag', 'skin tags')}: {codes.base} covers up to {codes.base_covers}"
        return [DraftLine(codes.base, 1, indexes, why)]
    rest = n - codes.base_covers
    units = -(-rest // codes.add_on_covers)
    why = (
        f"{n} skin tags: {codes.base} for the first {codes.base_covers}, {codes.add_on} × {units} for the "
        f"other {rest} (one per {codes.add_on_covers} or part of {codes.add_on_covers})"
    )
    return [DraftLine(codes.base, 1, indexes, why), DraftLine(codes.add_on, units, indexes, why)]


def area_band(total: Decimal) -> tables.AreaBand:
    """The vascular band (and code) of a session's total area in sq cm."""
    for band in tables.lesion_coding().vascular_bands:
        if band.upper is None or total < band.upper or (band.upper_inclusive and total == band.upper):
            return band
    raise AssertionError("the last vascular band is open-ended")  # the table guarantees it


def vascular(entries: Sequence[Entry]) -> list[DraftLine]:
    """One code, one unit, for the total area treated in the session."""
    _, indexes = _total(entries)
    total = sum((measurement(e.area_sq_cm or 0.0) for _, e in entries), Decimal(0))
    band = area_band(total)
    shown = f"{total.normalize():f}"
    why = (
        f"Vascular lesions, {shown} sq cm treated in total: {band.code} covers {band.label}, "
        "once for the whole session"
    )
    return [DraftLine(band.code, 1, indexes, why)]


def diameter_band(diameter: Decimal) -> int:
    """Position of the half-open band (≤0.5, >0.5–1.0, …, >4.0) that holds ``diameter``."""
    for position, band in enumerate(tables.lesion_coding().diameter_bands):
        if band.upper is None or diameter <= band.upper:
            return position
    raise AssertionError("the last diameter band is open-ended")  # the table guarantees it


def malignant(entries: Sequence[Entry]) -> list[DraftLine]:
    """One unit per lesion, code by site group × diameter band; identical codes add up."""
    coding = tables.lesion_coding()
    by_code: dict[str, tuple[int, list[int], str, str]] = {}
    read_as: dict[str, list[str]] = {}
    for index, entry in entries:
        group_key = coding.sites[entry.site].malignant_group
        group = coding.malignant_groups[group_key]
        band = diameter_band(measurement(entry.diameter_cm or 0.0))
        code = group.codes[band]
        note = _typed_diameter(entry)
        if note and note not in read_as.setdefault(code, []):
            read_as[code].append(note)
        units, indexes, _, _ = by_code.get(code, (0, [], "", ""))
        by_code[code] = (
            units + entry.count,
            [*indexes, index],
            group.name,
            coding.diameter_bands[band].label,
        )
    lines = []
    for code, (units, indexes, group_name, band_label) in by_code.items():
        why = (
            f"{counted(units, 'malignant lesion', 'malignant lesions')} on the {group_name}, "
            f"{band_label}: {code} once per lesion"
        )
        if read_as.get(code):
            why += f" ({'; '.join(read_as[code])})"
        lines.append(DraftLine(code, units, tuple(indexes), why))
    return lines


def _typed_diameter(entry: LesionGroup) -> str:
    """How a diameter typed otherwise than in cm was read: ``8 × 6 mm is coded by its greatest diameter,
    0.8 cm``, ``8 mm is 0.8 cm``; empty for a diameter given in cm (and for the JSON contract's entries,
    which carry numbers only)."""
    typed = sizes.typed_matches(entry.typed_size, entry.diameter_cm, "diameter_cm")
    if typed is None or entry.diameter_cm is None:
        return ""
    value = sizes.shown_value(entry.diameter_cm, "diameter_cm")
    if typed.several:
        return f"{typed.text()} is coded by its greatest diameter, {value}"
    return f"{typed.text()} is {value}" if typed.unit != "cm" else ""


#: family (``kinds[].family`` in lesion_kinds.json, ``family`` in cpt.json) → its counting rule
RULES: dict[str, Callable[[Sequence[Entry]], list[DraftLine]]] = {
    "premalignant": premalignant,
    "benign": benign,
    "skin_tag": skin_tags,
    "vascular": vascular,
    "malignant": malignant,
}
