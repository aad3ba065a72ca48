"""The work area behind the sign-in screen: day sheet, patients, encounter editor, menus and the
remembered layout. Built once, at the first sign-in (``MainWindow.signed_in``): the sign-in screen
shows without these modules (and without the coding engine they bring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from core.dates import shown_date
from core.text import counted
from gui.backups import Backups
from gui.day_sheet import DaySheet
from gui.dialogs import dialogs
from gui.encounter_editor import EncounterEditor
from gui.menus import build_menus
from gui.patient_panel import PatientPanel
from gui.printing import Printing
from gui.window_state import fit_on_screen, restore_state

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def _split(orientation: Qt.Orientation, name: str, *parts: tuple[QWidget, int]) -> QSplitter:
    """A splitter named ``name`` holding ``parts`` (widget, stretch factor); no part collapses to nothing."""
    splitter = QSplitter(orientation)
    splitter.setObjectName(name)
    for index, (widget, stretch) in enumerate(parts):
        splitter.addWidget(widget)
        splitter.setStretchFactor(index, stretch)
    splitter.setChildrenCollapsible(False)
    return splitter


def build_work_area(window: MainWindow) -> None:
    """Build the work area into ``window`` (so the sign-in screen shows before any patient data is
    read), then show again a visit with no patient yet kept from the last run."""
    store = window.store
    window.day_sheet = DaySheet(store)
    window.patients = PatientPanel(store)
    window.editor = EncounterEditor(store)

    window.left = _split(Qt.Orientation.Vertical, "leftSplitter", (window.day_sheet, 3), (window.patients, 2))
    window.splitter = _split(Qt.Orientation.Horizontal, "mainSplitter", (window.left, 5), (window.editor, 6))
    window.splitter.setContentsMargins(8, 8, 8, 8)
    window.pages.addWidget(window.splitter)
    window.printing = Printing(window)  # preview, print, save as PDF (gui.printing)
    window.backups = Backups(window)  # back up, restore, today's automatic backup (gui.backups)

    build_menus(window)  # gui.menus
    window.day_sheet.encounter_activated.connect(window.open_encounter)
    window.day_sheet.day_changed.connect(window.editor.set_day)
    window.day_sheet.print_day_button.clicked.connect(window.printing.print_day)
    window.patients.patient_chosen.connect(window.start_encounter)
    window.patients.patient_changed.connect(window.patient_changed)
    window.editor.edit_patient_requested.connect(window.patients.edit_patient)
    window.editor.saved.connect(window._encounter_saved)
    window.editor.payment_recorded.connect(window._payment_recorded)
    window.editor.superbill_requested.connect(window.printing.preview_superbill)
    window.setTabOrder(window.day_sheet.date_edit, window.day_sheet.table)
    window.setTabOrder(window.day_sheet.table, window.patients.search)
    window.setTabOrder(window.patients.search, window.patients.results)
    window.setTabOrder(window.patients.results, window.patients.new_button)
    window.setTabOrder(window.patients.new_button, window.editor.provider)
    window.splitter.setSizes([560, 800])
    window.left.setSizes([480, 320])
    restore_state(window, window._splitters())
    fit_on_screen(window)
    window.built = True
    window.recover_pending_visit()


def offer_drafts(window: MainWindow) -> None:
    """After a crash or an unfinished day: offer to open the drafts left in the database (once, after
    the first sign-in)."""
    drafts = [d for d in window.store.drafts() if d.lesions or d.em_code]
    if not drafts or window.editor.pending is not None:
        return  # a recovered visit with no patient is shown; the drafts wait on the day sheet
    names = []
    for draft in drafts[-5:]:
        patient = window.store.get_patient(draft.patient_id)
        names.append(f"• {patient.display_name}, {shown_date(draft.date_of_service)}")
    more = f"\n… and {len(drafts) - 5} more" if len(drafts) > 5 else ""
    latest = max(drafts, key=lambda d: (d.updated_at or d.created_at or 0, d.id or 0))
    if dialogs().ask(
        window,
        "Unfinished encounters",
        f"{counted(len(drafts), 'visit was', 'visits were')} not saved as final yet. "
        "Nothing was lost:\n\n" + "\n".join(names) + more + "\n\nOpen the most recent one now?",
        "Open it",
        "Later",
    ):
        window.day_sheet.set_day(latest.date_of_service)
        assert latest.id is not None
        window.open_encounter(latest.id)
