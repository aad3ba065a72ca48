"""Settings: the practice, providers, payers, the fee schedule, entry defaults, and backups.

Everything here is a business setting stored in the database through ``Store``; each tab saves on
its own button and shows a problem under the form in the store's own words. ``changed`` tells the
window to reload lists and fees. The Providers and Payers pages live in ``gui.settings_records``,
the Fees page in ``gui.settings_fees``; this module holds the dialog and its Practice, Defaults and
Backup pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import icd10
from core.coding import kinds
from core.coding.model import LesionKind
from core.coding.tables import pos_table
from core.errors import InputError, SuperbillError
from core.quick_entry import known_methods
from core.store import Store
from core.store.settings import SETTINGS
from gui.errors import reporting
from gui.lesion_model import KIND_NAMES
from gui.settings_fees import FeesPage
from gui.settings_form import button_row, message_label, show_message
from gui.settings_records import PayersPage, ProvidersPage
from gui.widget_names import named
from gui.window_state import fit_on_screen


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
        self.tabs = named(QTabWidget(), "settingsTabs", "Settings pages")
        self.tabs.addTab(self._practice_tab(), "&Practice")
        for page, title in (
            (ProvidersPage(store), "P&roviders"),
            (PayersPage(store), "P&ayers"),
            (FeesPage(store), "&Fees"),
        ):
            page.changed.connect(self.changed)
            self.tabs.addTab(page, title)
        self.tabs.addTab(self._defaults_tab(), "&Defaults")
        self.tabs.addTab(self._backup_tab(backup_now, restore_backup), "&Backup")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.resize(760, 620)
        fit_on_screen(self)

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
            edit = named(QLineEdit(str(getattr(practice, field))), f"practice_{field}", label)
            self.practice_fields[field] = edit
            form.addRow(label, edit)
        self.practice_message = message_label("practiceMessage")
        save = named(QPushButton("Save practice"), "savePracticeButton", "Save the practice details")
        save.clicked.connect(self.save_practice)
        form.addRow(self.practice_message)
        form.addRow(button_row(None, save))
        return page

    @reporting("save the practice")
    def save_practice(self) -> None:
        """Store the practice details (the store checks NPI, tax id, ZIP)."""
        # the practice's text fields by name (the store checks each)
        values: dict[str, Any] = {field: edit.text() for field, edit in self.practice_fields.items()}
        try:
            self._store.update_practice(replace(self._store.practice(), **values))
        except InputError as error:
            show_message(self.practice_message, error.text, ok=False)
            if error.field in self.practice_fields:
                self.practice_fields[error.field].setFocus()
            return
        show_message(self.practice_message, "Practice details saved.", ok=True)
        self.changed.emit()

    # -- defaults ------------------------------------------------------------------------------
    def _defaults_tab(self) -> QWidget:
        page = QWidget()
        practice = self._store.practice()
        form = QFormLayout(page)
        self.default_pos = named(QComboBox(), "defaultPos", "Default place of service")
        for code, place in sorted(pos_table().items()):
            self.default_pos.addItem(f"{code} — {place.name}", code)
        self.default_pos.setCurrentIndex(self.default_pos.findData(practice.default_pos))
        form.addRow("Place of service", self.default_pos)
        self.default_methods: dict[LesionKind, QComboBox] = {}
        self.default_diagnoses: dict[LesionKind, QLineEdit] = {}
        for kind in LesionKind:
            method = named(
                QComboBox(), f"defaultMethod_{kind.value}", f"Default method for {kind.value} lesions"
            )
            for name in known_methods():
                method.addItem(name, name)
            method.setCurrentIndex(max(method.findData(practice.default_methods.get(kind, "cryosurgery")), 0))
            diagnosis = named(
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
        self.setting_widgets: dict[str, QComboBox | QCheckBox | QSpinBox | QLineEdit] = {}
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
            named(widget, f"setting_{name}", setting.label)
            self.setting_widgets[name] = widget
            form.addRow("" if setting.kind is bool else setting.label, widget)
        self.defaults_message = message_label("defaultsMessage")
        save = named(QPushButton("Save defaults"), "saveDefaultsButton", "Save the defaults")
        save.clicked.connect(self.save_defaults)
        form.addRow(self.defaults_message)
        form.addRow(button_row(None, save))
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
                show_message(
                    self.defaults_message,
                    f"Default diagnosis for {KIND_NAMES[kind].lower()} lesions: “{code}” {why}. "
                    f"Type a billable code such as {kinds.example_diagnosis(kind)}, or leave it empty.",
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
            show_message(self.defaults_message, error.text, ok=False)
            return
        show_message(self.defaults_message, "Defaults saved.", ok=True)
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
        backup_button = named(QPushButton("Back up now…"), "backupNowButton", "Back up the database now")
        restore_button = named(QPushButton("Restore from a backup…"), "restoreButton", "Restore a backup")
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
