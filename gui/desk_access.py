"""What the window does when someone signs in, and when it locks (``MainWindow.signed_in``/``lock``).

Locking hides every patient detail behind the sign-in screen: open questions are answered with their
safe choice (each dialog's Esc), the preview and the settings close, the menus go off, and the store
signs out, so no verb works until someone signs in again. What was typed stays: a visit is saved as a
draft on every change, and the window keeps its state for whoever unlocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from core.accounts import Account
from gui.menus import apply_role

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def show_work_area(window: MainWindow, account: Account) -> None:
    """After a sign-in or unlock: the work area, the role's commands, the idle timer; at the first
    sign-in of the session also the offer of unfinished visits and today's automatic backup."""
    if window.pages.currentWidget() is window.gate and window._drafts_offered:
        window.day_sheet.reload()  # another program may have changed the day while locked
        window.patients.run_search()
    window.pages.setCurrentWidget(window.splitter)
    window.menuBar().setVisible(True)
    apply_role(window, window.store)
    window.signed_in_label.setText(f"Signed in: {account.shown_name} ({account.role.label.lower()})")
    window.idle.start(int(window.store.setting("lock_after_minutes")))
    if not window._drafts_offered:
        window._drafts_offered = True
        QTimer.singleShot(0, window.offer_drafts)
        QTimer.singleShot(0, window.backups.start_daily_backup)
    window.patients.search.setFocus()


def lock(window: MainWindow) -> None:
    """Hide the patient data behind the sign-in screen; the same or another person unlocks."""
    if not window.built or window.pages.currentWidget() is window.gate:
        return
    window.idle.stop()
    for widget in QApplication.topLevelWidgets():
        if widget is not window and isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    window.printing.close()
    if window.settings_dialog is not None:
        window.settings_dialog.close()
    was = window.store.account
    window.store.sign_out()
    show_gate(window, was)


def show_gate(window: MainWindow, was: Account | None) -> None:
    """The sign-in screen in front of everything, ``was`` (who was signed in) named on it; used by
    the lock, and after a restore (the restored file has the people and passwords of the backup)."""
    window.idle.stop()
    window.gate.store = window.store
    window.menuBar().setVisible(False)
    apply_role(window, window.store)
    window.signed_in_label.setText("Locked")
    window.status_text.setText("")
    window.gate.lock(was)
    window.pages.setCurrentWidget(window.gate)
