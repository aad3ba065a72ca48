"""The day sheet's model: one row per encounter of the shown day."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.coding import kinds
from core.coding.model import LesionKind
from core.money import format_cents
from core.store.records import EncounterRecord, EncounterStatus
from gui.table_model import RecordTableModel

STATUS_NAMES: dict[EncounterStatus, str] = {
    EncounterStatus.DRAFT: "Draft",
    EncounterStatus.FINAL: "Final",
    EncounterStatus.PRINTED: "Printed",
    EncounterStatus.VOID: "Void",
}


@dataclass(frozen=True)
class DayRow:
    """An encounter with the names and codes the day sheet shows.

    For a draft, ``codes`` and ``charge_cents`` are what the encounter would bill if finalised now.
    """

    encounter: EncounterRecord
    patient_name: str
    provider_name: str
    codes: tuple[str, ...]
    charge_cents: int


def lesion_summary(encounter: EncounterRecord) -> str:
    """``12 premalignant, 3 benign``: how many lesions of each kind, in entry order."""
    totals: dict[LesionKind, int] = {}
    for group in encounter.lesions:
        totals[group.kind] = totals.get(group.kind, 0) + group.count
    parts = [kinds.kind(kind).counted(count) for kind, count in totals.items()]
    if encounter.em_code:
        parts.append(f"visit {encounter.em_code}")
    return ", ".join(parts) or "nothing entered yet"


class DayModel(RecordTableModel):
    """Rows of ``DayRow``."""

    COL_PATIENT, COL_PROVIDER, COL_LESIONS, COL_CODES, COL_CHARGES, COL_STATUS = range(6)
    COLUMNS = ("Patient", "Provider", "Lesions", "Codes", "Charges", "Status")
    NUMERIC_COLUMNS = frozenset({COL_CHARGES})

    def display(self, record: DayRow, column: int) -> str:
        if column == self.COL_PATIENT:
            return record.patient_name
        if column == self.COL_PROVIDER:
            return record.provider_name
        if column == self.COL_LESIONS:
            return lesion_summary(record.encounter)
        if column == self.COL_CODES:
            return ", ".join(record.codes)
        if column == self.COL_CHARGES:
            return format_cents(record.charge_cents)
        return STATUS_NAMES.get(record.encounter.status, str(record.encounter.status))

    def tooltip(self, record: DayRow, column: int) -> str | None:
        if column in (self.COL_PROVIDER, self.COL_LESIONS, self.COL_CODES):
            return self.display(record, column)  # the whole text when the column is narrow
        return None

    def sort_key(self, record: DayRow, column: int) -> Any:
        if column == self.COL_CHARGES:
            return record.charge_cents
        return self.display(record, column).casefold()

    def row_of(self, encounter_id: int) -> int | None:
        """The row showing encounter ``encounter_id``, if any."""
        for row, record in enumerate(self._records):
            if record.encounter.id == encounter_id:
                return row
        return None

    def total_cents(self) -> int:
        """Charges of the day, without void encounters."""
        return sum(r.charge_cents for r in self._records if r.encounter.status is not EncounterStatus.VOID)
