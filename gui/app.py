"""Application start-up: build the main window for a database file and run the event loop."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from core.errors import SuperbillError
from core.logs import configure_logging, open_log_file
from core.store.later import open_later
from gui.errors import install_excepthook
from gui.main_window import WINDOW_PROGRAM, MainWindow
from gui.single_instance import ALREADY_OPEN, InstanceServer, bring_to_front, claim_database
from gui.window_state import SETTINGS_APPLICATION, SETTINGS_ORGANIZATION

log = logging.getLogger("superbill.gui")


def build_main_window(db_path: Path | None = None) -> MainWindow:
    """Return the main window for ``db_path`` (default: the user's data folder), not yet shown.

    The database is created with the demo practice when the file does not exist. The window owns
    the open store and closes it when the window is destroyed.

    An existing file is checked (ours, not damaged at its start, not too new, the key works: what must
    be known before anything is written) and its store made just after the window shows
    (``core.store.later``, ``MainWindow.store``; the recovery key or a problem is asked or said then,
    ``gui.first_paint``); a new file is made now.
    """
    # SQLite's check of every page runs in the background with today's backup (gui.backups): the
    # window opens as fast for ten years of visits as for one day
    window = MainWindow(open_later(db_path, program=WINDOW_PROGRAM))
    # the window's store (a restore replaces it) is closed when the window goes
    window.destroyed.connect(lambda *_: window.close_store())
    return window


def run(db_path: Path | None = None) -> int:
    """Start the program's window and return the exit status when it closes.

    When a window is already open on the same database file, it is asked to come to the front and
    this start ends with status 0 before the database is touched.
    """
    configure_logging()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(SETTINGS_APPLICATION)
    app.setOrganizationName(SETTINGS_ORGANIZATION)
    # before anything opens the file; it listens (and lets its lock go) once the window is on screen
    instance = claim_database(db_path, listen=False)
    if instance is None:
        print(ALREADY_OPEN)
        log.info(ALREADY_OPEN)
        return 0
    try:
        return _show_window(app, db_path, instance)
    finally:
        instance.close()  # the name is free for the next start


def _show_window(app: QApplication, db_path: Path | None, instance: InstanceServer) -> int:
    try:
        window = build_main_window(db_path)  # an existing file's recovery key is asked for once it shows
    except SuperbillError as error:
        from gui.dialogs import dialogs

        _listen(instance)  # a second start is answered while this message waits
        dialogs().problem(None, "Superbill Desk cannot open the database", error.text)
        return 2
    install_excepthook(window)
    instance.show_requested.connect(functools.partial(bring_to_front, window))
    window.on_screen.connect(functools.partial(_on_screen, instance))
    window.asking_first.connect(functools.partial(_listen, instance))
    window.cannot_open.connect(functools.partial(app.exit, 2))  # said already (gui.first_paint)
    window.show()
    status = app.exec()
    window.close_store()
    return status


def _on_screen(instance: InstanceServer) -> None:
    """What waited until the window was on screen: a second start can reach it, and the log file is
    opened (with what was logged so far, ``core.logs``)."""
    _listen(instance)
    open_log_file()


def _listen(instance: InstanceServer) -> None:
    """A second start of the program on this file is answered from now on (it no longer waits)."""
    if not instance.is_listening():
        instance.listen()
