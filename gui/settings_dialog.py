"""Settings: the practice, providers, payers, the fee schedule, entry defaults, and backups.

Everything here is a business setting stored in the database through ``Store``; each tab saves on
its own button and shows a problem under the form in the store's own words. ``changed`` tells the
window to reload lists and fees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import icd10
from core.coding.model import LesionKind
from core.coding.tables import cpt_table, pos_table
from core.errors import InputError, SuperbillError
from core.money import format_cents, parse_dollars
from core.npi import npi_problem
from core.quick_entry import known_methods
from core.store import Store
from core.store.records import CODING_PAYERS, Payer, PayerKind, Provider
from core.store.settings import SETTINGS
from gui.errors import reporting
from gui.lesion_model import KIND_NAMES


def _named(widget: QWidget, name: str, accessible: str, tip: str = "") -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    if tip:
        widget.setToolTip(tip)
    return widget


def _message_label(name: str) -> QLabel:
    label = _named(QLabel(), name, "Problem or confirmation")
    label.setWordWrap(True)
    return label


def _show(label: QLabel, text: str, *, ok: bool) -> None:
    label.setStyleSheet("color: #1b5e20;" if ok else "color: #b3261e;")
    label.setText(text)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class SettingsDialog(QDialog):
    """Tabs: Practice, Providers, Payers, Fees, Defaults, Backup. Shown without blocking."""

    changed = Signal()

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        backup_now: Callable[[], object] | None = None,
        restore_backup: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setAccessibleName("Settings")
        self.setWindowTitle("Settings")
        self._store = store
        self.tabs = _named(QTabWidget(), "settingsTabs", "Settings pages")
        self.tabs.addTab(self._practice_tab(), "&Practice")
        self.tabs.addTab(self._providers_tab(), "P&roviders")
        self.tabs.addTab(self._payers_tab(), "P&ayers")
        self.tabs.addTab(self._fees_tab(), "&Fees")
        self.tabs.addTab(self._defaults_tab(), "&Defaults")
        self.tabs.addTab(self._backup_tab(backup_now, restore_backup), "&Backup")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.resize(760, 620)

    # -- practice ------------------------------------------------------------------------------
    def _practice_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        practice = self._store.practice()
        self.practice_fields: dict[str, QLineEdit] = {}
        for field, label in (
            ("name", "Practice name"),
            ("address1", "Address"),
            ("address2", "Address line 2"),
            ("city", "City"),
            ("state", "State"),
            ("zip", "ZIP"),
            ("phone", "Phone"),
            ("tax_id", "Tax ID (EIN)"),
            ("group_npi", "Group NPI"),
            ("taxonomy", "Taxonomy code"),
        ):
            edit = _named(QLineEdit(str(getattr(practice, field))), f"practice_{field}", label)
            self.practice_fields[field] = edit
            form.addRow(label, edit)
        self.practice_message = _message_label("practiceMessage")
        save = _named(QPushButton("Save practice"), "savePracticeButton", "Save the practice details")
        save.clicked.connect(self.save_practice)
        form.addRow(self.practice_message)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(save)
        form.addRow(save_row)
        return page

    @reporting("save the practice")
    def save_practice(self) -> None:
        """Store the practice details (the store checks NPI, tax id, ZIP)."""
        values = {field: edit.text() for field, edit in self.practice_fields.items()}
        try:
            self._store.update_practice(replace(self._store.practice(), **values))
        except InputError as error:
            _show(self.practice_message, error.text, ok=False)
            if error.field in self.practice_fields:
                self.practice_fields[error.field].setFocus()
            return
        _show(self.practice_message, "Practice details saved.", ok=True)
        self.changed.emit()

    # -- providers -----------------------------------------------------------------------------
    def _providers_tab(self) -> QWidget:
        page = QWidget()
        self.provider_list = _named(QListWidget(), "providerList", "Providers")
        self.provider_first = _named(QLineEdit(), "providerFirstName", "Provider first name")
        self.provider_last = _named(QLineEdit(), "providerLastName", "Provider last name")
        self.provider_credentials = _named(
            QLineEdit(), "providerCredentials", "Credentials", "MD, DO, PA-C, NP…"
        )
        self.provider_npi = _named(
            QLineEdit(), "providerNpi", "Provider NPI", "10 digits; the last is a check digit"
        )
        self.provider_npi_problem = _message_label("providerNpiProblem")
        self.provider_taxonomy = _named(QLineEdit(), "providerTaxonomy", "Provider taxonomy code")
        self.provider_active = _named(
            QCheckBox("Sees patients (shown in the provider list)"), "providerActive", "Active"
        )
        self.provider_message = _message_label("providerMessage")
        new = _named(QPushButton("New provider"), "newProviderButton", "Start a new provider")
        save = _named(QPushButton("Save provider"), "saveProviderButton", "Save the provider")
        form = QFormLayout()
        form.addRow("First name", self.provider_first)
        form.addRow("Last name", self.provider_last)
        form.addRow("Credentials", self.provider_credentials)
        form.addRow("NPI", self.provider_npi)
        form.addRow("", self.provider_npi_problem)
        form.addRow("Taxonomy", self.provider_taxonomy)
        form.addRow("", self.provider_active)
        form.addRow(self.provider_message)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addStretch(1)
        buttons.addWidget(save)
        form.addRow(buttons)
        layout = QHBoxLayout(page)
        layout.addWidget(self.provider_list, 1)
        layout.addLayout(form, 2)
        self.provider_npi.textEdited.connect(self._check_npi)
        self.provider_list.currentItemChanged.connect(self._provider_picked)
        new.clicked.connect(self._new_provider)
        save.clicked.connect(self.save_provider)
        self._editing_provider: Provider | None = None
        self._load_providers()
        self._new_provider()
        return page

    def _load_providers(self, select: int | None = None) -> None:
        self.provider_list.blockSignals(True)
        self.provider_list.clear()
        for provider in self._store.providers(include_inactive=True):
            text = provider.display_name + ("" if provider.active else " (inactive)")
            item = QListWidgetItem(f"{text} · NPI {provider.npi}")
            item.setData(256, provider)
            self.provider_list.addItem(item)
            if provider.id == select:
                self.provider_list.setCurrentItem(item)
        self.provider_list.blockSignals(False)

    def _provider_picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        provider: Provider = item.data(256)
        self._editing_provider = provider
        self.provider_first.setText(provider.first_name)
        self.provider_last.setText(provider.last_name)
        self.provider_credentials.setText(provider.credentials)
        self.provider_npi.setText(provider.npi)
        self.provider_taxonomy.setText(provider.taxonomy)
        self.provider_active.setChecked(provider.active)
        self.provider_npi_problem.clear()
        self.provider_message.clear()

    def _new_provider(self) -> None:
        self._editing_provider = None
        self.provider_list.clearSelection()
        for edit in (self.provider_first, self.provider_last, self.provider_credentials, self.provider_npi):
            edit.clear()
        self.provider_taxonomy.clear()
        self.provider_active.setChecked(True)
        self.provider_npi_problem.clear()
        self.provider_message.clear()

    def _check_npi(self, text: str) -> None:
        problem = npi_problem(text) if len(text.strip()) >= 10 else None
        _show(
            self.provider_npi_problem, (problem[0].upper() + problem[1:] + ".") if problem else "", ok=False
        )

    @reporting("save the provider")
    def save_provider(self) -> None:
        """Add or update the provider in the form (the NPI check digit is verified)."""
        base = self._editing_provider
        provider = Provider(
            first_name=self.provider_first.text(),
            last_name=self.provider_last.text(),
            npi=self.provider_npi.text(),
            credentials=self.provider_credentials.text().strip(),
            taxonomy=self.provider_taxonomy.text().strip(),
            active=self.provider_active.isChecked(),
            id=base.id if base else None,
        )
        try:
            saved = self._store.save_provider(provider)
        except InputError as error:
            _show(self.provider_message, error.text, ok=False)
            return
        self._editing_provider = saved
        self._load_providers(select=saved.id)
        _show(self.provider_message, f"{saved.display_name} saved.", ok=True)
        self.changed.emit()

    # -- payers --------------------------------------------------------------------------------
    def _payers_tab(self) -> QWidget:
        page = QWidget()
        self.payer_list = _named(QListWidget(), "payerList", "Payers")
        self.payer_name = _named(QLineEdit(), "payerName", "Payer name")
        self.payer_kind = _named(QComboBox(), "payerKind", "Kind of payer")
        for kind in PayerKind:
            self.payer_kind.addItem(kind.value.replace("_", " "), kind)
        self.payer_coding = _named(QComboBox(), "payerCodingRules", "Coding rules to follow")
        for word in CODING_PAYERS:
            self.payer_coding.addItem(word, word)
        self.payer_claims_id = _named(QLineEdit(), "payerClaimsId", "Electronic payer ID")
        self.payer_51 = _named(
            QCheckBox("Add modifier 51 to multiple procedures"), "payerModifier51", "Modifier 51"
        )
        self.payer_distinct = _named(QComboBox(), "payerDistinctModifier", "Distinct-procedure modifier")
        self.payer_distinct.addItems(["59", "XS"])
        self.payer_message = _message_label("payerMessage")
        new = _named(QPushButton("New payer"), "newPayerButton", "Start a new payer")
        save = _named(QPushButton("Save payer"), "savePayerButton", "Save the payer")
        form = QFormLayout()
        form.addRow("Name", self.payer_name)
        form.addRow("Kind", self.payer_kind)
        form.addRow("Coding rules", self.payer_coding)
        form.addRow("Payer ID", self.payer_claims_id)
        form.addRow("", self.payer_51)
        form.addRow("Distinct modifier", self.payer_distinct)
        form.addRow(self.payer_message)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addStretch(1)
        buttons.addWidget(save)
        form.addRow(buttons)
        layout = QHBoxLayout(page)
        layout.addWidget(self.payer_list, 1)
        layout.addLayout(form, 2)
        self.payer_list.currentItemChanged.connect(self._payer_picked)
        new.clicked.connect(self._new_payer)
        save.clicked.connect(self.save_payer)
        self._editing_payer: Payer | None = None
        self._load_payers()
        self._new_payer()
        return page

    def _load_payers(self, select: int | None = None) -> None:
        self.payer_list.blockSignals(True)
        self.payer_list.clear()
        for payer in self._store.payers():
            item = QListWidgetItem(f"{payer.name} ({payer.kind.value.replace('_', ' ')})")
            item.setData(256, payer)
            self.payer_list.addItem(item)
            if payer.id == select:
                self.payer_list.setCurrentItem(item)
        self.payer_list.blockSignals(False)

    def _payer_picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        payer: Payer = item.data(256)
        self._editing_payer = payer
        self.payer_name.setText(payer.name)
        self.payer_kind.setCurrentIndex(self.payer_kind.findData(payer.kind))
        self.payer_coding.setCurrentIndex(self.payer_coding.findData(payer.coding_payer))
        self.payer_claims_id.setText(payer.payer_id)
        self.payer_51.setChecked(payer.use_modifier_51)
        self.payer_distinct.setCurrentText(payer.distinct_modifier)
        self.payer_message.clear()

    def _new_payer(self) -> None:
        self._editing_payer = None
        self.payer_list.clearSelection()
        self.payer_name.clear()
        self.payer_kind.setCurrentIndex(self.payer_kind.findData(PayerKind.COMMERCIAL))
        self.payer_coding.setCurrentIndex(self.payer_coding.findData("commercial"))
        self.payer_claims_id.clear()
        self.payer_51.setChecked(False)
        self.payer_distinct.setCurrentText("59")
        self.payer_message.clear()

    @reporting("save the payer")
    def save_payer(self) -> None:
        """Add or update the payer in the form."""
        base = self._editing_payer
        payer = Payer(
            name=self.payer_name.text().strip(),
            kind=self.payer_kind.currentData(),
            coding_payer=self.payer_coding.currentData(),
            payer_id=self.payer_claims_id.text().strip(),
            use_modifier_51=self.payer_51.isChecked(),
            distinct_modifier=self.payer_distinct.currentText(),
            id=base.id if base else None,
        )
        try:
            saved = self._store.save_payer(payer)
        except InputError as error:
            _show(self.payer_message, error.text, ok=False)
            return
        self._editing_payer = saved
        self._load_payers(select=saved.id)
        _show(self.payer_message, f"{saved.name} saved.", ok=True)
        self.changed.emit()

    # -- fees ----------------------------------------------------------------------------------
    def _fees_tab(self) -> QWidget:
        page = QWidget()
        today = self._store.today()
        self.fee_date = _named(QDateEdit(_qdate(today)), "feeDate", "Show the fees in force on this day")
        self.fee_date.setCalendarPopup(True)
        self.fee_date.setDisplayFormat("MM/dd/yyyy")
        self.fee_table = _named(QTableWidget(0, 4), "feeTable", "Fee schedule")
        self.fee_table.setHorizontalHeaderLabels(["CPT", "Description", "Fee per unit", "In force"])
        header = self.fee_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.fee_table.setWordWrap(False)
        self.fee_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.fee_table.verticalHeader().setVisible(False)
        self.fee_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.fee_cpt = _named(QComboBox(), "feeCpt", "Code to set a fee for")
        for code, row in sorted(cpt_table().items()):
            self.fee_cpt.addItem(f"{code} — {row.description}", code)
        self.fee_amount = _named(QLineEdit(), "feeAmount", "Fee per unit in dollars", "For example 125.00")
        self.fee_from = _named(QDateEdit(_qdate(today)), "feeEffectiveFrom", "First day the new fee applies")
        self.fee_from.setCalendarPopup(True)
        self.fee_from.setDisplayFormat("MM/dd/yyyy")
        self.fee_message = _message_label("feeMessage")
        save = _named(QPushButton("Set fee"), "setFeeButton", "Set the fee from that day on")
        top = QHBoxLayout()
        top.addWidget(QLabel("Fees in force on"))
        top.addWidget(self.fee_date)
        top.addStretch(1)
        form = QFormLayout()
        form.addRow("Code", self.fee_cpt)
        form.addRow("Fee per unit ($)", self.fee_amount)
        form.addRow("From", self.fee_from)
        form.addRow(self.fee_message)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(save)
        form.addRow(save_row)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.fee_table, 1)
        layout.addLayout(form)
        self.fee_date.dateChanged.connect(lambda _d: self._load_fees())
        self.fee_table.currentCellChanged.connect(self._fee_picked)
        save.clicked.connect(self.set_fee)
        self.fee_amount.returnPressed.connect(self.set_fee)
        self._load_fees()
        return page

    def _load_fees(self) -> None:
        day = self.fee_date.date().toPython()
        descriptions = cpt_table()
        entries = self._store.fee_schedule(day)
        self.fee_table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            until = f"until {entry.effective_to:%m/%d/%Y}" if entry.effective_to else "no end date"
            cells = (
                entry.cpt,
                descriptions[entry.cpt].description if entry.cpt in descriptions else "",
                format_cents(entry.unit_fee_cents),
                f"from {entry.effective_from:%m/%d/%Y}, {until}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.fee_table.setItem(row, column, item)

    def _fee_picked(self, row: int, *_rest: int) -> None:
        item = self.fee_table.item(row, 0)
        if item is not None:
            self.fee_cpt.setCurrentIndex(self.fee_cpt.findData(item.text()))

    @reporting("set the fee")
    def set_fee(self) -> None:
        """Set the chosen code's fee from the chosen day on (earlier fees stay for earlier visits)."""
        try:
            cents = parse_dollars(self.fee_amount.text(), field="Fee per unit")
            entry = self._store.set_fee(self.fee_cpt.currentData(), cents, self.fee_from.date().toPython())
        except InputError as error:
            _show(self.fee_message, error.text, ok=False)
            return
        _show(
            self.fee_message,
            f"{entry.cpt}: {format_cents(entry.unit_fee_cents)} from {entry.effective_from:%m/%d/%Y}.",
            ok=True,
        )
        self.fee_amount.clear()
        self._load_fees()
        self.changed.emit()

    # -- defaults ------------------------------------------------------------------------------
    def _defaults_tab(self) -> QWidget:
        page = QWidget()
        practice = self._store.practice()
        form = QFormLayout(page)
        self.default_pos = _named(QComboBox(), "defaultPos", "Default place of service")
        for code, place in sorted(pos_table().items()):
            self.default_pos.addItem(f"{code} — {place.name}", code)
        self.default_pos.setCurrentIndex(self.default_pos.findData(practice.default_pos))
        form.addRow("Place of service", self.default_pos)
        self.default_methods: dict[LesionKind, QComboBox] = {}
        self.default_diagnoses: dict[LesionKind, QLineEdit] = {}
        for kind in LesionKind:
            method = _named(
                QComboBox(), f"defaultMethod_{kind.value}", f"Default method for {kind.value} lesions"
            )
            for name in known_methods():
                method.addItem(name, name)
            method.setCurrentIndex(max(method.findData(practice.default_methods.get(kind, "cryosurgery")), 0))
            diagnosis = _named(
                QLineEdit(practice.default_diagnoses.get(kind, "")),
                f"defaultDiagnosis_{kind.value}",
                f"Default diagnosis for {kind.value} lesions",
                "An ICD-10-CM code; leave empty to always type it",
            )
            self.default_methods[kind] = method
            self.default_diagnoses[kind] = diagnosis
            row = QHBoxLayout()
            row.addWidget(method)
            row.addWidget(diagnosis)
            form.addRow(KIND_NAMES[kind], row)
        self.setting_widgets: dict[str, QWidget] = {}
        for name, setting in SETTINGS.items():
            value = self._store.setting(name)
            widget: QWidget
            if name == "default_provider_id":  # an id: offer the providers by name
                widget = QComboBox()
                widget.addItem("the first active provider", 0)
                for provider in self._store.providers():
                    widget.addItem(provider.display_name, provider.id)
                widget.setCurrentIndex(max(widget.findData(int(value)), 0))
            elif setting.kind is bool:
                widget = QCheckBox(setting.label)
                widget.setChecked(bool(value))
            elif setting.kind is int:
                widget = QSpinBox()
                widget.setRange(setting.minimum or 0, 10_000)
                widget.setValue(int(value))
            else:
                widget = QLineEdit(str(value))
            _named(widget, f"setting_{name}", setting.label)
            self.setting_widgets[name] = widget
            form.addRow("" if setting.kind is bool else setting.label, widget)
        self.defaults_message = _message_label("defaultsMessage")
        save = _named(QPushButton("Save defaults"), "saveDefaultsButton", "Save the defaults")
        save.clicked.connect(self.save_defaults)
        form.addRow(self.defaults_message)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(save)
        form.addRow(save_row)
        return page

    @reporting("save the defaults")
    def save_defaults(self) -> None:
        """Store the default place of service, methods and diagnoses, and the declared settings."""
        diagnoses: dict[LesionKind, str] = {}
        for kind, edit in self.default_diagnoses.items():
            code = edit.text().strip().upper()
            if not code:
                continue
            found = icd10.lookup(code)
            if found is None or not found.billable:
                why = "is not an ICD-10-CM code" if found is None else "is a category, not a billable code"
                _show(
                    self.defaults_message,
                    f"Default diagnosis for {KIND_NAMES[kind].lower()} lesions: “{code}” {why}. "
                    "Type a billable code such as L57.0, or leave it empty.",
                    ok=False,
                )
                edit.setFocus()
                return
            diagnoses[kind] = found.code
        methods = {kind: combo.currentData() for kind, combo in self.default_methods.items()}
        try:
            with self._store.transaction():
                self._store.update_practice(
                    replace(
                        self._store.practice(),
                        default_pos=self.default_pos.currentData(),
                        default_methods=methods,
                        default_diagnoses=diagnoses,
                    )
                )
                for name, widget in self.setting_widgets.items():
                    if isinstance(widget, QComboBox):
                        self._store.set_setting(name, widget.currentData())
                    elif isinstance(widget, QCheckBox):
                        self._store.set_setting(name, widget.isChecked())
                    elif isinstance(widget, QSpinBox):
                        self._store.set_setting(name, widget.value())
                    else:
                        self._store.set_setting(name, widget.text())
        except SuperbillError as error:
            _show(self.defaults_message, error.text, ok=False)
            return
        _show(self.defaults_message, "Defaults saved.", ok=True)
        self.changed.emit()

    # -- backup --------------------------------------------------------------------------------
    def _backup_tab(
        self, backup_now: Callable[[], object] | None, restore: Callable[[], object] | None
    ) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        text = QLabel(
            "A backup is a copy of the whole database: patients, encounters, fees and settings. "
            "Keep one on a USB stick or another computer. Restoring replaces the database with the "
            "backup; the current file is kept aside first."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        backup_button = _named(QPushButton("Back up now…"), "backupNowButton", "Back up the database now")
        restore_button = _named(QPushButton("Restore from a backup…"), "restoreButton", "Restore a backup")
        backup_button.setEnabled(backup_now is not None)
        restore_button.setEnabled(restore is not None)
        if backup_now is not None:
            backup_button.clicked.connect(backup_now)
        if restore is not None:
            restore_button.clicked.connect(lambda: (self.close(), restore()))
        row = QHBoxLayout()
        row.addWidget(backup_button)
        row.addWidget(restore_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page
