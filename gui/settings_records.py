"""The Providers and Payers pages of the settings: the records in a list, the picked one in a form.

Both pages work the same way (``RecordListPage``): picking a record fills the form to change it,
*New* empties the form, *Save* adds or updates the record through the store and shows a refusal in
the store's own words under the form, with the cursor in the field it names; ``changed`` tells the
window to reload its lists.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from core.errors import InputError
from core.npi import npi_problem
from core.store import Store
from core.store.records import CODING_PAYERS, Payer, PayerKind, Provider
from gui.errors import reporting
from gui.settings_form import button_row, message_label, show_message
from gui.widget_names import named

RECORD_ROLE = Qt.ItemDataRole.UserRole


class RecordListPage(QWidget):
    """A list of records beside a form; subclasses say which records, which fields, how to save.

    ``noun`` names the widgets: ``<noun>List``, ``<noun>Message``, ``new<Noun>Button`` and
    ``save<Noun>Button``.
    """

    changed = Signal()
    noun = "record"
    #: the store's field names (``InputError.field``) → the page's widget names
    fields: ClassVar[dict[str, str]] = {}

    def __init__(self, store: Store, list_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._editing: Any = None
        title = self.noun.capitalize()
        self.records_list = named(QListWidget(), f"{self.noun}List", list_label)
        self.message = message_label(f"{self.noun}Message")
        new = named(QPushButton(f"New {self.noun}"), f"new{title}Button", f"Start a new {self.noun}")
        save = named(QPushButton(f"Save {self.noun}"), f"save{title}Button", f"Save the {self.noun}")
        form = QFormLayout()
        self._add_fields(form)
        form.addRow(self.message)
        form.addRow(button_row(new, None, save))
        layout = QHBoxLayout(self)
        layout.addWidget(self.records_list, 1)
        layout.addLayout(form, 2)
        self.records_list.currentItemChanged.connect(self._picked)
        new.clicked.connect(self.new_record)
        save.clicked.connect(self.save)
        self._load()
        self.new_record()

    # -- what a page says -------------------------------------------------------------------------
    def _add_fields(self, form: QFormLayout) -> None:
        raise NotImplementedError

    def _records(self) -> list[Any]:
        raise NotImplementedError

    def _describe(self, record: Any) -> str:
        raise NotImplementedError

    def _fill(self, record: Any) -> None:
        raise NotImplementedError

    def _empty(self) -> None:
        raise NotImplementedError

    def _read(self, record_id: int | None) -> Any:
        raise NotImplementedError

    def _write(self, record: Any) -> Any:
        raise NotImplementedError

    def _saved_text(self, saved: Any) -> str:
        raise NotImplementedError

    def save(self) -> None:
        """Add or update the record in the form (each page wraps this with its own error wording)."""
        self._save()

    # -- the shared behaviour -----------------------------------------------------------------------
    def _load(self, select: int | None = None) -> None:
        self.records_list.blockSignals(True)
        self.records_list.clear()
        for record in self._records():
            item = QListWidgetItem(self._describe(record))
            item.setData(RECORD_ROLE, record)
            self.records_list.addItem(item)
            if record.id == select:
                self.records_list.setCurrentItem(item)
        self.records_list.blockSignals(False)

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self._editing = item.data(RECORD_ROLE)
        self._fill(self._editing)
        self.message.clear()

    def new_record(self) -> None:
        """Empty the form for a new record."""
        self._editing = None
        self.records_list.setCurrentRow(-1)  # so picking the same record again fills the form
        self.records_list.clearSelection()
        self._empty()
        self.message.clear()

    def _save(self) -> None:
        record = self._read(self._editing.id if self._editing is not None else None)
        try:
            saved = self._write(record)
        except InputError as error:
            show_message(self.message, error.text, ok=False)
            widget = self.findChild(QWidget, self.fields.get(error.field or "", ""))
            if widget is not None:
                widget.setFocus()
            return
        self._editing = saved
        self._load(select=saved.id)
        show_message(self.message, self._saved_text(saved), ok=True)
        self.changed.emit()


class ProvidersPage(RecordListPage):
    """Rendering providers: name, credentials, NPI (its check digit is checked as you type), taxonomy."""

    noun = "provider"
    fields: ClassVar[dict[str, str]] = {
        "first_name": "providerFirstName",
        "last_name": "providerLastName",
        "npi": "providerNpi",
        "taxonomy": "providerTaxonomy",
    }

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, "Providers", parent)

    def _add_fields(self, form: QFormLayout) -> None:
        self.first = named(QLineEdit(), "providerFirstName", "Provider first name")
        self.last = named(QLineEdit(), "providerLastName", "Provider last name")
        self.credentials = named(QLineEdit(), "providerCredentials", "Credentials", "MD, DO, PA-C, NP…")
        self.npi = named(QLineEdit(), "providerNpi", "Provider NPI", "10 digits; the last is a check digit")
        self.npi_problem = message_label("providerNpiProblem")
        self.taxonomy = named(QLineEdit(), "providerTaxonomy", "Provider taxonomy code")
        self.active = named(
            QCheckBox("Sees patients (shown in the provider list)"), "providerActive", "Active"
        )
        form.addRow("First name", self.first)
        form.addRow("Last name", self.last)
        form.addRow("Credentials", self.credentials)
        form.addRow("NPI", self.npi)
        form.addRow("", self.npi_problem)
        form.addRow("Taxonomy", self.taxonomy)
        form.addRow("", self.active)
        self.npi.textEdited.connect(self._check_npi)

    def _records(self) -> list[Provider]:
        return self._store.providers(include_inactive=True)

    def _describe(self, provider: Provider) -> str:
        inactive = "" if provider.active else " (inactive)"
        return f"{provider.display_name}{inactive} · NPI {provider.npi}"

    def _fill(self, provider: Provider) -> None:
        self.first.setText(provider.first_name)
        self.last.setText(provider.last_name)
        self.credentials.setText(provider.credentials)
        self.npi.setText(provider.npi)
        self.taxonomy.setText(provider.taxonomy)
        self.active.setChecked(provider.active)
        self.npi_problem.clear()

    def _empty(self) -> None:
        for edit in (self.first, self.last, self.credentials, self.npi, self.taxonomy):
            edit.clear()
        self.active.setChecked(True)
        self.npi_problem.clear()

    def _check_npi(self, text: str) -> None:
        problem = npi_problem(text) if len(text.strip()) >= 10 else None
        show_message(self.npi_problem, (problem[0].upper() + problem[1:] + ".") if problem else "", ok=False)

    def _read(self, record_id: int | None) -> Provider:
        return Provider(
            first_name=self.first.text(),
            last_name=self.last.text(),
            npi=self.npi.text(),
            credentials=self.credentials.text().strip(),
            taxonomy=self.taxonomy.text().strip(),
            active=self.active.isChecked(),
            id=record_id,
        )

    def _write(self, provider: Provider) -> Provider:
        return self._store.save_provider(provider)

    def _saved_text(self, saved: Provider) -> str:
        return f"{saved.display_name} saved."

    @reporting("save the provider")
    def save(self) -> None:
        """Add or update the provider in the form (the NPI check digit is verified)."""
        self._save()


class PayersPage(RecordListPage):
    """Insurance plans: kind, which coding conventions apply, payer ID, the claims mailing address,
    modifier 51, 59 or XS."""

    noun = "payer"
    fields: ClassVar[dict[str, str]] = {
        "name": "payerName",
        "kind": "payerKind",
        "coding_payer": "payerCodingRules",
        "payer_id": "payerClaimsId",
        "claims_address1": "payerClaimsAddress1",
        "claims_address2": "payerClaimsAddress2",
        "claims_city": "payerClaimsCity",
        "claims_state": "payerClaimsState",
        "claims_zip": "payerClaimsZip",
        "distinct_modifier": "payerDistinctModifier",
    }

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, "Payers", parent)

    def _add_fields(self, form: QFormLayout) -> None:
        self.name = named(QLineEdit(), "payerName", "Payer name")
        self.kind = named(QComboBox(), "payerKind", "Kind of payer")
        for kind in PayerKind:
            self.kind.addItem(kind.value.replace("_", " "), kind)
        self.coding = named(QComboBox(), "payerCodingRules", "Coding rules to follow")
        for word in CODING_PAYERS:
            self.coding.addItem(word, word)
        self.claims_id = named(
            QLineEdit(), "payerClaimsId", "Electronic payer ID", "The payer's ID for electronic claims"
        )
        self.address1 = named(
            QLineEdit(), "payerClaimsAddress1", "Claims address", "Where paper claims are mailed"
        )
        self.address2 = named(QLineEdit(), "payerClaimsAddress2", "Claims address line 2")
        self.city = named(QLineEdit(), "payerClaimsCity", "Claims address city")
        self.state = named(
            QLineEdit(), "payerClaimsState", "Claims address state", "Two letters, for example ND"
        )
        self.state.setMaxLength(2)
        self.state.setMaximumWidth(self.state.fontMetrics().horizontalAdvance("MMMM") + 16)
        self.zip = named(QLineEdit(), "payerClaimsZip", "Claims address ZIP code", "12345 or 12345-6789")
        self.zip.setMaximumWidth(self.zip.fontMetrics().horizontalAdvance("99999-99999") + 16)
        self.modifier_51 = named(
            QCheckBox("Add modifier 51 to multiple procedures"), "payerModifier51", "Modifier 51"
        )
        self.distinct = named(QComboBox(), "payerDistinctModifier", "Distinct-procedure modifier")
        self.distinct.addItems(["59", "XS"])
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Coding rules", self.coding)
        form.addRow("Payer ID", self.claims_id)
        form.addRow("Claims address", self.address1)
        form.addRow("Address line 2", self.address2)
        place = QHBoxLayout()
        place.addWidget(self.city, 1)
        place.addWidget(QLabel("State"))
        place.addWidget(self.state)
        place.addWidget(QLabel("ZIP"))
        place.addWidget(self.zip)
        form.addRow("City", place)
        form.addRow("", self.modifier_51)
        form.addRow("Distinct modifier", self.distinct)

    def _records(self) -> list[Payer]:
        return self._store.payers()

    def _describe(self, payer: Payer) -> str:
        return f"{payer.name} ({payer.kind.value.replace('_', ' ')})"

    def _fill(self, payer: Payer) -> None:
        self.name.setText(payer.name)
        self.kind.setCurrentIndex(self.kind.findData(payer.kind))
        self.coding.setCurrentIndex(self.coding.findData(payer.coding_payer))
        self.claims_id.setText(payer.payer_id)
        for edit, text in zip(self._address(), _claims_address(payer), strict=True):
            edit.setText(text)
        self.modifier_51.setChecked(payer.use_modifier_51)
        self.distinct.setCurrentText(payer.distinct_modifier)

    def _empty(self) -> None:
        self.name.clear()
        self.kind.setCurrentIndex(self.kind.findData(PayerKind.COMMERCIAL))
        self.coding.setCurrentIndex(self.coding.findData("commercial"))
        self.claims_id.clear()
        for edit in self._address():
            edit.clear()
        self.modifier_51.setChecked(False)
        self.distinct.setCurrentText("59")

    def _read(self, record_id: int | None) -> Payer:
        return Payer(
            name=self.name.text().strip(),
            kind=self.kind.currentData(),
            coding_payer=self.coding.currentData(),
            payer_id=self.claims_id.text().strip(),
            claims_address1=self.address1.text(),
            claims_address2=self.address2.text(),
            claims_city=self.city.text(),
            claims_state=self.state.text(),
            claims_zip=self.zip.text(),
            use_modifier_51=self.modifier_51.isChecked(),
            distinct_modifier=self.distinct.currentText(),
            id=record_id,
        )

    def _address(self) -> tuple[QLineEdit, ...]:
        return (self.address1, self.address2, self.city, self.state, self.zip)

    def _write(self, payer: Payer) -> Payer:
        return self._store.save_payer(payer)

    def _saved_text(self, saved: Payer) -> str:
        return f"{saved.name} saved."

    @reporting("save the payer")
    def save(self) -> None:
        """Add or update the payer in the form."""
        self._save()


def _claims_address(payer: Payer) -> tuple[str, ...]:
    return (
        payer.claims_address1,
        payer.claims_address2,
        payer.claims_city,
        payer.claims_state,
        payer.claims_zip,
    )
