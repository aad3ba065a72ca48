"""The front-desk window: day sheet and patients on the left, the encounter editor on the right.

Menus carry every command with its shortcut; window size and splitter positions are remembered in
``QSettings`` (window state only: business settings live in the database). A visit typed before its
patient was chosen, found on disk at start-up (the program ended without it being saved or
dropped), is shown again in the editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QStackedWidget, QWidget

from core.store.later import StoreLater
from gui.dialogs import dialogs
from gui.errors import reporting
from gui.idle_lock import IdleLock
from gui.sign_in import Gate
from gui.widget_names import named
from gui.window_state import fit_on_screen, save_state
from gui.window_state import window_settings as window_settings  # where tests look for it

if TYPE_CHECKING:  # the sign-in screen shows before these are imported (the work area's, at sign-in)
    from datetime import date

    from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent
    from PySide6.QtWidgets import QSplitter

    from core.accounts import Account
    from core.store import Store
    from core.store.records import EncounterRecord, Patient
    from gui.backups import Backups
    from gui.day_sheet import DaySheet
    from gui.encounter_editor import EncounterEditor
    from gui.patient_panel import PatientPanel
    from gui.printing import Printing

#: how the window is named to a restore that must wait for it (core.store.sessions)
WINDOW_PROGRAM = "Superbill Desk window"
#: what waits for the first paint runs at the latest this long after the first show (a minimised start)
ON_SCREEN_LATEST_MS = 250


class MainWindow(QMainWindow):
    """The whole front desk for one open ``Store``."""

    #: once, just after the window was first painted (and its store made): what waited for it may run
    on_screen = Signal()
    #: the file, opened just after the first paint, cannot be used (said already; the window is hidden)
    cannot_open = Signal()
    asking_first = Signal()  #: the file needs the person first (recovery key, a problem): answer a 2nd start
    day_sheet: DaySheet  # these: the work area (gui.work_area), built at the first sign-in
    patients: PatientPanel
    editor: EncounterEditor
    left: QSplitter
    splitter: QSplitter
    printing: Printing
    backups: Backups

    def __init__(self, store: Store | StoreLater, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAccessibleName("Superbill Desk")
        self.setWindowTitle("Superbill Desk")
        # a checked file's store is made just after the window shows (or at its first use)
        self._later = store if isinstance(store, StoreLater) else None
        self._store = None if isinstance(store, StoreLater) else store
        self._painted = self._on_screen = False  # first paint seen; _after_first_paint ran
        self._drafts_offered = False
        self._leaving = False  # Quit already asked about a visit with no patient
        self.settings_dialog: QWidget | None = None
        self.built = False  # the work area is built at the first sign-in: nothing is read before

        self.pages = QStackedWidget()
        self.pages.setObjectName("windowPages")
        self.gate = Gate(store)  # the sign-in screen first; the practice's data once someone signed in
        self.gate.signed_in.connect(self.signed_in)
        self.pages.addWidget(self.gate)
        self.setCentralWidget(self.pages)
        self.idle = IdleLock(self.lock, self)

        self.busy = QProgressBar()
        self.busy.setObjectName("busyIndicator")
        self.busy.setAccessibleName("Working")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setVisible(False)
        self.status_text = QLabel()
        self.status_text.setObjectName("statusText")
        self.signed_in_label = named(QLabel(), "signedInAs", "Signed in as")
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.signed_in_label)
        self.statusBar().addPermanentWidget(QLabel(str(store.path) if store.path else "database in memory"))
        self.resize(1360, 860)
        fit_on_screen(self)
        self._fitted = False  # fitted again at the first show, when the title bar's height is known

    # -- the store (core.store.later) ---------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The open store; a checked file's is made at the first use (``core.store.later``)."""
        if self._store is None:
            assert self._later is not None
            self._store = self._later.store()
        return self._store

    @store.setter
    def store(self, store: Store) -> None:
        self._store = store

    def _after_first_paint(self) -> None:
        """Once painted (or shown and never painted: minimised): the store is made (its first writes),
        then ``on_screen`` (``gui.first_paint``: a file that cannot be used hides it, ``cannot_open``)."""
        if not self._on_screen:
            self._on_screen = True
            from gui.first_paint import make_store

            if make_store(self):
                self.on_screen.emit()

    def close_store(self) -> None:
        """Close the database (the window is going), without making a store that was never used."""
        if self._store is not None:
            self._store.close()
        elif self._later is not None:
            self._later.close()

    # -- signing in, locking (gui.desk_access, gui.sign_in, gui.idle_lock, gui.people) -------------------
    def signed_in(self, account: Account) -> None:
        """Someone signed in (or unlocked): the work area as it was, with their role's commands."""
        from gui import desk_access

        if not self.built:  # the day sheet, patients, editor and menus (gui.work_area)
            from gui.work_area import build_work_area

            build_work_area(self)
        desk_access.show_work_area(self, account)

    def lock(self) -> None:
        """Hide the patient data behind the sign-in screen (Ctrl+Shift+L, or the idle minutes)."""
        from gui import desk_access

        desk_access.lock(self)

    def focus_search(self) -> None:
        """Put the cursor in the patient search (Ctrl+F)."""
        self.patients.search.setFocus()
        self.patients.search.selectAll()

    # -- encounters ------------------------------------------------------------------------------
    @reporting("start the visit")
    def start_encounter(self, patient: Patient) -> None:
        """Open a new encounter for ``patient`` on the shown day (asks first if they already have one)."""
        from core.dates import shown_date

        day = self.day_sheet.day
        same_day = [
            e
            for e in self.store.encounters_on(day)
            if e.patient_id == patient.id and e.status.value != "void"
        ]
        if same_day and self.editor.pending is not None:
            # the typed lesions go to a new visit; opening the other one would drop them
            if not dialogs().ask(
                self,
                "Already seen on this day",
                f"{patient.display_name} already has a visit on {shown_date(day)} "
                f"({same_day[-1].status.value}). Start a second visit with the lesions you typed?",
                "Start another visit",
                "Cancel",
            ):
                return
        elif same_day:
            existing = same_day[-1]
            answer = dialogs().choose(
                self,
                "Already seen on this day",
                f"{patient.display_name} already has a visit on {shown_date(day)} ({existing.status.value}). "
                "Open that visit, or start a second one?",
                ["Open that visit", "Start another visit", "Cancel"],
            )
            if answer == 0 and existing.id is not None:
                self.open_encounter(existing.id)
                return
            if answer != 1:
                return
        typed = self.editor.pending is not None
        self.editor.start_new(patient, day)
        # the day sheet highlights the visit the editor shows: none yet until it is saved
        current = self.editor.encounter
        self.day_sheet.select_encounter(current.id if current is not None else None)
        kept = " with the lesions typed before; saved as a draft" if typed else ""
        self.status_text.setText(f"New visit for {patient.display_name} on {shown_date(day)}{kept}.")

    def new_visit_without_patient(self) -> None:
        """An empty visit on the shown day whose patient is chosen later (Ctrl+Shift+N).

        The open visit is already saved as a draft (or is final), so nothing is dropped; a visit
        that already has no patient is left as it is.
        """
        if self.editor.encounter is not None:
            self.editor.clear()
        self.day_sheet.select_encounter(None)
        self.editor.quick_entry.setFocus()
        self.status_text.setText("New visit: type the lesions, then find or add the patient.")

    def patient_changed(self, patient: Patient) -> None:
        """A patient's details were corrected: refresh the editor and the day sheet."""
        self.editor.patient_updated(patient)
        self.day_sheet.reload()
        self.status_text.setText(f"{patient.display_name}: details saved.")

    def may_drop_pending(self, doing: str) -> bool:
        """Lesions typed before a patient was chosen live only in memory: ask before dropping them."""
        if self.editor.pending is None:
            return True
        return dialogs().ask(
            self,
            "Lesions without a patient",
            "The lesions typed for a visit with no patient yet are not saved: a visit is saved once its "
            "patient is chosen (find the patient with Ctrl+F, or add one with Ctrl+N).\n\n"
            f"{doing} and drop them?",
            f"{doing} and drop them",
            "Go back",
            default_yes=False,  # Enter keeps the lesions: dropping them takes a deliberate choice
        )

    def recover_pending_visit(self) -> None:
        """Show again a visit with no patient yet that the program kept on disk when it last ended
        (``gui.no_patient_yet.recover``); the status line says what was found, or that it was unreadable."""
        from gui.no_patient_yet import recover

        found = recover(self.store.path)
        if found.record is not None:
            self.day_sheet.set_day(found.record.date_of_service)
            self.editor.show_pending(found.record)
        if found.message:
            self.status_text.setText(found.message)

    def _drop_pending(self) -> None:
        """The user agreed to drop the visit with no patient yet: empty the editor (and its file)."""
        if self.editor.pending is not None:
            self.editor.clear()

    def _encounter_saved(self, record: EncounterRecord) -> None:
        """The editor saved: its day-sheet row shows the new coding; the status line what happened."""
        from core.store.records import EncounterStatus  # at first use: not before the sign-in screen shows
        from gui import status_line

        self.day_sheet.show_encounter(record, self.editor.coded, self.editor.patient)
        patient = self.editor.patient
        if patient is not None and record.status is not EncounterStatus.DRAFT:
            self.status_text.setText(status_line.visit_saved(record, patient))

    def _payment_recorded(self, record: EncounterRecord) -> None:
        """The status line says what was paid and what is still owed (not "saved as final" again)."""
        from gui.status_line import payment_recorded

        if self.editor.patient is not None:
            self.status_text.setText(payment_recorded(record, self.editor.patient))

    @reporting("open the encounter")
    def open_encounter(self, encounter_id: int) -> None:
        """Show a stored encounter in the editor."""
        if not self.may_drop_pending("Open the other visit"):
            return
        self.editor.open_encounter(encounter_id)
        self.day_sheet.select_encounter(encounter_id)
        if self.editor.encounter is not None and self.editor.patient is not None:
            from gui.status_line import visit_opened

            self.status_text.setText(visit_opened(self.editor.encounter, self.editor.patient))

    def offer_drafts(self) -> None:
        """After a crash or an unfinished day: offer to open the drafts left in the database."""
        from gui.work_area import offer_drafts

        offer_drafts(self)

    # -- settings and backups (the settings dialog lives in gui.settings_dialog) -------------------
    @reporting("open the settings")
    def open_settings(self) -> None:
        """The practice, providers, payers, fees and defaults (Ctrl+,)."""
        from PySide6.QtCore import Qt

        from gui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        dialog = SettingsDialog(
            self.store, self, backup_now=self.backup_now, restore_backup=self.restore_backup
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.settings_changed)
        dialog.destroyed.connect(self._settings_closed)
        dialog.rejected.connect(dialog.deleteLater)  # Esc drops what was typed and not saved
        self.settings_dialog = dialog
        dialog.show()
        fit_on_screen(dialog)  # with its title bar, known once shown

    def _settings_closed(self) -> None:
        self.settings_dialog = None

    def settings_changed(self) -> None:
        """Reload what the settings affect: provider lists, fees and the day sheet."""
        self.editor.refresh_choices()
        self.day_sheet.reload()

    @reporting("back up the database")
    def backup_now(self) -> None:
        """Copy the database to a file the user picks (``gui.backups``)."""
        self.backups.backup_now()

    @reporting("restore the backup")
    def restore_backup(self) -> None:
        """Replace the database with a checked backup (``gui.backups``)."""
        self.backups.restore_backup()

    def use_store(self, store: Store) -> None:
        """Work on ``store`` from now on (a restored backup reopened) and show what it holds."""
        was = self.store.account
        self.store = store
        for panel in (self.day_sheet, self.patients, self.editor):
            panel.set_store(store)
        if store.account is None:  # a restored file: its own people sign in to it
            from gui import desk_access

            desk_access.show_gate(self, was)
        else:
            self.day_sheet.reload()

    @reporting("remove the demo patients")
    def remove_demo_data(self) -> None:
        """Delete the demo patients and their visits before real work starts (``gui.demo_data``)."""
        from gui.demo_data import remove_demo_data

        remove_demo_data(self)

    # -- window state (gui.window_state) -----------------------------------------------------------
    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "mainSplitter": self.splitter,
            "leftSplitter": self.left,
            "encounterSplitter": self.editor.splitter,
        }

    def save_state(self) -> None:
        """Remember size and splitter positions for next time."""
        save_state(self, self._splitters())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            fit_on_screen(self)  # again, now that the title bar's height is known
            QTimer.singleShot(ON_SCREEN_LATEST_MS, self._after_first_paint)  # painted or not
        if not self.built:
            self.menuBar().setVisible(False)
            self.gate.focus_first_empty()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True  # on screen: what waited for it runs next (the store is made)
            QTimer.singleShot(0, self._after_first_paint)

    def quit(self) -> None:
        """File → Quit: asks first when lesions were typed for a visit with no patient yet."""
        if self.may_drop_pending("Quit"):
            self._drop_pending()
            self._leaving = True
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # the user closing the window (title bar, Alt+F4) is asked like Quit; a close() from code
        # (a test, the event loop ending) never waits on a question
        if event.spontaneous() and not self._leaving:
            if not self.may_drop_pending("Close the window"):
                event.ignore()
                return
            self._drop_pending()
        self.idle.stop()
        if self.built:
            self.save_state()
            self.printing.close()
        super().closeEvent(event)

    def day(self) -> date:
        """The day shown on the day sheet."""
        return self.day_sheet.day

    def current_encounter(self) -> EncounterRecord | None:
        """The encounter open in the editor."""
        return self.editor.encounter
