"""Application start-up: build the main window for a database file and run the event loop."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from core.errors import SuperbillError
from core.logs import configure_logging
from core.store import open_store
from gui.errors import install_excepthook
from gui.main_window import SETTINGS_APPLICATION, SETTINGS_ORGANIZATION, MainWindow

log = logging.getLogger("superbill.gui")


def build_main_window(db_path: Path | None = None) -> MainWindow:
    """Return the main window for ``db_path`` (default: the user's data folder), not yet shown.

    The database is created with the demo practice when the file does not exist. The window owns
    the open store and closes it when the window is destroyed.
    """
    window = MainWindow(open_store(db_path))
    # the window's store (a restore replaces it) is closed when the window goes
    window.destroyed.connect(lambda *_: window.store.close())
    return window


def run(db_path: Path | None = None) -> int:
    """Start the program's window and return the exit status when it closes."""
    configure_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(SETTINGS_APPLICATION)
    app.setOrganizationName(SETTINGS_ORGANIZATION)
    try:
        window = build_main_window(db_path)
    except SuperbillError as error:
        from gui.dialogs import dialogs

        dialogs().problem(None, "Superbill Desk cannot open the database", error.text)
        return 2
    install_excepthook(window)
    window.show()
    status = app.exec()
    window.store.close()
    return status
