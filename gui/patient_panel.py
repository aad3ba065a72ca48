"""Finding a patient (search as you type) and adding a new one (a form that shows problems by the field).

``patient_chosen`` carries the patient whose new encounter should open: a search result opened with
Enter or a double-click, or a patient just saved with the form.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.dates import shown_date
from core.errors import InputError, StaleRecordError
from core.store import Store
from core.store.records import Patient
from core.text import counted
from gui.dialogs import dialogs
from gui.errors import reporting
from gui.patient_form import PatientForm
from gui.patient_model import PatientResultsModel, PatientRow
from gui.table_model import RECORD_ROLE, SORT_ROLE
from gui.views import RecordTableView


class SearchLine(QLineEdit):
    """The search field: Down moves into the results, Enter opens the only match."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class PatientPanel(QWidget):
    """Patient search with its results, and the new-patient form (hidden until asked for)."""

    patient_chosen = Signal(object)
    #: an existing patient's details were corrected
    patient_changed = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientPanel")
        self.setAccessibleName("Patients")
        self._store = store

        self.search = SearchLine()
        self.search.setObjectName("patientSearch")
        self.search.setAccessibleName("Find a patient")
        self.search.setPlaceholderText("Name, date of birth (MM/DD/YYYY) or chart number")
        self.search.setToolTip("Results update as you type; Down arrow moves to the list (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.results_model = PatientResultsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.results_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.results = RecordTableView("patientResults", "Patients found")
        self.results.setModel(self.proxy)
        self.results.setToolTip("Enter or double-click starts a visit for the patient on the day shown")
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setStretchLastSection(False)  # a long payer scrolls, never cut
        self.new_button = QPushButton("New patient…")
        self.new_button.setObjectName("newPatientButton")
        self.new_button.setAccessibleName("Add a new patient")
        self.new_button.setToolTip("Add a new patient (Ctrl+N)")
        self.hint = QLabel()
        self.hint.setObjectName("patientSearchHint")
        self.hint.setAccessibleName("Search result count")
        self.hint.setWordWrap(True)  # a long hint wraps instead of widening the window

        self.form = PatientForm()
        # the form scrolls on small screens instead of squeezing the day sheet above it
        self.form_area = QScrollArea()
        self.form_area.setObjectName("patientFormArea")
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.NoFrame)
        self.form_area.setWidget(self.form)
        self.form_area.setVisible(False)

        search_row = QHBoxLayout()
        label = QLabel("Fi&nd patient")  # Alt+F opens the File menu; Ctrl+F also goes here
        label.setBuddy(self.search)
        search_row.addWidget(label)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        layout.addWidget(self.hint)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.form_area, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_return)
        self.search.down_pressed.connect(self._focus_results)
        self.results.activated.connect(self._result_activated)
        self.new_button.clicked.connect(self.open_form)
        self.form.save_button.clicked.connect(self.save_patient)
        self.form.cancel_button.clicked.connect(self.cancel_form)
        # Esc in the form is Cancel, as in a dialog (the form sits in the window, so Qt gives it no Esc)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.form_area)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancel_form)
        self._opened_with: tuple[object, ...] = ()
        for line in self.form.text_fields():
            line.returnPressed.connect(self.save_patient)
        self.run_search()  # an empty search lists everyone: the list is never blank at start

    def set_store(self, store: Store) -> None:
        """Use ``store`` from now on (after a backup was restored, the window reopens the file)."""
        self._store = store
        if store.account is not None:  # a restored file is searched once someone signed in to it
            self.run_search()

    # -- search ----------------------------------------------------------------------------------
    def _payer_names(self) -> dict[int, str]:
        return {payer.id: payer.name for payer in self._store.payers() if payer.id is not None}

    def run_search(self) -> None:
        """Search the store for the text typed (also run by the typing timer)."""
        self._timer.stop()
        text = self.search.text().strip()
        names = self._payer_names()
        # an empty search lists everyone by name, so the front desk can browse
        found = self._store.search_patients(text) if text else self._store.browse_patients()
        self.results_model.set_records(
            [PatientRow(p, names.get(p.payer_id, "") if p.payer_id else "") for p in found]
        )
        if found and not text:
            self.hint.setText(
                f"All patients by name ({counted(len(found), 'patient')}) — type part of a name, a "
                "birth date or a chart number to narrow the list."
            )
        elif found:
            self.results.setCurrentIndex(self.proxy.index(0, 0))
            self.hint.setText(f"{len(found)} found — Enter starts a visit, Down arrow moves in the list.")
        else:
            self.hint.setText("Nobody found. Check the spelling, or add a new patient.")

    def _search_return(self) -> None:
        self.run_search()
        if self.results_model.rowCount() == 1:
            self.patient_chosen.emit(self.results_model.record(0).patient)
        elif self.results_model.rowCount() > 1:
            self._focus_results()

    def _focus_results(self) -> None:
        self.run_search()
        if self.proxy.rowCount():
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.proxy.index(0, 0))

    def _result_activated(self, index: QModelIndex) -> None:
        row: PatientRow | None = self.proxy.data(index, RECORD_ROLE)
        if row is not None:
            self.patient_chosen.emit(row.patient)

    # -- the form (gui.patient_form) ---------------------------------------------------------------
    def edit_patient(self, patient: Patient) -> None:
        """Show the form filled with ``patient`` to correct it (insurance, address, spelling)."""
        if patient.id is not None:
            self._store.record_view(patient.id, "details")
        self.open_form()
        self.form.show_patient(patient)
        self._opened_with = self.form.contents()

    def open_form(self) -> None:
        """Show an empty new-patient form, prefilled with a name typed in the search."""
        self.form.start_new(self._store.payers(), self.search.text())
        self.form_area.setVisible(True)
        self.results.setVisible(False)
        self.form_area.verticalScrollBar().setValue(0)  # it opens at the top, whatever was shown last
        self.form.first_name.setFocus()
        self._opened_with = self.form.contents()

    def cancel_form(self) -> None:
        """Cancel or Esc: close the form. When something was typed or changed since it opened, ask first;
        Enter and Esc on that question keep the form (what staff typed is never dropped by one key)."""
        if self.form_area.isVisible() and self.form.contents() != self._opened_with:
            keep = not dialogs().ask(
                self,
                "Close the patient form?",
                "What you typed in the patient form is not saved. Drop it and close the form, or keep "
                "editing?",
                "Drop it and close",
                "Keep editing",
                default_yes=False,
            )
            if keep:
                return
        self.close_form()

    def close_form(self) -> None:
        """Hide the form (what was typed is dropped)."""
        self.form_area.setVisible(False)
        self.results.setVisible(True)
        self.search.setFocus()

    def field_error(self, name: str) -> str:
        """The problem shown under the form's field ``name`` (empty when none)."""
        return self.form.field_error(name)

    def _show_field_error(self, error: InputError) -> None:
        shown = self.form.show_field_error(error)
        if shown is None:
            dialogs().problem(self, "Could not save the patient", error.text)
            return
        # the form scrolls on a small screen: bring the field and its problem line into sight, now and
        # once the problem line just shown has its place (the layout settles on the next turn)
        self._reveal(*shown)
        QTimer.singleShot(0, self, lambda: self._reveal(*shown))

    def _reveal(self, field: QWidget, problem: QWidget) -> None:
        for widget in (problem, field):
            self.form_area.ensureWidgetVisible(widget, 8, 8)

    @reporting("save the patient")
    def save_patient(self) -> Patient | None:
        """Check and save the form; asks first when a similar patient is already on file."""
        self.form.clear_errors()
        try:
            patient = self.form.patient()
            if patient.id is not None:
                return self._save_changes(patient)
            similar = self._store.similar_patients(patient)
            if similar:
                chosen = self._ask_duplicate(patient, similar)
                if chosen is None:
                    return None
                if chosen.id is not None:
                    self.close_form()
                    self.patient_chosen.emit(chosen)
                    return chosen
            saved = self._store.save_patient(patient)
        except InputError as error:
            self._show_field_error(error)
            return None
        self.close_form()
        self.search.setText(saved.chart_number)
        self.run_search()
        self.patient_chosen.emit(saved)
        return saved

    def _save_changes(self, patient: Patient) -> Patient | None:
        try:
            saved = self._store.save_patient(patient)
        except StaleRecordError as changed:
            return self._changed_elsewhere(changed, patient)
        self.close_form()
        self.run_search()
        self.patient_changed.emit(saved)
        return saved

    def _changed_elsewhere(self, changed: StaleRecordError, mine: Patient) -> Patient | None:
        """Another window or program saved this patient since the form was filled: the user decides
        whether to see the patient as saved now (the form's changes are dropped) or to save the form
        over it. Closing the question keeps the form as typed."""
        assert mine.id is not None
        stored = self._store.get_patient(mine.id)
        keep = dialogs().choose(
            self,
            "Changed in another window",
            changed.text,
            ["Show the patient as it is now", "Keep mine and save it"],
        )
        if keep == 1:
            return self._save_changes(replace(mine, version=stored.version))
        if keep == 0:
            self.edit_patient(stored)
        return None

    def _ask_duplicate(self, patient: Patient, similar: list[Patient]) -> Patient | None:
        """Is ``patient`` someone on file? Returns that patient, ``patient`` itself, or ``None`` (go back)."""
        existing = similar[0]
        answer = dialogs().choose(
            self,
            "Is this the same person?",
            f"{existing.display_name}, born {shown_date(existing.date_of_birth)} "
            f"(chart {existing.chart_number}) is already on file and looks like "
            f"{patient.display_name}, born {shown_date(patient.date_of_birth)}.\n\n"
            "Use the patient on file, or save a new, different patient?",
            [f"Use {existing.display_name}", "Save as a new patient", "Go back to the form"],
        )
        if answer == 0:
            return existing
        if answer == 1:
            return patient
        return None
