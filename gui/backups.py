"""Backups from the window: *Back up now…*, *Restore from a backup…* and today's automatic backup.

``MainWindow`` creates one ``Backups`` and connects its menu actions and the settings dialog's
Backup page to it; the copying, checking and pruning is ``core.backup``. A restore replaces the
database file under the open window: the window closes its store, ``core.backup.restore_database``
keeps the current file aside and puts the backup in its place, and the window reopens the file
(``MainWindow.use_store``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from core.accounts import Action
from gui.background import run_in_background
from gui.dialogs import dialogs
from gui.errors import show_error

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: what a backup file is called in the file choosers
BACKUP_FILES = "Superbill Desk backups (*.db)"


class Backups(QObject):
    """Back up and restore the database of ``window``; its status line says what the daily backup did."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def start_daily_backup(self) -> None:
        """Check the whole file, then take today's automatic backup, in the background (the backup once
        a day; old ones are pruned). A damaged file is said at once and never copied over a backup."""
        from core.backup import keep_days_setting, run_daily_backup
        from core.store.file_check import check_file

        store = self.window.store
        path = store.path
        if path is None:
            return
        today = store.today()
        keep = keep_days_setting(store)

        def done(made: Path | None) -> None:
            if made is not None:
                self.window.status_text.setText(f"Today's automatic backup was saved: {made}")

        def failed(error: BaseException) -> None:
            show_error(self.window, error, "check the database file and take today's automatic backup")

        def check_then_back_up() -> Path | None:
            check_file(path)
            return run_daily_backup(path, today=today, keep_days=keep)

        run_in_background(self.window, check_then_back_up, done, failed)

    def backup_now(self) -> None:
        """Copy the database to a file the user picks."""
        from core.backup import backup_database

        store = self.window.store
        store.require(Action.BACKUP)
        if store.path is None:
            dialogs().inform(
                self.window, "Back up", "This database lives in memory only; there is no file to back up."
            )
            return
        suggested = store.path.parent / f"superbill-backup-{store.today().isoformat()}.db"
        target = dialogs().save_file(self.window, "Back up the database to…", suggested, BACKUP_FILES)
        if target is None:
            return
        written = backup_database(store.path, target)
        dialogs().inform(self.window, "Backup done", f"The database was copied to\n{written}")

    def restore_backup(self) -> None:
        """Replace the database with a checked backup (the current file is kept aside)."""
        from core.backup import check_database_file, restore_database
        from core.store import open_store
        from core.store.keys import KeyMissingError
        from gui.main_window import WINDOW_PROGRAM

        window = self.window
        window.store.require(Action.RESTORE)  # core decides, whatever the menu showed
        path = window.store.path
        if path is None:
            return
        backup = dialogs().open_file(window, "Restore from which backup?", path.parent, BACKUP_FILES)
        if backup is None:
            return
        recovery_key = None
        try:
            check_database_file(backup, database=path)
        except KeyMissingError:  # a backup made on another computer: its recovery key opens it
            from gui.recovery_key import backup_recovery_key

            recovery_key = backup_recovery_key(backup, window)
            if recovery_key is None:
                return
        if not window.may_drop_pending("Restore the backup"):
            return
        if not dialogs().ask(
            window,
            "Replace the database?",
            f"Everything entered since that backup was made will be replaced by the backup\n{backup}\n\n"
            "The current database is kept aside as a copy first.",
            "Restore the backup",
            "Keep the current database",
            default_yes=False,  # Enter keeps the database: replacing it takes a deliberate choice
        ):
            return
        window.editor.clear()
        if window.settings_dialog is not None:
            window.settings_dialog.close()  # it holds the old store
        window.store.close()
        try:
            kept = restore_database(backup, path, recovery_key=recovery_key)
        finally:
            window.use_store(open_store(path, seed_demo=False, program=WINDOW_PROGRAM))
        note = f"\nThe previous database was kept as\n{kept}" if kept else ""
        dialogs().inform(window, "Backup restored", f"The backup was restored.{note}")
