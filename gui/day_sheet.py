"""The day sheet: pick a day (back, forward, Today) and see its encounters with their codes and charges."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import visit
from core.money import format_cents
from core.store import Store
from core.store.records import EncounterRecord, EncounterStatus, Patient
from core.text import counted
from gui.day_model import DayModel, DayRow
from gui.table_model import RECORD_ROLE, SORT_ROLE
from gui.views import RecordTableView
from gui.widget_names import named


def to_qdate(day: date) -> QDate:
    """A ``date`` as a ``QDate``."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    """A ``QDate`` as a ``date``."""
    return date(day.year(), day.month(), day.day())


class DaySheet(QWidget):
    """The encounters of one day. ``encounter_activated`` carries the id of the row opened."""

    encounter_activated = Signal(int)
    day_changed = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("daySheet")
        self.setAccessibleName("Day sheet")
        self._store = store
        #: provider id -> name as the sheet shows it (read with the day)
        self._providers: dict[int | None, str] = {}

        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("dayDate")
        self.date_edit.setAccessibleName("Day shown")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd MM/dd/yyyy")
        self.date_edit.setToolTip("The day shown (Alt+Left / Alt+Right change it)")
        self.back_button = named(
            QPushButton("◀"), "previousDayButton", "Previous day", "Previous day (Alt+Left)"
        )
        self.forward_button = named(QPushButton("▶"), "nextDayButton", "Next day", "Next day (Alt+Right)")
        for arrow in (self.back_button, self.forward_button):
            arrow.setMaximumWidth(arrow.fontMetrics().horizontalAdvance("◀") * 4)
        self.today_button = named(QPushButton("Today"), "todayButton", "Go to today", "Go to today (Ctrl+T)")
        self.print_day_button = named(
            QPushButton("Print day…"),
            "printDayButton",
            "Print every superbill of the day",
            "One PDF with every superbill of this day (Ctrl+Shift+P)",
        )

        self.model = DayModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = RecordTableView("dayTable", "Encounters of the day")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        # names, provider, charges and status as wide as their text (a narrow window scrolls sideways;
        # a stretched provider column collapsed to "Dan…"); lesions and codes share the rest, each
        # cell's tooltip holding its whole text
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DayModel.COL_LESIONS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DayModel.COL_CODES, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setToolTip("Enter or double-click opens the encounter")
        self.totals = QLabel()
        self.totals.setObjectName("dayTotals")
        self.totals.setAccessibleName("Totals of the day")
        self.totals.setWordWrap(True)

        nav = QHBoxLayout()
        title = QLabel("Da&y")  # Alt+D opens the Day menu
        title.setBuddy(self.date_edit)
        nav.addWidget(title)
        nav.addWidget(self.back_button)
        nav.addWidget(self.date_edit)
        nav.addWidget(self.forward_button)
        nav.addWidget(self.today_button)
        nav.addStretch(1)
        nav.addWidget(self.print_day_button)
        bottom = QHBoxLayout()
        # the label takes the whole width, right-aligned: beside a stretch, a word-wrapping label gets
        # its narrow preferred width and the charges went onto a second line
        self.totals.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.totals, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(nav)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.date_edit.setDate(to_qdate(store.today()))
        self.date_edit.dateChanged.connect(self._date_changed)
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.forward_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_to_today)
        self.table.activated.connect(self._activated)
        self.reload()

    def set_store(self, store: Store) -> None:
        """Use ``store`` from now on (after a backup was restored, the window reopens the file)."""
        self._store = store

    # -- the day ---------------------------------------------------------------------------------
    @property
    def day(self) -> date:
        """The day shown."""
        return from_qdate(self.date_edit.date())

    def set_day(self, day: date) -> None:
        """Show ``day``."""
        self.date_edit.setDate(to_qdate(day))

    def step(self, days: int) -> None:
        """Move the shown day by ``days``."""
        self.date_edit.setDate(self.date_edit.date().addDays(days))

    def go_to_today(self) -> None:
        """Show today."""
        self.set_day(self._store.today())

    def _date_changed(self, _qdate: QDate) -> None:
        self.reload()
        self.day_changed.emit(self.day)

    # -- rows ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the day's encounters from the store again; the highlighted visit stays highlighted (after
        a lock, a restore or a change from another program the sheet still points at the editor's visit)."""
        highlighted = self._highlighted_id()
        self._providers = {p.id: p.display_name for p in self._store.providers(include_inactive=True)}
        self.model.set_records([self._row(e) for e in self._store.encounters_on(self.day)])
        self._show_totals()
        if highlighted is not None:
            self.select_encounter(highlighted)

    def _highlighted_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            return None
        row: DayRow = self.model.records()[self.proxy.mapToSource(index).row()]
        return row.encounter.id

    def show_encounter(
        self,
        encounter: EncounterRecord,
        coded: visit.CodedVisit | None = None,
        patient: Patient | None = None,
        *,
        select: bool = True,
    ) -> None:
        """Add or update one encounter's row after it was saved (only that row changes). The editor
        passes the coding it just made and the patient it shows, so the sheet neither codes the draft
        again nor reads anything from the database. ``select``: the row becomes the highlighted one
        (the editor's own visit); rows changed in passing (a day marked printed) leave the highlight."""
        if encounter.date_of_service != self.day:
            self.reload()
            return
        row = self.model.row_of(encounter.id) if encounter.id is not None else None
        if row is None:
            self.model.append_record(self._row(encounter, coded, patient))
        else:
            self.model.replace_record(row, self._row(encounter, coded, patient))
        self._show_totals()
        if select:
            self.select_encounter(encounter.id)

    def select_encounter(self, encounter_id: int | None) -> None:
        """Make ``encounter_id``'s row the current one; with ``None`` (or a visit not on this day) no
        row is highlighted, so the sheet never points at another visit than the editor shows."""
        row = self.model.row_of(encounter_id) if encounter_id is not None else None
        if row is None:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
            return
        self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def _row(
        self,
        encounter: EncounterRecord,
        coded: visit.CodedVisit | None = None,
        patient: Patient | None = None,
    ) -> DayRow:
        if patient is None or patient.id != encounter.patient_id:
            patient = self._store.get_patient(encounter.patient_id)
        if encounter.provider_id not in self._providers:
            self._providers[encounter.provider_id] = self._store.get_provider(
                encounter.provider_id
            ).display_name
        if encounter.status is EncounterStatus.DRAFT:
            # what a draft would bill now: the editor's coding, or (reading the day) coded here once
            if coded is None:
                coded = visit.code_stored(self._store, encounter)
            codes = ("needs attention",) if coded.has_errors else visit.short_codes(coded.lines)
            charge = 0 if coded.has_errors else coded.total_cents
        else:
            codes, charge = visit.short_codes(encounter.lines), encounter.total_cents
        return DayRow(encounter, patient.display_name, self._providers[encounter.provider_id], codes, charge)

    def _show_totals(self) -> None:
        rows = self.model.records()
        drafts = sum(1 for r in rows if r.encounter.status is EncounterStatus.DRAFT)
        finals = sum(1 for r in rows if r.encounter.is_billed)
        charges = format_cents(self.model.total_cents())
        self.totals.setText(
            f"{counted(len(rows), 'visit')} · {finals} final · {counted(drafts, 'draft')} · charges {charges}"
        )
        # always clickable: with nothing final the window says why instead of a silent grey button
        self.print_day_button.setToolTip(
            f"One PDF with the {counted(finals, 'final superbill')} of this day (Ctrl+Shift+P)"
            if finals
            else "No visit of this day is saved as final yet: save visits as final (Ctrl+S) to print them"
        )

    def _activated(self, index: QModelIndex) -> None:
        record: DayRow = self.proxy.data(index, RECORD_ROLE)
        if record is not None and record.encounter.id is not None:
            self.encounter_activated.emit(record.encounter.id)
