"""What the encounter editor shows: the visit, its patient and its coding, laid out in its parts.

``EncounterView`` holds the shown visit (the encounter or the visit with no patient yet, its patient,
its coding context and latest coding, the import's notes not dealt with) and draws it in its parts:
``gui.encounter_header.EncounterHeader`` (patient, status, provider, place, visit code),
``gui.lesion_entry.LesionEntry`` (quick entry, diagnosis finder, lesion table) and
``gui.codes_panel.CodesPanel`` (coded lines, messages, total, and the finishing steps of
``gui.encounter_actions``). It reads the store but never writes it: what the user does with the
visit — edits saved as drafts, the visit with no patient yet, saving as final, paying, voiding,
reopening — is ``gui.encounter_editor.EncounterEditor``, which builds on this class.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from core import visit
from core.coding.model import CodingResult, Message
from core.dates import shown_day
from core.errors import NotFoundError
from core.quick_entry import QuickEntryDefaults
from core.store import Store
from core.store.records import EncounterRecord, EncounterStatus, Patient
from gui.codes_panel import CodesPanel
from gui.encounter_header import EncounterHeader, select
from gui.lesion_entry import LesionEntry


class EncounterView(QWidget):
    """The shown visit and its parts; ``EncounterEditor`` adds what the user does with it."""

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
        #: the parts are being filled from a record: their change signals are not edits
        self._loading = False

        self.header = EncounterHeader()
        self.provider = self.header.provider  # where the window's tab order enters the editor
        self.lesion_entry = LesionEntry(self._quick_entry_defaults)
        self.quick_entry = self.lesion_entry.quick_entry
        self.codes = CodesPanel()
        self.steps = self.codes.steps
        self.dealt_with_action = self.codes.dealt_with_action  # in the window's Visit menu
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("encounterSplitter")
        self.splitter.addWidget(self.lesion_entry)
        self.splitter.addWidget(self.codes)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([330, 510])
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.header.decision, self.quick_entry)
        self.setTabOrder(self.lesion_entry.remove_button, self.codes.lines_table)

    def set_store(self, store: Store) -> None:
        """Use ``store`` from now on (after a backup was restored, the window reopens the file)."""
        self._store = store

    # -- what the window reads ------------------------------------------------------------------
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

    # -- choices and defaults ----------------------------------------------------------------------
    def refresh_choices(self) -> None:
        """Reload the providers list and the practice's defaults (after settings change)."""
        self._defaults = None
        current = self.header.provider.currentData()
        if current is None and self._encounter is not None:
            current = self._encounter.provider_id
        was_loading, self._loading = self._loading, True  # refilling the list is not an edit
        try:
            if self._patient is None and self.pending is None:
                # nothing typed yet: the empty pending visit follows the practice's (current) defaults
                self._encounter = self._new_record(None, self._day)
                current = self._encounter.provider_id
                select(self.header.place, self._encounter.place_of_service)
            self.header.fill_providers(self._store.providers(), current)
        finally:
            self._loading = was_loading

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

    # -- editing ---------------------------------------------------------------------------------
    def _quick_entry_defaults(self) -> QuickEntryDefaults:
        """The practice's default method and diagnosis per kind (read once; again after Settings)."""
        if self._defaults is None:
            practice = self._store.practice()
            self._defaults = QuickEntryDefaults(
                methods=practice.default_methods, diagnoses=practice.default_diagnoses
            )
        return self._defaults

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
            if patient.id is not None:
                self._store.record_view(patient.id, "visit")  # who looked at whose record, for the log
            self.refresh_choices()
            self.header.show_visit(record)
            self.header.show_patient(
                patient, self._context.payer.name if self._context.payer else "no insurance"
            )
            self.lesion_entry.show_lesions(record.lesions, editable=record.status is EncounterStatus.DRAFT)
        finally:
            self._loading = False
        self._set_editable(self._is_draft)
        self._show_status()
        self._recode()

    def _show_status(self) -> None:
        record = self._encounter
        if record is None or self._patient is None:
            return
        when = f"{shown_day(record.date_of_service)}"
        if record.status is EncounterStatus.DRAFT:
            saved = "draft, saved" if record.id is not None else "new, not saved yet"
            notes = len(self._carried)
            if notes:
                saved += f" · {notes} note{'s' if notes > 1 else ''} from the import to deal with"
            self.header.status_label.setText(f"{when} · {saved}")
        else:
            number = f" · superbill {record.document_number}" if record.document_number else ""
            why = f" ({record.void_reason})" if record.void_reason else ""
            self.header.status_label.setText(f"{when} · {record.status.value}{why}{number}")
        self.steps.show_for(record)
        self.codes.show_notes_left(bool(self._carried) and self._is_draft)

    def _set_editable(self, editable: bool) -> None:
        self.header.set_editable(editable)
        self.lesion_entry.set_editable(editable)

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
            self.header.show_decision_applies(record.decision_for_surgery, record.decision_for_surgery)
            self.codes.show_billed(record)
            return
        self._coded = visit.code(record, self._visit_context())
        applies = visit.decision_for_surgery_applies(record, self._coded)
        if record.decision_for_surgery and not applies:
            # the visit code or the 90-day procedure went: the mark goes with it (ticked again if needed)
            record = self._encounter = replace(record, decision_for_surgery=False)
            self._coded = visit.code(record, self._visit_context())
        self.header.show_decision_applies(applies, record.decision_for_surgery)
        self.codes.show_coded(self._coded, self._carried)
