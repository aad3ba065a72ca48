"""File → Remove the demo patients…: asked first, then the demo patients and their visits go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.text import counted
from gui.dialogs import dialogs

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def remove_demo_data(window: MainWindow) -> None:
    """Delete the demo patients and their visits before real work starts (asks first)."""
    if not window.store.has_demo_data():
        dialogs().inform(window, "No demo patients", "There are no demo patients left in this database.")
        return
    if not dialogs().ask(
        window,
        "Remove the demo patients?",
        "The demo patients and all their visits will be deleted. The practice, providers, payers and "
        "fees stay so you can change them into your own (File → Settings).",
        "Remove the demo patients",
        "Keep them",
        default_yes=False,  # Enter keeps them: deleting takes a deliberate choice
    ):
        return
    patients, encounters = window.store.remove_demo_data()
    if window.editor.encounter is not None:  # a pending visit has no patient: it stays
        window.editor.clear()
    window.day_sheet.reload()
    window.patients.run_search()
    dialogs().inform(
        window,
        "Demo patients removed",
        f"{counted(patients, 'demo patient')} and {counted(encounters, 'visit')} were removed.",
    )
