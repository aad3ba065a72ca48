"""The coded-lines table's model: the engine's lines (or the billed lines of a final encounter).

Each row is a ``core.store.PricedLine``: the line and the fee for one unit on the date of service
(``None`` when the fee schedule has no fee for that code) — the same line type the superbill prints.
"""

from __future__ import annotations

from typing import Any

from core.money import format_cents
from core.store.records import PricedLine
from gui.table_model import RecordTableModel


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
        if column == self.COL_DESCRIPTION:  # whole, also when the column is too narrow for it
            return "\n".join(part for part in (record.description, record.why) if part)
        return record.why or None

    def total_cents(self) -> int:
        """Sum of the charges that have a fee."""
        return sum(line.charge_cents or 0 for line in self._records)

    def missing_fees(self) -> list[str]:
        """Codes shown without a fee."""
        return [line.cpt for line in self._records if line.unit_fee_cents is None]
