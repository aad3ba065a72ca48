"""What the window does just after its first paint: make its store (``core.store.later``).

A file that was only looked at before the window showed is checked now, before its first write. Its
sign-in screen then shows the right face (set-up when the file has no account yet). When the file
cannot be used: the recovery key is asked for when the key kept on this computer does not open it,
else the problem is said; if it still cannot be opened, the window hides and says ``cannot_open``
(``gui.app.run`` then ends the program with status 2, as when a file is refused before the window shows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import SuperbillError
from gui.dialogs import dialogs

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: the title of the message that says why the database cannot be opened
CANNOT_OPEN = "Superbill Desk cannot open the database"


def make_store(window: MainWindow) -> bool:
    """Make ``window``'s store now; False when the file cannot be used (the window is hidden)."""
    from core.store.keys import KeyMissingError

    try:
        window.store  # noqa: B018 (made at this first use)
    except KeyMissingError as missing:
        from gui.recovery_key import unlock_database

        window.asking_first.emit()
        if not unlock_database(missing.path, window):
            return _give_up(window, None)
        try:
            window.store  # noqa: B018 (made with the key just typed)
        except SuperbillError as error:
            return _give_up(window, error)
    except SuperbillError as error:
        return _give_up(window, error)
    gate = window.gate
    if not window.built and gate.face_setting_up != gate.setting_up:
        gate.show_face()  # the file had no account yet: its first administrator is set up
    return True


def _give_up(window: MainWindow, error: SuperbillError | None) -> bool:
    window.asking_first.emit()
    if error is not None:
        dialogs().problem(window, CANNOT_OPEN, error.text)
    window.hide()  # not closed: the last window closing would also ask the application to quit, with 0
    window.cannot_open.emit()
    return False
