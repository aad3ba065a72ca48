"""Application start-up: build the main window for a database file and run the event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def build_main_window(db_path: Path | None = None) -> QMainWindow:
    """Return the main window for ``db_path`` (default: the user's data folder), not yet shown."""
    window = QMainWindow()
    window.setObjectName("mainWindow")
    window.setWindowTitle("Superbill Desk")
    window.setCentralWidget(QLabel("Superbill Desk — the front-desk window is being built."))
    return window


def run(db_path: Path | None = None) -> int:
    """Start the program's window and return the exit status when it closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Superbill Desk")
    app.setOrganizationName("SuperbillDesk")
    window = build_main_window(db_path)
    window.show()
    return app.exec()
