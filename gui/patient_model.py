"""The patient search results' model: one row per patient found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.dates import shown_date
from core.store.records import Patient
from gui.table_model import RecordTableModel


@dataclass(frozen=True)
class PatientRow:
    """A patient with the name of their payer (empty: no insurance on file)."""

    patient: Patient
    payer_name: str = ""


class PatientResultsModel(RecordTableModel):
    """Rows of ``PatientRow``."""

    COL_NAME, COL_DOB, COL_CHART, COL_PAYER = range(4)
    COLUMNS = ("Patient", "Date of birth", "Chart", "Insurance")

    def display(self, record: PatientRow, column: int) -> str:
        patient = record.patient
        if column == self.COL_NAME:
            return patient.display_name
        if column == self.COL_DOB:
            return f"{shown_date(patient.date_of_birth)}"
        if column == self.COL_CHART:
            return patient.chart_number
        return record.payer_name or "no insurance"

    def sort_key(self, record: PatientRow, column: int) -> Any:
        if column == self.COL_DOB:
            return record.patient.date_of_birth.isoformat()
        if column == self.COL_NAME:
            return record.patient.display_name.casefold()
        return self.display(record, column)
