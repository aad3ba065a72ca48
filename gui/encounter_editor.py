"""The encounter editor: what the front desk does with the shown visit.

``EncounterEditor`` builds on ``gui.encounter_view.EncounterView`` (the shown visit and its parts:
header, lesion entry, codes panel) and runs the visit workflow in core (``core.visit``): every edit
recodes the encounter and saves it as a draft, so a crash or a closed window never loses more than
the keystroke being typed; ``finalize`` (Ctrl+S) blocks on errors and asks about warnings. The
questions each finishing step asks are in ``gui.encounter_actions``; the visit typed before its
patient is chosen is kept on disk by ``gui.no_patient_yet``; a save refused because another window
saved first is handled with ``gui.changed_elsewhere``.

A stored draft may hold notes only the import knows (``gui.carried_notes``): they are shown first in
``codingMessages``, kept with every draft save, and while an error among them is not marked dealt
with (Ctrl+D) the encounter cannot be saved as final or printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from core import visit
from core.coding.model import CodingResult
from core.errors import StaleRecordError
from core.store import Store
from core.store.records import EncounterRecord, EncounterStatus, Patient
from gui import encounter_actions as ask
from gui.carried_notes import carried_notes
from gui.changed_elsewhere import Choice, resolve_draft, tell_refused
from gui.encounter_header import select
from gui.encounter_view import EncounterView
from gui.errors import reporting
from gui.no_patient_yet import PendingVisitFile, pending_status


class EncounterEditor(EncounterView):
    """Edits one encounter of one patient, or a pending visit whose patient is not chosen yet."""

    #: the encounter was saved (draft or final); carries the stored record
    saved = Signal(object)
    #: what the patient paid at the desk was recorded (after ``saved``); carries the stored record
    payment_recorded = Signal(object)
    #: the user asked to correct the patient's details
    edit_patient_requested = Signal(object)
    #: the user asked for the superbill of this (final) encounter
    superbill_requested = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        #: the pending visit shown was read back from its file (the program ended before it was saved)
        self._recovered = False
        #: where the visit typed before its patient is chosen is kept
        self._pending_file = PendingVisitFile(store.path)
        self.lesion_entry.lesions.lesions_changed.connect(self._changed)
        self.header.edited.connect(self._changed)
        self.header.edit_patient_button.clicked.connect(self.request_patient_edit)
        self.dealt_with_action.triggered.connect(self.mark_note_dealt_with)
        self.codes.dealt_with_button.clicked.connect(self.mark_note_dealt_with)
        buttons: list[tuple[QPushButton, Callable[[], object]]] = [
            (self.steps.save_button, self.finalize),
            (self.steps.print_button, self.request_superbill),
            (self.steps.reopen_button, self.reopen),
            (self.steps.void_button, self.void),
            (self.steps.paid_button, self.record_payment),
        ]
        for button, slot in buttons:
            button.clicked.connect(slot)
        self.steps.paid.returnPressed.connect(self.record_payment)
        self.clear()

    def set_store(self, store: Store) -> None:
        """Use ``store`` from now on (after a backup was restored, the window reopens the file)."""
        super().set_store(store)
        self._pending_file = PendingVisitFile(store.path)

    # -- the visit with no patient yet, and opening a visit ---------------------------------------
    def set_day(self, day: date) -> None:
        """The window shows ``day``: a pending visit (no patient yet) moves to it."""
        self._day = day
        if self._patient is None and self._encounter is not None:
            self._encounter = replace(self._encounter, date_of_service=day)
            self.header.status_label.setText(pending_status(self._day, self._recovered))
            self._recode()
            if self.pending is not None:
                self._keep_pending()

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
        self.header.show_no_patient()
        self.header.status_label.setText(pending_status(self._day, self._recovered))
        self.lesion_entry.show_lesions((), editable=True)
        self.codes.show_nothing()
        self.refresh_choices()
        select(self.header.em_code, None)
        self.header.show_decision_applies(False, False)
        self._loading = False
        self._set_editable(True)
        self.steps.show_no_patient()
        if dropped:
            self._keep_pending()

    def show_pending(self, record: EncounterRecord) -> None:
        """Show ``record`` (read back from its file after a crash) as the visit with no patient yet."""
        self.clear()
        self._loading = True
        try:
            self._day = record.date_of_service
            self._encounter = record
            self.header.provider.clear()  # the list is refilled around the visit's own provider
            self.refresh_choices()
            self.header.show_visit(record)
            self.lesion_entry.show_lesions(record.lesions, editable=True)
            # what the drop-downs show is what is coded and saved (a provider may have gone since)
            self._encounter = self.header.chosen(record)
        finally:
            self._loading = False
        self._recovered = True
        self.header.status_label.setText(pending_status(self._day, self._recovered))
        self._recode()
        self._keep_pending()

    def _keep_pending(self) -> None:
        """Write the visit with no patient yet to its file, or remove the file when nothing is typed."""
        problem = self._pending_file.keep(self.pending, self._day)
        if problem is not None:
            self.header.status_label.setText(problem)

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

    # -- editing -------------------------------------------------------------------------------
    def _changed(self) -> None:
        """An edit: take the form's values, recode, and save the draft at once."""
        if self._loading or not self._is_draft or self._encounter is None:
            return
        self._encounter = replace(
            self.header.chosen(self._encounter), lesions=self.lesion_entry.lesions.lesions()
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
        """Another window or program saved this draft since it was shown here: the user decides whether
        to see theirs (what was typed here is dropped) or to save this one over it."""
        assert self._patient is not None
        answer = resolve_draft(self, self._store, changed, mine)
        if answer is None:
            return
        choice, record = answer
        if choice is Choice.KEEP_MINE:
            self._encounter = record
            self._save_draft()
        else:
            self._show(record, self._patient)

    def _refuse_stale(self, changed: StaleRecordError) -> None:
        """A step (payment, void, reopen, final) refused because the encounter changed elsewhere: say so
        and show the encounter as it is now, so the step can be taken again on what is really there."""
        tell_refused(self, changed)
        record = self._encounter
        if record is not None and record.id is not None and self._patient is not None:
            self._show(self._store.get_encounter(record.id), self._patient)

    # -- finishing (the questions are in gui.encounter_actions) ------------------------------------
    @reporting("save the encounter as final")
    def finalize(self) -> EncounterRecord | None:
        """Save as final (Ctrl+S): errors block, warnings ask for a look. Returns the final record."""
        if self._patient is None:
            ask.ask_for_patient(self, self.pending is not None)
            return None
        if not self._is_draft or self._encounter is None:
            return None
        self._changed()
        coded = self._coded or visit.CodedVisit(CodingResult(), ())
        check = visit.check_final(coded, self._carried)
        if not ask.may_finalize(self, check):
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
        self._show(final, self._patient)
        self.saved.emit(final)
        return final

    @reporting("mark the note dealt with")
    def mark_note_dealt_with(self) -> None:
        """Ctrl+D: after asking, drop the chosen import note; the draft is saved without it at once."""
        note = self.codes.messages.carried_note() if self._is_draft else None
        if note is None or self._patient is None or not ask.dealt_with(self, note):
            return
        self._carried = tuple(m for m in self._carried if m != note)
        self._recode()
        self._save_draft()
        self._show_status()
        self.codes.messages.setFocus()

    def request_patient_edit(self) -> None:
        """Ask the window to open the patient form for this encounter's patient."""
        if self._patient is not None:
            self.edit_patient_requested.emit(self._patient)

    def patient_updated(self, patient: Patient) -> None:
        """The patient's details changed: show them and recode (the payer may be different)."""
        if self._encounter is None or self._patient is None or patient.id != self._patient.id:
            return
        self._show(self._encounter, patient)

    def _take_step(self, step: Callable[[int, int], EncounterRecord]) -> EncounterRecord | None:
        """Apply ``step(encounter id, version)`` in the store and show its result; a step refused because
        the encounter changed elsewhere shows the encounter as it is now."""
        record = self._encounter
        assert record is not None and record.id is not None and self._patient is not None
        try:
            done = step(record.id, record.version)
        except StaleRecordError as changed:
            self._refuse_stale(changed)
            return None
        self._show(done, self._patient)
        return done

    @reporting("record the payment")
    def record_payment(self) -> None:
        """Store what the patient paid at the desk for this final encounter (printed on the superbill)."""
        record = self._encounter
        if record is None or record.id is None or self._patient is None or self._is_draft:
            return
        cents = self.steps.amount_paid()
        if cents is None:
            return
        saved = self._take_step(lambda id_, version: self._store.record_payment(id_, cents, version=version))
        if saved is not None:
            self.saved.emit(saved)
            self.payment_recorded.emit(saved)

    @reporting("void the encounter")
    def void(self) -> None:
        """Void the encounter after asking why (it stays on record, is never billed)."""
        record = self._encounter
        if record is None or record.id is None or self._patient is None:
            return
        reason = ask.void_reason(self, self._patient)
        if reason is None:
            return
        voided = self._take_step(
            lambda id_, version: self._store.void_encounter(id_, reason, version=version)
        )
        if voided is not None:
            self.saved.emit(voided)

    @reporting("reopen the encounter")
    def reopen(self) -> None:
        """Turn a final encounter back into a draft after asking (its billed lines are dropped)."""
        record = self._encounter
        if record is None or record.id is None or self._is_draft or self._patient is None:
            return
        if not ask.may_reopen(self, self._patient, record):
            return
        self._carried = ()
        reopened = self._take_step(lambda id_, version: self._store.reopen(id_, version=version))
        if reopened is not None:
            self._take_carried_notes()
            self.saved.emit(reopened)

    def request_superbill(self) -> None:
        """Preview the superbill (Ctrl+P); a draft is saved as final first."""
        record = self._encounter
        if record is None or self._patient is None:
            ask.ask_for_patient(self, self.pending is not None)
            return
        if record.status is EncounterStatus.DRAFT:
            final = self.finalize()
            if final is None:
                return
            record = final
        assert record.id is not None
        self.superbill_requested.emit(record.id)
