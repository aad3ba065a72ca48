"""Payer conventions the engine follows: modifier 51 on or off, 59 or XS for distinct procedures."""

from __future__ import annotations

from datetime import date

from core.coding import tables
from core.record import Record

DISTINCT_MODIFIERS = frozenset({"59", "XS"})


# A Record, not a dataclass: `superbill code` makes this class at import, and a dataclass costs about
# 1.5 ms to make in Python 3.11 (issue 14); same fields, equality, hash, repr and immutability.
class CodingSettings(Record):
    """How to code for one payer; ``today`` enables the "date not in the future" check.

    ``modifier_51`` is ignored for Medicare (the contractor appends 51 itself) and never applies to
    add-on or 51-exempt codes.
    """

    modifier_51: bool = False
    distinct_modifier: str = "59"
    today: date | None = None
    #: the payer's kind from the practice's payer record (medicare, medicaid, commercial, self_pay);
    #: ``None``: taken from the payers table by the encounter's payer word
    payer_kind: str | None = None

    def __post_init__(self) -> None:
        if self.distinct_modifier not in DISTINCT_MODIFIERS:
            raise ValueError(f"distinct_modifier must be one of {sorted(DISTINCT_MODIFIERS)}")

    @classmethod
    def for_payer(cls, payer_id: str, today: date | None = None) -> CodingSettings:
        """The defaults of the payers table for ``payer_id`` (plain defaults for an unknown id)."""
        row = tables.payer(payer_id)
        if row is None:
            return cls(today=today)
        return cls(
            modifier_51=row.modifier_51,
            distinct_modifier=row.distinct_modifier,
            today=today,
            payer_kind=row.kind,
        )
