"""Money is whole cents (``int``) everywhere in the program; this module turns it into text and back.

Cents avoid floating-point drift in totals; ``Decimal`` appears only while parsing what a person typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from core.errors import InputError


def format_cents(cents: int) -> str:
    """``24500`` -> ``"$245.00"``; negative amounts get a leading minus (``-$5.00``)."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def parse_dollars(text: str, *, field: str = "amount") -> int:
    """``"245"``, ``"$1,245.5"`` -> cents. Raises ``InputError`` naming ``field`` for anything else."""
    cleaned = text.strip().replace("$", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(
            f"{field}: “{text}” is not an amount. Type dollars and cents, for example 125.00.", field=field
        ) from None
    if not value.is_finite() or value < 0:
        raise InputError(f"{field}: the amount must be zero or more, for example 125.00.", field=field)
    if value != value.quantize(Decimal("0.01")):
        raise InputError(f"{field}: use at most two decimals (cents), for example 125.50.", field=field)
    return int(value * 100)
