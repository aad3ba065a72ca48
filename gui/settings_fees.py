"""The Fees page of the settings: the fee schedule in force on a day, and setting a code's fee from a
day on (earlier visits keep the fee of their date)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.coding.tables import cpt_table
from core.dates import shown_date
from core.errors import InputError
from core.money import format_cents, parse_dollars
from core.store import Store
from gui.errors import reporting
from gui.settings_form import button_row, message_label, show_message
from gui.widget_names import named


def _date_field(day: date, name: str, accessible: str) -> QDateEdit:
    field = named(QDateEdit(QDate(day)), name, accessible)
    field.setCalendarPopup(True)
    field.setDisplayFormat("MM/dd/yyyy")
    return field


def as_date(day: QDate) -> date:
    """The ``date`` of a ``QDate`` (``QDate.toPython`` is typed as any of date, datetime or time)."""
    return date(day.year(), day.month(), day.day())


class FeesPage(QWidget):
    """The fee of each code, in force on the day chosen at the top; *Set fee* adds a fee from a day on."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        today = store.today()
        self.day = _date_field(today, "feeDate", "Show the fees in force on this day")
        self.table = named(QTableWidget(0, 4), "feeTable", "Fee schedule")
        self.table.setHorizontalHeaderLabels(["CPT", "Description", "Fee per unit", "In force"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cpt = named(QComboBox(), "feeCpt", "Code to set a fee for")
        for code, row in sorted(cpt_table().items()):
            self.cpt.addItem(f"{code} — {row.description}", code)
        self.amount = named(QLineEdit(), "feeAmount", "Fee per unit in dollars", "For example 125.00")
        self.effective_from = _date_field(today, "feeEffectiveFrom", "First day the new fee applies")
        self.message = message_label("feeMessage")
        save = named(QPushButton("Set fee"), "setFeeButton", "Set the fee from that day on")
        top = QHBoxLayout()
        top.addWidget(QLabel("Fees in force on"))
        top.addWidget(self.day)
        top.addStretch(1)
        form = QFormLayout()
        form.addRow("Code", self.cpt)
        form.addRow("Fee per unit ($)", self.amount)
        form.addRow("From", self.effective_from)
        form.addRow(self.message)
        form.addRow(button_row(None, save))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        self.day.dateChanged.connect(lambda _d: self._load())
        self.table.currentCellChanged.connect(self._picked)
        save.clicked.connect(self.set_fee)
        self.amount.returnPressed.connect(self.set_fee)
        self._load()

    def _load(self) -> None:
        descriptions = cpt_table()
        entries = self._store.fee_schedule(as_date(self.day.date()))
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            until = f"until {shown_date(entry.effective_to)}" if entry.effective_to else "no end date"
            cells = (
                entry.cpt,
                descriptions[entry.cpt].description if entry.cpt in descriptions else "",
                format_cents(entry.unit_fee_cents),
                f"from {shown_date(entry.effective_from)}, {until}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)

    def _picked(self, row: int, *_rest: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.cpt.setCurrentIndex(self.cpt.findData(item.text()))

    @reporting("set the fee")
    def set_fee(self) -> None:
        """Set the chosen code's fee from the chosen day on (earlier fees stay for earlier visits)."""
        try:
            cents = parse_dollars(self.amount.text(), field="Fee per unit")
            entry = self._store.set_fee(self.cpt.currentData(), cents, as_date(self.effective_from.date()))
        except InputError as error:
            show_message(self.message, error.text, ok=False)
            return
        show_message(
            self.message,
            f"{entry.cpt}: {format_cents(entry.unit_fee_cents)} from {shown_date(entry.effective_from)}.",
            ok=True,
        )
        self.amount.clear()
        self._load()
        self.changed.emit()
