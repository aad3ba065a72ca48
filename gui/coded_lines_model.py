"""The coded-lines table's model: the engine's lines (or the billed lines of a final encounter).

Each row is a ``PricedLine``: the line and the fee for one unit on the date of service (``None``
when the fee schedule has no fee for that code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.coding.model import CodedLine
from core.money import format_cents
from core.store.records import BilledLine
from gui.table_model import RecordTableModel


@dataclass(frozen=True)
class PricedLine:
    """One coded line as the window shows it."""

    cpt: str
    description: str
    modifiers: tuple[str, ...]
    units: int
    diagnosis_pointers: tuple[str, ...]
    unit_fee_cents: int | None
    why: str = ""

    @classmethod
    def of(cls, line: CodedLine | BilledLine, unit_fee_cents: int | None) -> PricedLine:
        """The engine's line (priced from the fee schedule) or a final encounter's billed line."""
        return cls(
            line.cpt,
            line.description,
            line.modifiers,
            line.units,
            line.diagnosis_pointers,
            unit_fee_cents,
            line.why,
        )

    @property
    def charge_cents(self) -> int | None:
        """Fee × units, or ``None`` when there is no fee."""
        return None if self.unit_fee_cents is None else self.unit_fee_cents * self.units


class CodedLinesModel(RecordTableModel):
    """Read-only rows of ``PricedLine``."""

    COL_CPT, COL_DESCRIPTION, COL_MODIFIERS, COL_UNITS, COL_POINTERS, COL_CHARGE = range(6)
    COLUMNS = ("CPT", "Description", "Modifiers", "Units", "Diagnosis pointers", "Charge")
    NUMERIC_COLUMNS = frozenset({COL_UNITS, COL_CHARGE})

    def display(self, record: PricedLine, column: int) -> str:
        if column == self.COL_CPT:
            return record.cpt
        if column == self.COL_DESCRIPTION:
            return record.description
        if column == self.COL_MODIFIERS:
            return " ".join(record.modifiers)
        if column == self.COL_UNITS:
            return str(record.units)
        if column == self.COL_POINTERS:
            return " ".join(record.diagnosis_pointers)
        charge = record.charge_cents
        return "no fee set" if charge is None else format_cents(charge)

    def sort_key(self, record: PricedLine, column: int) -> Any:
        if column == self.COL_UNITS:
            return record.units
        if column == self.COL_CHARGE:
            return record.charge_cents or 0
        return self.display(record, column)

    def tooltip(self, record: PricedLine, column: int) -> str | None:
        return record.why or None

    def total_cents(self) -> int:
        """Sum of the charges that have a fee."""
        return sum(line.charge_cents or 0 for line in self._records)

    def missing_fees(self) -> list[str]:
        """Codes shown without a fee."""
        return [line.cpt for line in self._records if line.unit_fee_cents is None]
