"""The top of the encounter editor: whose visit it is, its status, and who saw the patient where.

``EncounterHeader`` holds the patient line (``encounterPatient``) with *Edit patient…*, the status
line (``encounterStatus``) and the three drop-downs: rendering provider (``encounterProvider``), place
of service (``encounterPos``) and the office visit billed the same day (``encounterEmCode``), with the
*Decision for surgery (57)* box beside it (``encounterDecisionForSurgery``: usable only while the
visit bills an office visit and a procedure with a 90-day global period). It shows values and says
when the user changed one (``edited``); what that means for the visit is the editor's business
(``gui.encounter_editor``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.coding import tables
from core.coding.tables import em_codes, pos_table
from core.dates import shown_date
from core.store.records import EncounterRecord, Patient, Provider
from gui.code_combo import CodeComboBox
from gui.widget_names import named

#: what the header says while no patient is chosen, and how to choose one
NO_PATIENT = "No patient chosen yet — find the patient (Ctrl+F, then Enter) or add a new one (Ctrl+N)"
#: the decision box's tooltip while it can be ticked, and while it cannot
DECISION_TIP = (
    "Tick when the chart shows that this visit is where the decision for the 90-day procedure was made:\n"
    "the visit code then takes modifier 57 instead of 25. A decision made the day before is billed on\n"
    "that day's visit."
)
NO_DECISION_TIP = (
    "Only for a visit code billed with a procedure that has a 90-day global period (such as 17106–17108):\n"
    "the visit where the decision for it was made takes 57 instead of 25."
)


def select(combo: QComboBox, value: object) -> None:
    """Show the item of ``combo`` whose data is ``value`` (the first item when there is none)."""
    combo.setCurrentIndex(max(combo.findData(value), 0))


class EncounterHeader(QWidget):
    """The patient and status lines, and the provider, place of service and visit code drop-downs."""

    #: the user chose another provider, place of service or visit code (also set from code)
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encounterHeader")
        self.patient_label = named(QLabel(), "encounterPatient", "Patient of this encounter")
        font = QFont(self.patient_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.patient_label.setFont(font)
        self.patient_label.setWordWrap(True)
        self.status_label = named(QLabel(), "encounterStatus", "Encounter status")
        self.status_label.setWordWrap(True)
        self.edit_patient_button = named(
            QPushButton("Edit patient…"),
            "editPatientButton",
            "Correct this patient's details",
            "Correct the name, insurance or address of this patient (Ctrl+Shift+E)",
        )

        self.provider = named(QComboBox(), "encounterProvider", "Rendering provider")
        # the drop-downs' text is the bare code ("11"; empty for no visit code), drawn with its meaning
        self.place = named(CodeComboBox(), "encounterPos", "Place of service")
        self.em_code = named(CodeComboBox(), "encounterEmCode", "Office visit code billed the same day")
        for code, place in sorted(pos_table().items()):
            self.place.add_code(code, place.name)
        self.em_code.add_code(None, "none")
        for code in em_codes():
            cpt = tables.cpt(code)
            self.em_code.add_code(code, cpt.description if cpt else "office visit")
        self.decision = named(
            QCheckBox("Decision for s&urgery (57)"),
            "encounterDecisionForSurgery",
            "Decision for surgery (57)",
            NO_DECISION_TIP,
        )
        #: the visit bills an office visit and a 90-day procedure (set after each coding)
        self._decision_applies = False
        self._editable = True
        self.decision.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QVBoxLayout()
        top.setSpacing(2)
        name_row = QHBoxLayout()
        name_row.addWidget(self.patient_label, 1)
        name_row.addWidget(self.edit_patient_button)
        top.addLayout(name_row)
        top.addWidget(self.status_label)
        form = QHBoxLayout()
        for text, combo, stretch in (
            ("&Provider", self.provider, 2),
            ("Pl&ace of service", self.place, 2),
            ("Visit (E/&M)", self.em_code, 3),  # Alt+V opens the Visit menu
        ):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            label = QLabel(text)
            label.setBuddy(combo)
            form.addWidget(label)
            form.addWidget(combo, stretch)
        decision_row = QHBoxLayout()  # its own line: the window fits a 1366-pixel screen at 125 %
        decision_row.addStretch(1)
        decision_row.addWidget(self.decision)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addLayout(decision_row)

        # any change of choice is an edit (keys, mouse, or a program setting the index)
        for changed in (self.provider, self.place, self.em_code):
            changed.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.decision.toggled.connect(lambda _on: self.edited.emit())
        self.setTabOrder(self.provider, self.place)
        self.setTabOrder(self.place, self.em_code)
        self.setTabOrder(self.em_code, self.decision)

    def show_no_patient(self) -> None:
        """No patient chosen yet: say how to choose one; there is no patient to edit."""
        self.patient_label.setText(NO_PATIENT)
        self.edit_patient_button.setEnabled(False)

    def show_patient(self, patient: Patient, payer_name: str) -> None:
        """The visit's patient, born when, insured by whom."""
        self.patient_label.setText(
            f"{patient.display_name}   ·   born {shown_date(patient.date_of_birth)}   ·   {payer_name}"
        )
        self.edit_patient_button.setEnabled(True)

    def show_visit(self, record: EncounterRecord) -> None:
        """Show the provider, place of service and visit code of ``record``."""
        select(self.provider, record.provider_id)
        select(self.place, record.place_of_service)
        select(self.em_code, record.em_code)
        self._show_decision(record.decision_for_surgery)

    def show_decision_applies(self, applies: bool, marked: bool) -> None:
        """After coding: whether the box can be ticked (an office visit and a 90-day procedure are both
        billed) and whether it is (not an edit)."""
        self._decision_applies = applies
        self._show_decision(marked)
        self.decision.setEnabled(self._editable and applies)
        self.decision.setToolTip(DECISION_TIP if applies else NO_DECISION_TIP)

    def _show_decision(self, marked: bool) -> None:
        blocked = self.decision.blockSignals(True)
        self.decision.setChecked(marked)
        self.decision.blockSignals(blocked)

    def fill_providers(self, providers: Iterable[Provider], current: int | None) -> None:
        """List the active ``providers`` and ``current`` (even when it is no longer active); show it."""
        self.provider.clear()
        for provider in providers:
            if provider.active or provider.id == current:
                self.provider.addItem(provider.display_name, provider.id)
        select(self.provider, current)

    def chosen(self, record: EncounterRecord) -> EncounterRecord:
        """``record`` with the provider, place of service and visit code shown (a provider no longer
        listed keeps the record's)."""
        provider: int | None = self.provider.currentData()
        place: str = self.place.currentData()
        em_code: str | None = self.em_code.currentData()
        return replace(
            record,
            provider_id=provider or record.provider_id,
            place_of_service=place,
            em_code=em_code,
            decision_for_surgery=self.decision.isChecked(),
        )

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for combo in (self.provider, self.place, self.em_code):
            combo.setEnabled(editable)
        self.decision.setEnabled(editable and self._decision_applies)
