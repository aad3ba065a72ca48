"""Sizes as people type them: ``8mm``, ``8 mm``, ``0.8cm``, ``8x6 mm``, ``12cm2``, ``12 sq cm``.

A size is one or two numbers (decimal point only) and a unit: ``mm`` or ``cm`` for a diameter,
``cm2``/``cm²``/``sq cm`` for an area. Two numbers (``8x6 mm``, ``8 × 6 mm``) are a lesion's greatest
and least dimension: a diameter is coded by the greatest. A number without a unit is a :class:`Size`
with no unit, which the reader must not guess (8 could be 8 mm or 8 cm): the quick-entry line names
both readings. Values are exact decimals (``Decimal``), so 5 mm is 0.5 cm, never 0.5000000001.
Pure: the engine's JSON contract carries ``diameter_cm``/``area_sq_cm`` numbers and never reads this.
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.record import Record

_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_SIZE = re.compile(rf"^({_NUMBER})(?:[x×*]({_NUMBER}))?(mm|cm|cm2|cm²|sqcm)?$")
#: the unit words as typed → the unit as printed
UNITS = {"mm": "mm", "cm": "cm", "cm2": "cm²", "cm²": "cm²", "sqcm": "cm²"}
#: the most words one size may be typed in (``8 x 6 mm``)
MOST_WORDS = 4


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class Size(Record):
    """A size as typed: its numbers exactly as written and its unit (``""`` when none was typed)."""

    numbers: tuple[str, ...]
    unit: str

    @property
    def measurement(self) -> str | None:
        """``diameter_cm``, ``area_sq_cm``, or ``None`` when no unit was typed."""
        if self.unit in ("mm", "cm"):
            return "diameter_cm"
        if self.unit == "cm²":
            return "area_sq_cm"
        return None

    @property
    def greatest(self) -> Decimal:
        """The greatest of the typed numbers, in the typed unit."""
        return max(Decimal(n) for n in self.numbers)

    def in_cm(self, unit: str | None = None) -> Decimal:
        """The diameter in cm (the greatest dimension), or the area in sq cm; ``unit`` reads the numbers
        in another unit than the typed one (the two readings of a number typed without a unit)."""
        unit = unit or self.unit
        value = self.greatest
        return value / 10 if unit == "mm" else value

    def text(self, unit: str | None = None) -> str:
        """``8 × 6 mm``, ``0.8 cm``, ``12 cm²``: as printed on the screen and the superbill."""
        shown = unit or self.unit
        return " × ".join(self.numbers) + (f" {shown}" if shown else "")

    def compact(self, unit: str | None = None) -> str:
        """``8x6mm``, ``0.8cm``, ``12cm2``: as a quick-entry line writes it."""
        shown = {"cm²": "cm2"}.get(unit or self.unit, unit or self.unit)
        return "x".join(self.numbers) + shown

    @property
    def several(self) -> bool:
        """True when more than one dimension was typed (``8x6 mm``)."""
        return len(self.numbers) > 1


def read_size(text: str) -> Size | None:
    """The size in ``text`` (spaces and case ignored: ``8 X 6 MM``), else ``None``.

    Areas take one number; a decimal comma (``0,8cm``) is not a size (see :func:`has_decimal_comma`).
    """
    match = _SIZE.match("".join(text.split()).lower().replace("sq.cm", "sqcm"))
    if not match:
        return None
    first, second, unit = match.groups()
    unit = UNITS.get(unit or "", "")
    if second is not None and unit == "cm²":
        return None
    numbers = (first,) if second is None else (first, second)
    return Size(tuple(_tidy(n) for n in numbers), unit)


def _tidy(number: str) -> str:
    """``.8`` → ``0.8`` (the number is kept as typed otherwise: ``0.80`` stays ``0.80``)."""
    return f"0{number}" if number.startswith(".") else number


def has_decimal_comma(text: str) -> bool:
    """True for ``0,8cm`` or ``0,8``: a size written with a decimal comma."""
    return read_size(text.replace(",", ".")) is not None and "," in text


def as_typed(size: Size) -> str:
    """What a lesion group keeps as its typed size (``8 × 6 mm``)."""
    return size.text()


def shown_value(value: float, measurement: str) -> str:
    """A stored value as the program prints it when nothing else was typed: ``0.8 cm``, ``12 cm²``."""
    return f"{value:g} cm" if measurement == "diameter_cm" else f"{value:g} cm²"


def typed_matches(typed: str, value: float | None, measurement: str) -> Size | None:
    """The typed size when it still says ``value`` (in cm or sq cm) for ``measurement``, else ``None``:
    a typed size is printed only while it agrees with the value that is coded."""
    if not typed or value is None:
        return None
    size = read_size(typed)
    if size is None or size.measurement != measurement:
        return None
    return size if size.in_cm() == Decimal(repr(float(value))) else None
