"""The patient form: a new patient, or the corrections to one on file, with problems shown by the field.

``PatientForm`` holds the fields (``patientFirstName`` … ``patientPhone``: the first insurance's
payer, member ID, group, subscriber and relationship, then the second insurance's
``patientSecondary…``), each with its problem line (``<name>Error``), and *Save* / *Cancel*. It
fills itself from a patient or from what was typed in the search, and reads a ``Patient`` back;
saving it (and asking about a likely duplicate) is the patient panel's business (``gui.patient_panel``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.dates import shown_date
from core.errors import InputError
from core.store.patients import parse_search_date
from core.store.records import RELATIONSHIPS, Patient, Payer, PayerKind
from core.typed_names import read_search
from gui.widget_names import named

W = TypeVar("W", bound=QWidget)

#: the store's field names (``InputError.field``) → the form's widget names
FIELD_WIDGETS: dict[str, str] = {
    "first_name": "patientFirstName",
    "last_name": "patientLastName",
    "date_of_birth": "patientDob",
    "sex": "patientSex",
    "payer_id": "patientPayer",
    "member_id": "patientMemberId",
    "group_number": "patientGroup",
    "subscriber_name": "patientSubscriber",
    "relationship": "patientRelationship",
    "secondary_payer_id": "patientSecondaryPayer",
    "secondary_member_id": "patientSecondaryMemberId",
    "secondary_group_number": "patientSecondaryGroup",
    "secondary_subscriber_name": "patientSecondarySubscriber",
    "secondary_relationship": "patientSecondaryRelationship",
    "address1": "patientAddress",
    "city": "patientCity",
    "state": "patientState",
    "zip": "patientZip",
    "phone": "patientPhone",
    "chart_number": "patientChartNumber",
}


class PatientForm(QGroupBox):
    """``patientForm``: the patient's fields, a problem line under each, Save and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New patient", parent)
        self.setObjectName("patientForm")
        self._errors: dict[str, QLabel] = {}
        #: payer id → name of the payers that stand for no insurance (kept out of the lists)
        self._self_pay: dict[int | None, str] = {}
        #: fields typed in since their problem was shown: the problem goes when the cursor leaves them
        self._edited: set[str] = set()
        #: the patient being corrected (``None``: a new patient)
        self.editing: Patient | None = None
        self.first_name = self._field(QLineEdit(), "patientFirstName", "First name")
        self.last_name = self._field(QLineEdit(), "patientLastName", "Last name")
        self.dob = self._field(QLineEdit(), "patientDob", "Date of birth", "MM/DD/YYYY")
        self.dob.setPlaceholderText("MM/DD/YYYY")
        self.sex = self._field(QComboBox(), "patientSex", "Sex")
        for text, value in (("unknown", "U"), ("female", "F"), ("male", "M")):
            self.sex.addItem(text, value)
        self.payer = self._field(QComboBox(), "patientPayer", "Insurance")
        self.member_id = self._field(QLineEdit(), "patientMemberId", "Member ID", "From the insurance card")
        self.group = self._field(QLineEdit(), "patientGroup", "Group number", "From the insurance card")
        self.subscriber = self._field(
            QLineEdit(),
            "patientSubscriber",
            "Insurance subscriber",
            "The insured person's name, when it is not the patient",
        )
        self.relationship = self._field(
            QComboBox(),
            "patientRelationship",
            "Relationship to the subscriber",
            "Who the insurance's subscriber is to the patient (self when it is the patient)",
        )
        self.second_payer = self._field(
            QComboBox(), "patientSecondaryPayer", "Second insurance", "A second plan, billed after the first"
        )
        self.second_member_id = self._field(
            QLineEdit(), "patientSecondaryMemberId", "Second member ID", "From the second insurance card"
        )
        self.second_group = self._field(QLineEdit(), "patientSecondaryGroup", "Second group number")
        self.second_subscriber = self._field(
            QLineEdit(),
            "patientSecondarySubscriber",
            "Second insurance subscriber",
            "The insured person's name, when it is not the patient",
        )
        self.second_relationship = self._field(
            QComboBox(),
            "patientSecondaryRelationship",
            "Relationship to the second subscriber",
            "Who the second insurance's subscriber is to the patient (self when it is the patient)",
        )
        for relationship in RELATIONSHIPS:
            self.relationship.addItem(relationship, relationship)
            self.second_relationship.addItem(relationship, relationship)
        self.address = self._field(QLineEdit(), "patientAddress", "Street address")
        self.city = self._field(QLineEdit(), "patientCity", "City")
        self.state = self._field(QLineEdit(), "patientState", "State", "Two letters, for example NY")
        self.state.setMaxLength(2)
        self.zip = self._field(QLineEdit(), "patientZip", "ZIP code", "12345 or 12345-6789")
        self.phone = self._field(QLineEdit(), "patientPhone", "Phone")
        self.save_button = named(
            QPushButton("Save patient and start visit"),
            "savePatientButton",
            "Save the patient and start a visit",
            "Save the patient and open a new encounter for them (Enter)",
        )
        self.save_button.setDefault(True)
        self.cancel_button = named(QPushButton("Cancel"), "cancelPatientButton", "Close the new patient form")

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        #: what the new-patient form took from the search, said plainly (hidden when nothing)
        self.from_search = named(QLabel(), "patientFromSearch", "Taken from the search")
        self.from_search.setWordWrap(True)
        form.addRow(self.from_search)
        rows: tuple[tuple[str, QWidget], ...] = (
            ("First name", self.first_name),
            ("Last name", self.last_name),
            ("Date of birth", self.dob),
            ("Sex", self.sex),
            ("Insurance", self.payer),
            ("Member ID", self.member_id),
            ("Group no.", self.group),
            ("Subscriber", self.subscriber),
            ("Relationship", self.relationship),
            ("Second insurance", self.second_payer),
            ("2nd member ID", self.second_member_id),
            ("2nd group no.", self.second_group),
            ("2nd subscriber", self.second_subscriber),
            ("2nd relationship", self.second_relationship),
            ("Address", self.address),
            ("City", self.city),
            ("State", self.state),
            ("ZIP", self.zip),
            ("Phone", self.phone),
        )
        for label, widget in rows:
            column = QVBoxLayout()
            column.setSpacing(1)
            column.addWidget(widget)
            column.addWidget(self._errors[widget.objectName()])
            form.addRow(label, column)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        # the form's last field leads to Save, then Cancel (reading order ends on what finishes the form)
        QWidget.setTabOrder(self.phone, self.save_button)
        QWidget.setTabOrder(self.save_button, self.cancel_button)
        for line in self.text_fields():
            # a problem stays while it is corrected (the first key used to wipe it before it was read)
            line.textEdited.connect(lambda _t, w=line: self._edited.add(w.objectName()))
            line.editingFinished.connect(lambda w=line: self._left_after_editing(w.objectName()))
        self.payer.activated.connect(lambda _i: self.clear_error("patientMemberId"))
        self.payer.activated.connect(lambda _i: self.clear_error("patientSecondaryPayer"))
        self.relationship.activated.connect(lambda _i: self.clear_error("patientRelationship"))
        self.second_payer.currentIndexChanged.connect(self._second_insurance_shown)
        self.second_payer.activated.connect(lambda _i: self._clear_second_errors())
        self.second_relationship.activated.connect(
            lambda _i: self.clear_error("patientSecondaryRelationship")
        )

    def _field(self, widget: W, name: str, accessible: str, tip: str = "") -> W:
        named(widget, name, accessible, tip)
        error = named(QLabel(), f"{name}Error", f"Problem with {accessible.lower()}")
        error.setStyleSheet("color: #b3261e;")
        error.setWordWrap(True)
        error.setVisible(False)
        self._errors[name] = error
        return widget

    def text_fields(self) -> tuple[QLineEdit, ...]:
        """The form's typed fields: Enter in any of them saves, and a new form empties them."""
        return (
            self.first_name,
            self.last_name,
            self.dob,
            self.member_id,
            self.group,
            self.subscriber,
            self.second_member_id,
            self.second_group,
            self.second_subscriber,
            self.address,
            self.city,
            self.state,
            self.zip,
            self.phone,
        )

    def choices(self) -> tuple[QComboBox, ...]:
        """The form's drop-downs (sex, the two insurances and the relationships to their subscribers)."""
        return (self.sex, self.payer, self.relationship, self.second_payer, self.second_relationship)

    def contents(self) -> tuple[object, ...]:
        """Everything the form holds now: what was typed and what was picked (to tell a change)."""
        return (
            *(line.text() for line in self.text_fields()),
            *(box.currentIndex() for box in self.choices()),
        )

    def start_new(self, payers: list[Payer], typed: str) -> None:
        """An empty form for a new patient, with a name and date of birth ``typed`` in the search."""
        self.editing = None
        self.setTitle("New patient")
        self.save_button.setText("Save patient and start visit")
        self.payer.clear()
        self.payer.addItem("no insurance (self-pay)", None)
        self.second_payer.clear()
        self.second_payer.addItem("none", None)
        # a self-pay payer record codes and prints as "no insurance": listed beside it, staff saw two
        # entries for one choice; it is offered only to a patient who already has it (show_patient)
        self._self_pay = {p.id: p.name for p in payers if p.kind is PayerKind.SELF_PAY}
        for payer in payers:
            if payer.kind is not PayerKind.SELF_PAY:
                self.payer.addItem(payer.name, payer.id)
                self.second_payer.addItem(payer.name, payer.id)
        self.relationship.setCurrentIndex(0)
        self.second_relationship.setCurrentIndex(0)
        for line in self.text_fields():
            line.clear()
        self.sex.setCurrentIndex(0)
        self.clear_errors()
        # only what the search says unambiguously: "Last, First" and a date of birth (core.typed_names)
        taken = read_search(typed)
        self.first_name.setText(taken.first_name)
        self.last_name.setText(taken.last_name)
        if taken.date_of_birth is not None:
            self.dob.setText(f"{shown_date(taken.date_of_birth)}")
        self.from_search.setText(taken.said)
        self.from_search.setVisible(bool(taken.said))

    def show_patient(self, patient: Patient) -> None:
        """Fill the form with ``patient`` to correct it (after ``start_new`` listed the payers)."""
        self.editing = patient
        self.from_search.setVisible(False)
        self.setTitle(f"Patient {patient.chart_number}")
        self.save_button.setText("Save changes")
        self.first_name.setText(patient.first_name)
        self.last_name.setText(patient.last_name)
        self.dob.setText(f"{shown_date(patient.date_of_birth)}")
        self.sex.setCurrentIndex(max(self.sex.findData(patient.sex), 0))
        if patient.payer_id in self._self_pay and self.payer.findData(patient.payer_id) < 0:
            self.payer.addItem(self._self_pay[patient.payer_id], patient.payer_id)
        self.payer.setCurrentIndex(max(self.payer.findData(patient.payer_id), 0))
        self.member_id.setText(patient.member_id)
        self.group.setText(patient.group_number)
        self.subscriber.setText(patient.subscriber_name)
        self.relationship.setCurrentIndex(max(self.relationship.findData(patient.relationship), 0))
        self.second_payer.setCurrentIndex(max(self.second_payer.findData(patient.secondary_payer_id), 0))
        self.second_member_id.setText(patient.secondary_member_id)
        self.second_group.setText(patient.secondary_group_number)
        self.second_subscriber.setText(patient.secondary_subscriber_name)
        self.second_relationship.setCurrentIndex(
            max(self.second_relationship.findData(patient.secondary_relationship), 0)
        )
        self.address.setText(patient.address1)
        self.city.setText(patient.city)
        self.state.setText(patient.state)
        self.zip.setText(patient.zip)
        self.phone.setText(patient.phone)

    def _second_insurance_shown(self) -> None:
        """The second plan's details can be typed only once a second plan is chosen."""
        chosen = self.second_payer.currentData() is not None
        for widget in (
            self.second_member_id,
            self.second_group,
            self.second_subscriber,
            self.second_relationship,
        ):
            widget.setEnabled(chosen)

    def _clear_second_errors(self) -> None:
        for name in ("patientSecondaryPayer", "patientSecondaryMemberId", "patientSecondaryRelationship"):
            self.clear_error(name)

    def _left_after_editing(self, name: str) -> None:
        if name in self._edited:
            self._edited.discard(name)
            self.clear_error(name)

    def clear_errors(self) -> None:
        for name in self._errors:
            self.clear_error(name)

    def clear_error(self, name: str) -> None:
        label = self._errors.get(name)
        if label is not None:
            label.clear()
            label.setVisible(False)

    def field_error(self, name: str) -> str:
        """The problem shown under the field ``name`` (empty when none)."""
        label = self._errors[name]
        return label.text() if label.isVisible() else ""

    def show_field_error(self, error: InputError) -> tuple[QWidget, QLabel] | None:
        """Show ``error`` under its field and put the cursor there; returns the field and its problem
        line (to scroll them into sight), ``None`` when no field shows it."""
        name = FIELD_WIDGETS.get(error.field or "")
        if name is None or name not in self._errors:
            return None
        label = self._errors[name]
        label.setText(error.text)
        label.setVisible(True)
        self._edited.discard(name)
        widget = self.findChild(QWidget, name)
        if widget is None:
            return None
        widget.setFocus()
        return widget, label

    def patient(self) -> Patient:
        """The patient the form describes (a corrected one keeps what the form does not show).

        ``InputError`` (for the date of birth field) when the date of birth cannot be read."""
        text = self.dob.text().strip()
        born = parse_search_date(text)
        if born is None:
            raise InputError(
                f"Date of birth: “{text}” is not a date; type it as MM/DD/YYYY, for example 03/14/1962."
                if text
                else "Date of birth: type it as MM/DD/YYYY, for example 03/14/1962.",
                field="date_of_birth",
            )
        fields: dict[str, Any] = dict(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            date_of_birth=born,
            sex=self.sex.currentData(),
            address1=self.address.text(),
            city=self.city.text(),
            state=self.state.text(),
            zip=self.zip.text(),
            phone=self.phone.text(),
            payer_id=self.payer.currentData(),
            member_id=self.member_id.text(),
            group_number=self.group.text(),
            subscriber_name=self.subscriber.text(),
            relationship=self.relationship.currentData(),
            secondary_payer_id=self.second_payer.currentData(),
            secondary_member_id=self.second_member_id.text(),
            secondary_group_number=self.second_group.text(),
            secondary_subscriber_name=self.second_subscriber.text(),
            secondary_relationship=self.second_relationship.currentData(),
        )
        if self.editing is not None:  # keep what the form does not show (chart number, email…)
            return replace(self.editing, **fields)
        return Patient(**fields)
