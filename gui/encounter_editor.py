"""The encounter editor: who and where, the lesions (quick entry and table), and the live coding.

Every edit recodes the encounter with the coding engine and saves it as a draft, so a crash or a
closed window never loses more than the keystroke being typed. ``finalize`` (Ctrl+S) blocks on
errors and asks about warnings through the dialog seam.

Before a patient is chosen the editor still takes lesions: they make a *pending* visit on the shown
day, coded live with commercial-payer conventions. The store only holds encounters of a patient,
so the pending visit is kept in a small file next to the database (``core.pending_visit``), rewritten
at every edit, until a patient is chosen; then it becomes that patient's draft, is saved at once and
the file is removed. A window opened after a crash shows it again (``show_pending``).

A stored draft may hold messages only the import knows (a lesion entry it left out, an unknown
provider…; see ``gui.carried_notes``). Opening it shows them first in ``codingMessages`` as notes
"From the import"; every draft save keeps them with the engine's messages, and while an error among
them is not marked dealt with (Ctrl+D, the "Dealt with" button or the list's context menu) the
encounter cannot be saved as final or printed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import visit
from core.coding import tables
from core.coding.model import CodingResult, Message
from core.coding.tables import em_codes, pos_table
from core.errors import InputError, NotFoundError, StaleRecordError
from core.money import format_cents, parse_dollars
from core.pending_visit import pending_file_for
from core.pending_visit import remove as remove_pending_file
from core.pending_visit import write as write_pending_file
from core.quick_entry import QuickEntryDefaults
from core.store import Store
from core.store.records import EncounterRecord, EncounterStatus, Patient
from gui.carried_notes import carried_notes
from gui.code_combo import CodeComboBox
from gui.coded_lines_model import CodedLinesModel
from gui.coding_messages import CodingMessageList
from gui.dialogs import dialogs
from gui.errors import reporting
from gui.lesion_entry import LesionEntry
from gui.views import RecordTableView
from gui.widget_names import named

log = logging.getLogger("superbill.gui")

#: what the header says while no patient is chosen, and how to choose one
NO_PATIENT = "No patient chosen yet — find the patient (Ctrl+F, then Enter) or add a new one (Ctrl+N)"


class EncounterEditor(QWidget):
    """Edits one encounter of one patient, or a pending visit whose patient is not chosen yet."""

    #: the encounter was saved (draft or final); carries the stored record
    saved = Signal(object)
    #: the user asked to correct the patient's details
    edit_patient_requested = Signal(object)
    #: the user asked for the superbill of this (final) encounter
    superbill_requested = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encounterEditor")
        self.setAccessibleName("Encounter editor")
        self._store = store
        self._encounter: EncounterRecord | None = None
        self._patient: Patient | None = None
        #: what coding the shown visit needs from the database, read once when it is shown (core.visit)
        self._context: visit.VisitContext | None = None
        #: the latest coding of the shown draft (a final encounter: ``None``, its billed lines are shown)
        self._coded: visit.CodedVisit | None = None
        self._context_day: date | None = None
        #: the draft as last saved or read (``Store.save_draft`` then need not read it back)
        self._saved: EncounterRecord | None = None
        self._defaults: QuickEntryDefaults | None = None
        #: the stored draft's import notes not dealt with yet (``gui.carried_notes``)
        self._carried: tuple[Message, ...] = ()
        self._day = store.today()
        self._loading = False
        #: the pending visit shown was read back from its file (the program ended before it was saved)
        self._recovered = False
        #: where the visit typed before its patient is chosen is kept (``None``: database in memory)
        self._pending_path = pending_file_for(store.path)
        self._build()
        self.clear()

    def set_store(self, store: Store) -> None:
        """Use ``store`` from now on (after a backup was restored, the window reopens the file)."""
        self._store = store
        self._pending_path = pending_file_for(store.path)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.patient_label = named(QLabel(), "encounterPatient", "Patient of this encounter")
        font = QFont(self.patient_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.patient_label.setFont(font)
        self.status_label = named(QLabel(), "encounterStatus", "Encounter status")
        self.status_label.setWordWrap(True)

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

        self.lesion_entry = LesionEntry(self._quick_entry_defaults)
        # the lesion box's parts, by the names the window and the tab order use
        self.quick_entry = self.lesion_entry.quick_entry
        self.lesions = self.lesion_entry.lesions
        self.lesion_table = self.lesion_entry.table

        self.lines = CodedLinesModel(self)
        self.lines_table = RecordTableView("codedLinesTable", "Coded lines")
        self.lines_table.setModel(self.lines)
        header = self.lines_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CodedLinesModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.messages = CodingMessageList()
        self.dealt_with_action = QAction("Mark the import note dealt with", self)
        self.dealt_with_action.setObjectName("noteDealtWithAction")
        self.dealt_with_action.setShortcut(QKeySequence("Ctrl+D"))
        self.dealt_with_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.dealt_with_action.triggered.connect(self.mark_note_dealt_with)
        self.addAction(self.dealt_with_action)
        self.messages.addAction(self.dealt_with_action)
        self.messages.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.dealt_with_button = named(
            QPushButton("Mark dealt with"),
            "noteDealtWithButton",
            "Mark the selected note from the import as dealt with",
            "After doing what the note from the import says, mark it dealt with (Ctrl+D)",
        )
        self.total = named(QLabel(format_cents(0)), "encounterTotal", "Total charges")
        total_font = QFont(self.total.font())
        total_font.setBold(True)
        total_font.setPointSizeF(total_font.pointSizeF() * 1.2)
        self.total.setFont(total_font)

        self.save_button = named(
            QPushButton("Save final"),
            "saveEncounterButton",
            "Save the encounter as final",
            "Save as final (Ctrl+S)",
        )
        self.print_button = named(
            QPushButton("Superbill…"),
            "printSuperbillButton",
            "Preview and print the superbill",
            "Preview, print or save the superbill (Ctrl+P)",
        )

        self.reopen_button = named(
            QPushButton("Reopen…"),
            "reopenEncounterButton",
            "Reopen this final encounter to change it",
            "Turns the final encounter back into a draft; its superbill must be printed again.",
        )

        self.paid = named(
            QLineEdit(), "encounterPaid", "Amount paid today", "What the patient paid at the desk, e.g. 25.00"
        )
        self.paid.setPlaceholderText("paid today")
        self.paid.setFixedWidth(self.paid.fontMetrics().horizontalAdvance("paid today") + 24)
        self.paid_button = named(QPushButton("Record paid"), "recordPaymentButton", "Record the payment")
        self.void_button = named(
            QPushButton("Void…"),
            "voidEncounterButton",
            "Void this encounter",
            "Keep the encounter on record but never bill it (for example: entered twice)",
        )

        self.edit_patient_button = named(
            QPushButton("Edit patient…"),
            "editPatientButton",
            "Correct this patient's details",
            "Correct the name, insurance or address of this patient (Ctrl+Shift+E)",
        )
        top = QVBoxLayout()
        top.setSpacing(2)
        name_row = QHBoxLayout()
        name_row.addWidget(self.patient_label, 1)
        name_row.addWidget(self.edit_patient_button)
        top.addLayout(name_row)
        top.addWidget(self.status_label)
        self.patient_label.setWordWrap(True)
        form = QHBoxLayout()
        for text, combo, stretch in (
            ("&Provider", self.provider, 3),
            ("Place of ser&vice", self.place, 3),
            ("&Visit (E/M)", self.em_code, 2),
        ):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            label = QLabel(text)
            label.setBuddy(combo)
            form.addWidget(label)
            form.addWidget(combo, stretch)

        codes_box = QGroupBox("Codes")
        codes_layout = QVBoxLayout(codes_box)
        codes_layout.addWidget(self.lines_table, 3)
        codes_layout.addWidget(self.messages, 2)
        notes_row = QHBoxLayout()
        notes_row.addStretch(1)
        notes_row.addWidget(self.dealt_with_button)
        codes_layout.addLayout(notes_row)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Total"))
        bottom.addWidget(self.total)
        bottom.addWidget(self.paid)
        bottom.addWidget(self.paid_button)
        bottom.addStretch(1)
        bottom.addWidget(self.void_button)
        bottom.addWidget(self.reopen_button)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.save_button)
        codes_layout.addLayout(bottom)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("encounterSplitter")
        self.splitter.addWidget(self.lesion_entry)
        self.splitter.addWidget(codes_box)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([330, 510])
        self.lines_table.setMinimumHeight(self.lines_table.verticalHeader().defaultSectionSize() * 3)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.splitter, 1)

        self.lesions.lesions_changed.connect(self._changed)
        # any change of choice recodes (keys, mouse, or a program setting the index)
        for combo in (self.provider, self.place, self.em_code):
            combo.currentIndexChanged.connect(lambda _i: self._changed())
        self.save_button.clicked.connect(self.finalize)
        self.dealt_with_button.clicked.connect(self.mark_note_dealt_with)
        self.print_button.clicked.connect(self.request_superbill)
        self.reopen_button.clicked.connect(self.reopen)
        self.void_button.clicked.connect(self.void)
        self.paid_button.clicked.connect(self.record_payment)
        self.paid.returnPressed.connect(self.record_payment)
        self.edit_patient_button.clicked.connect(self.request_patient_edit)
        self.setTabOrder(self.provider, self.place)
        self.setTabOrder(self.place, self.em_code)
        self.setTabOrder(self.em_code, self.quick_entry)
        self.setTabOrder(self.lesion_entry.remove_button, self.lines_table)
        self.setTabOrder(self.lines_table, self.messages)
        self.setTabOrder(self.messages, self.dealt_with_button)
        self.setTabOrder(self.dealt_with_button, self.print_button)
        self.setTabOrder(self.print_button, self.save_button)

    # -- what the window calls ------------------------------------------------------------------
    @property
    def encounter(self) -> EncounterRecord | None:
        """The encounter being edited (``id`` is ``None`` until the first edit saves it); ``None`` while
        no patient is chosen."""
        return self._encounter if self._patient is not None else None

    @property
    def pending(self) -> EncounterRecord | None:
        """The visit typed before a patient was chosen (in memory only), when it holds anything to bill."""
        record = self._encounter
        if self._patient is not None or record is None or not (record.lesions or record.em_code):
            return None
        return record

    def set_day(self, day: date) -> None:
        """The window shows ``day``: a pending visit (no patient yet) moves to it."""
        self._day = day
        if self._patient is None and self._encounter is not None:
            self._encounter = replace(self._encounter, date_of_service=day)
            self._show_pending_status()
            self._recode()
            if self.pending is not None:
                self._keep_pending()

    @property
    def patient(self) -> Patient | None:
        """The patient of the shown visit (``None`` while none is chosen)."""
        return self._patient

    @property
    def coded(self) -> visit.CodedVisit | None:
        """The latest coding of the shown draft, priced (``None`` for a final encounter)."""
        return self._coded

    @property
    def result(self) -> CodingResult | None:
        """The latest coding result of the encounter."""
        return None if self._coded is None else self._coded.result

    def clear(self) -> None:
        """Show an empty pending visit on the shown day: lesions can be typed before the patient is chosen.

        A pending visit shown until now is dropped (the window asked first), and so is its file.
        """
        dropped = self.pending is not None
        self._recovered = False
        self._encounter = None  # refresh_choices makes the empty pending visit with the practice's defaults
        self._patient = None
        self._context = None
        self._coded = None
        self._carried = ()
        self._loading = True
        self.patient_label.setText(NO_PATIENT)
        self._show_pending_status()
        self.lesion_entry.show_lesions((), editable=True)
        self.lines.set_records([])
        self.messages.clear()
        self.total.setText(format_cents(0))
        self.refresh_choices()
        self._select(self.em_code, None)
        self._loading = False
        self._set_editable(True)
        self.print_button.setEnabled(True)  # both say calmly to choose the patient first
        self.save_button.setEnabled(True)
        self.reopen_button.setVisible(False)
        self.void_button.setVisible(False)
        self.dealt_with_button.setVisible(False)
        self.dealt_with_action.setEnabled(False)
        self.paid.setVisible(False)
        self.paid_button.setVisible(False)
        self.edit_patient_button.setEnabled(False)
        if dropped:
            self._keep_pending()

    def show_pending(self, record: EncounterRecord) -> None:
        """Show ``record`` (read back from its file after a crash) as the visit with no patient yet."""
        self.clear()
        self._loading = True
        try:
            self._day = record.date_of_service
            self._encounter = record
            self.provider.clear()  # the list is refilled around the visit's own provider
            self.refresh_choices()
            self._select(self.provider, record.provider_id)
            self._select(self.place, record.place_of_service)
            self._select(self.em_code, record.em_code)
            self.lesion_entry.show_lesions(record.lesions, editable=True)
            # what the drop-downs show is what is coded and saved (a provider may have gone since)
            self._encounter = replace(
                record,
                provider_id=self.provider.currentData() or record.provider_id,
                place_of_service=self.place.currentData(),
                em_code=self.em_code.currentData(),
            )
        finally:
            self._loading = False
        self._recovered = True
        self._show_pending_status()
        self._recode()
        self._keep_pending()

    def _keep_pending(self) -> None:
        """Write the visit with no patient yet to its file, or remove the file when nothing is typed."""
        path = self._pending_path
        if path is None:
            return
        pending = self.pending
        try:
            if pending is None:
                remove_pending_file(path)
            else:
                write_pending_file(path, pending)
        except OSError as error:  # typing goes on; the visit is still in the editor
            log.warning("could not keep the visit with no patient yet in %s: %s", path, error)
            self.status_label.setText(
                f"{self._day:%a %m/%d/%Y} · not saved until the patient is chosen, and it could not be "
                f"written to {path.parent} ({error.strerror or error}); choose the patient soon"
            )

    def refresh_choices(self) -> None:
        """Reload the providers list and the practice's defaults (after settings change)."""
        self._defaults = None
        current = self.provider.currentData()
        if current is None and self._encounter is not None:
            current = self._encounter.provider_id
        was_loading, self._loading = self._loading, True  # refilling the list is not an edit
        try:
            if self._patient is None and self.pending is None:
                # nothing typed yet: the empty pending visit follows the practice's (current) defaults
                self._encounter = self._new_record(None, self._day)
                current = self._encounter.provider_id
                self._select(self.place, self._encounter.place_of_service)
            self.provider.clear()
            for provider in self._store.providers():
                if provider.active or provider.id == current:
                    self.provider.addItem(provider.display_name, provider.id)
            self._select(self.provider, current)
        finally:
            self._loading = was_loading

    def start_new(self, patient: Patient, day: date) -> None:
        """Open a new encounter for ``patient`` on ``day`` (saved as a draft at the first edit).

        A pending visit (typed before any patient was chosen) becomes this encounter, with its lesions
        and settings, and is saved as a draft at once.
        """
        pending = self.pending
        self._carried = ()
        if self._patient is None and self._encounter is not None:
            assert patient.id is not None
            record = replace(self._encounter, patient_id=patient.id, date_of_service=day)
        else:
            record = self._new_record(patient, day)
        self._show(record, patient)
        if pending is not None:
            self._save_draft()
            if self._encounter is not None and self._encounter.id is not None:
                self._keep_pending()  # it is the patient's draft now: its file goes
        self.quick_entry.setFocus()

    def _new_record(self, patient: Patient | None, day: date) -> EncounterRecord:
        """A new draft with the practice's defaults (patient id 0: not chosen yet)."""
        try:
            provider_id = self._store.default_provider().id or 0
        except NotFoundError:
            provider_id = 0  # the coding still works; saving says to add a provider in Settings
        return EncounterRecord(
            patient_id=patient.id if patient is not None and patient.id is not None else 0,
            provider_id=provider_id,
            date_of_service=day,
            place_of_service=self._store.practice().default_pos,
        )

    def open_encounter(self, encounter_id: int) -> None:
        """Show a stored encounter (drafts stay editable; final ones are read-only)."""
        record = self._store.get_encounter(encounter_id)
        patient = self._store.get_patient(record.patient_id)
        dropped = self.pending is not None  # the window asked before dropping it
        self._carried = ()
        self._show(record, patient)
        if dropped:
            self._keep_pending()
        self._take_carried_notes()
        if self._is_draft:
            self.quick_entry.setFocus()

    def _take_carried_notes(self) -> None:
        """Keep the stored draft's import notes (those the engine did not produce just now) and show them."""
        record = self._encounter
        if record is None or not self._is_draft:
            return
        self._carried = carried_notes(record.messages, self._coded.messages if self._coded else ())
        if self._carried:
            self._recode()
            self._show_status()

    # -- showing ---------------------------------------------------------------------------------
    @property
    def _is_draft(self) -> bool:
        return self._encounter is not None and self._encounter.status is EncounterStatus.DRAFT

    def _show(self, record: EncounterRecord, patient: Patient) -> None:
        self._loading = True
        try:
            self._encounter = record
            self._saved = record if record.id is not None else None
            self._patient = patient
            self._context = visit.open_context(self._store, record)
            self.refresh_choices()
            self._select(self.provider, record.provider_id)
            self._select(self.place, record.place_of_service)
            self._select(self.em_code, record.em_code)
            self.patient_label.setText(
                f"{patient.display_name}   ·   born {patient.date_of_birth:%m/%d/%Y}   ·   "
                f"{self._context.payer.name if self._context.payer else 'no insurance'}"
            )
            self.lesion_entry.show_lesions(record.lesions, editable=record.status is EncounterStatus.DRAFT)
        finally:
            self._loading = False
        self._set_editable(self._is_draft)
        self.edit_patient_button.setEnabled(True)
        self._show_status()
        self._recode()

    def _show_pending_status(self) -> None:
        recovered = "recovered after the program ended · " if self._recovered else ""
        self.status_label.setText(
            f"{self._day:%a %m/%d/%Y} · {recovered}not saved until the patient is chosen; what you type "
            "here goes to their visit · coded as commercial insurance for now"
        )

    def _show_status(self) -> None:
        record = self._encounter
        if record is None or self._patient is None:
            return
        when = f"{record.date_of_service:%a %m/%d/%Y}"
        if record.status is EncounterStatus.DRAFT:
            saved = "draft, saved" if record.id is not None else "new, not saved yet"
            notes = len(self._carried)
            if notes:
                saved += f" · {notes} note{'s' if notes > 1 else ''} from the import to deal with"
            self.status_label.setText(f"{when} · {saved}")
        else:
            number = f" · superbill {record.document_number}" if record.document_number else ""
            why = f" ({record.void_reason})" if record.void_reason else ""
            self.status_label.setText(f"{when} · {record.status.value}{why}{number}")
        self.print_button.setEnabled(record.status is not EncounterStatus.VOID)
        self.save_button.setEnabled(self._is_draft)
        self.dealt_with_button.setVisible(bool(self._carried) and self._is_draft)
        self.dealt_with_action.setEnabled(bool(self._carried) and self._is_draft)
        self.reopen_button.setVisible(record.status is not EncounterStatus.DRAFT)
        billed = record.status in (EncounterStatus.FINAL, EncounterStatus.PRINTED)
        self.paid.setVisible(billed)
        self.paid_button.setVisible(billed)
        if billed:
            self.paid.setText(format_cents(record.paid_cents).lstrip("$") if record.paid_cents else "")
        self.void_button.setVisible(record.id is not None and record.status is not EncounterStatus.VOID)

    def _set_editable(self, editable: bool) -> None:
        for widget in (self.provider, self.place, self.em_code):
            widget.setEnabled(editable)
        self.lesion_entry.set_editable(editable)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    # -- editing ---------------------------------------------------------------------------------
    def _quick_entry_defaults(self) -> QuickEntryDefaults:
        """The practice's default method and diagnosis per kind (read once; again after Settings)."""
        if self._defaults is None:
            practice = self._store.practice()
            self._defaults = QuickEntryDefaults(
                methods=practice.default_methods, diagnoses=practice.default_diagnoses
            )
        return self._defaults

    def _changed(self) -> None:
        """An edit: take the form's values, recode, and save the draft at once."""
        if self._loading or not self._is_draft or self._encounter is None:
            return
        self._encounter = replace(
            self._encounter,
            provider_id=self.provider.currentData() or self._encounter.provider_id,
            place_of_service=self.place.currentData(),
            em_code=self.em_code.currentData(),
            lesions=self.lesions.lesions(),
        )
        self._recode()
        if self._patient is not None:
            self._save_draft()
        else:
            self._keep_pending()

    @reporting("save the draft")
    def _save_draft(self) -> None:
        assert self._encounter is not None and self._patient is not None
        # the import's notes stay stored until dealt with, so a crash or a reopen still shows them
        coded = self._coded or visit.CodedVisit(CodingResult(), ())
        record = self._encounter
        try:
            saved = visit.save_draft(self._store, record, coded, self._carried, previous=self._saved)
        except StaleRecordError as changed:
            self._changed_elsewhere(changed, record)
            return
        self._encounter = self._saved = saved
        self._show_status()
        self.saved.emit(saved)

    def _changed_elsewhere(self, changed: StaleRecordError, mine: EncounterRecord) -> None:
        """Another window or program saved this encounter since it was shown here: the user decides
        whether to see theirs (what was typed here is dropped) or to save this one over it."""
        assert mine.id is not None and self._patient is not None
        stored = self._store.get_encounter(mine.id)
        if stored.status is not EncounterStatus.DRAFT:
            dialogs().problem(
                self,
                "Changed in another window",
                f"{changed.text}\n\nIt is now {stored.status.value}, so it is shown as it is.",
            )
            self._show(stored, self._patient)
            return
        keep = dialogs().choose(
            self,
            "Changed in another window",
            changed.text,
            ["Show it as it is now", "Keep mine and save it"],
        )
        if keep == 1:
            self._encounter = replace(mine, version=stored.version)
            self._save_draft()
        elif keep == 0:
            self._show(stored, self._patient)

    def _refuse_stale(self, changed: StaleRecordError) -> None:
        """A step (payment, void, reopen, final) refused because the encounter changed elsewhere: say so
        and show the encounter as it is now, so the step can be taken again on what is really there."""
        dialogs().problem(self, "Changed in another window", changed.text)
        record = self._encounter
        if record is not None and record.id is not None and self._patient is not None:
            self._show(self._store.get_encounter(record.id), self._patient)

    # -- coding ----------------------------------------------------------------------------------
    def _visit_context(self) -> visit.VisitContext:
        """The shown visit's context (read when it was shown); a visit with no patient yet codes as
        commercial with no history, priced on the day shown."""
        if self._patient is None and (self._context is None or self._context_day != self._day):
            self._context = visit.pending_context(self._store, self._day)
            self._context_day = self._day
        assert self._context is not None
        return self._context

    def _recode(self) -> None:
        """Code the draft once (``core.visit.code``: no database query) and show the priced lines."""
        record = self._encounter
        if record is None:
            return
        if record.status is not EncounterStatus.DRAFT:
            self._coded = None
            self.lines.set_records(record.lines)
            self.messages.show_messages(record.messages, record.lines)
            paid = f" · paid {format_cents(record.paid_cents)} · balance {format_cents(record.balance_cents)}"
            self.total.setText(format_cents(record.total_cents) + (paid if record.paid_cents else ""))
            return
        self._coded = visit.code(record, self._visit_context())
        self.lines.set_records(self._coded.lines)
        self.messages.show_messages(self._coded.messages, self._coded.lines, self._carried)
        total = format_cents(self._coded.total_cents)
        missing = self._coded.missing_fees
        self.total.setText(f"{total} (no fee set for {', '.join(missing)})" if missing else total)

    # -- finishing -------------------------------------------------------------------------------
    @reporting("save the encounter as final")
    def finalize(self) -> EncounterRecord | None:
        """Save as final (Ctrl+S): errors block, warnings ask for a look. Returns the final record."""
        if self._patient is None:
            self._ask_for_patient()
            return None
        if not self._is_draft or self._encounter is None:
            return None
        self._changed()
        coded = self._coded or visit.CodedVisit(CodingResult(), ())
        check = visit.check_final(coded, self._carried)
        notes = check.blocking_notes
        if notes:
            dialogs().problem(
                self,
                "Cannot save as final yet",
                "This draft came from the import with something the program could not take in:\n\n"
                + "\n".join(f"• {m.text}" for m in notes)
                + "\n\nDo what each note says (for example, re-enter a left-out lesion in the quick entry "
                "line). Then select the note marked “From the import” under the codes and press "
                "“Mark dealt with” (Ctrl+D), and save as final again.",
            )
            return None
        if check.errors or check.nothing_to_bill:
            texts = [m.text for m in check.errors] or ["Add at least one lesion or an office visit first."]
            dialogs().problem(
                self, "Cannot save as final yet", "Fix these first:\n\n" + "\n".join(f"• {t}" for t in texts)
            )
            return None
        if check.warnings and not dialogs().ask(
            self,
            "Please look at these warnings",
            "The codes can be billed, but a person should check:\n\n"
            + "\n".join(f"• {m.text}" for m in check.warnings)
            + "\n\nSave as final anyway? Your name and the time are kept with each warning for the biller.",
            "Save as final",
            "Go back",
        ):
            return None
        assert self._encounter.id is not None
        # each warning looked at is kept with the final encounter (who and when), and so are the
        # import's warnings and notes
        looked_at = dict.fromkeys(check.warnings, "")
        try:
            final = visit.finalize(self._store, self._encounter, coded, looked_at, self._carried)
        except StaleRecordError as changed:
            self._refuse_stale(changed)
            return None
        self._carried = ()
        self._show(final, self._patient) if self._patient else None
        self.saved.emit(final)
        return final

    @reporting("mark the note dealt with")
    def mark_note_dealt_with(self) -> None:
        """Ctrl+D: after asking, drop the chosen import note; the draft is saved without it at once."""
        note = self.messages.carried_note() if self._is_draft else None
        if note is None or self._patient is None:
            return
        if not dialogs().ask(
            self,
            "Has this been dealt with?",
            f"{note.text}\n\nIf you have done what this note says, mark it dealt with: it is then no "
            "longer shown or kept with this draft.",
            "Dealt with",
            "Not yet",
        ):
            return
        self._carried = tuple(m for m in self._carried if m != note)
        self._recode()
        self._save_draft()
        self._show_status()
        self.messages.setFocus()

    def _ask_for_patient(self) -> None:
        kept = " The lesions typed so far are kept." if self.pending is not None else ""
        dialogs().inform(
            self,
            "Choose the patient first",
            "This visit has no patient yet. Find the patient (Ctrl+F, type part of the name, then Enter) "
            f"or add a new one (Ctrl+N), then save or print.{kept}",
        )

    def request_patient_edit(self) -> None:
        """Ask the window to open the patient form for this encounter's patient."""
        if self._patient is not None:
            self.edit_patient_requested.emit(self._patient)

    def patient_updated(self, patient: Patient) -> None:
        """The patient's details changed: show them and recode (the payer may be different)."""
        if self._encounter is None or self._patient is None or patient.id != self._patient.id:
            return
        self._show(self._encounter, patient)

    @reporting("record the payment")
    def record_payment(self) -> None:
        """Store what the patient paid at the desk for this final encounter (printed on the superbill)."""
        record = self._encounter
        if record is None or record.id is None or self._patient is None or self._is_draft:
            return
        try:
            cents = parse_dollars(self.paid.text() or "0", field="Amount paid")
        except InputError as error:
            dialogs().problem(self, "Could not record the payment", error.text)
            return
        try:
            saved = self._store.record_payment(record.id, cents, version=record.version)
        except StaleRecordError as changed:
            self._refuse_stale(changed)
            return
        self._show(saved, self._patient)
        self.saved.emit(saved)

    @reporting("void the encounter")
    def void(self) -> None:
        """Void the encounter after asking why (it stays on record, is never billed)."""
        record = self._encounter
        if record is None or record.id is None or self._patient is None:
            return
        reason = dialogs().ask_text(
            self,
            "Void this encounter?",
            f"The encounter of {self._patient.display_name} will be kept on record but never billed.\n"
            "Why is it voided (for example: entered twice)?",
        )
        if reason is None:
            return
        try:
            voided = self._store.void_encounter(record.id, reason, version=record.version)
        except StaleRecordError as changed:
            self._refuse_stale(changed)
            return
        self._show(voided, self._patient)
        self.saved.emit(voided)

    @reporting("reopen the encounter")
    def reopen(self) -> None:
        """Turn a final encounter back into a draft after asking (its billed lines are dropped)."""
        record = self._encounter
        if record is None or record.id is None or self._is_draft or self._patient is None:
            return
        if not dialogs().ask(
            self,
            "Reopen this encounter?",
            f"The encounter of {self._patient.display_name} is {record.status.value}. Reopening makes it a "
            "draft again so you can change it; save it as final (and print the superbill again) afterwards.",
            "Reopen",
            "Keep it final",
        ):
            return
        try:
            reopened = self._store.reopen(record.id, version=record.version)
        except StaleRecordError as changed:
            self._refuse_stale(changed)
            return
        self._carried = ()
        self._show(reopened, self._patient)
        self._take_carried_notes()
        self.saved.emit(reopened)

    def request_superbill(self) -> None:
        """Preview the superbill (Ctrl+P); a draft is saved as final first."""
        record = self._encounter
        if record is None or self._patient is None:
            self._ask_for_patient()
            return
        if record.status is EncounterStatus.DRAFT:
            final = self.finalize()
            if final is None:
                return
            record = final
        assert record.id is not None
        self.superbill_requested.emit(record.id)
