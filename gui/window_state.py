"""What the window remembers per computer: its size, splitter positions and the folder files were last
saved in (``QSettings``, per user).

Only window state lives here; business settings are in the database (``core.store.settings``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:  # imported where used: the window shows before them (importing builds their enums)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QSplitter, QWidget

SETTINGS_ORGANIZATION = "SuperbillDesk"
SETTINGS_APPLICATION = "Superbill Desk"


def window_settings() -> QSettings:
    """Where the window remembers its size and splitter positions."""
    from PySide6.QtCore import QSettings

    return QSettings(SETTINGS_ORGANIZATION, SETTINGS_APPLICATION)


def restore_state(window: QWidget, splitters: dict[str, QSplitter]) -> None:
    """Give ``window`` the size and ``splitters`` (key → splitter) the positions remembered last time."""
    from PySide6.QtCore import QByteArray

    settings = window_settings()
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    for key, splitter in splitters.items():
        state = settings.value(f"window/{key}")
        if isinstance(state, QByteArray):
            splitter.restoreState(state)


def fit_on_screen(window: QWidget) -> None:
    """Never larger than the screen's free area (without the taskbar or dock), at any scaling: the
    size asked for (or remembered from a larger screen) is cut down to it, and the window is moved
    inside it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()  # the title bar and borders
    width = min(window.width(), free.width() - frame.width())
    height = min(window.height(), free.height() - frame.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    position = window.frameGeometry()
    x = min(max(position.x(), free.left()), free.right() - position.width() + 1)
    y = min(max(position.y(), free.top()), free.bottom() - position.height() + 1)
    if (x, y) != (position.x(), position.y()):
        window.move(x, y)


def save_state(window: QWidget, splitters: dict[str, QSplitter]) -> None:
    """Remember the size of ``window`` and the positions of ``splitters`` for next time."""
    settings = window_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    for key, splitter in splitters.items():
        settings.setValue(f"window/{key}", splitter.saveState())


def last_folder(kind: str) -> Path:
    """The folder a file of ``kind`` (``"pdf"``) was last saved in on this computer, for this user;
    the first time, or when that folder is gone, the user's Documents folder (where Windows and macOS
    programs save by default), else the home folder."""
    from PySide6.QtCore import QStandardPaths

    remembered = window_settings().value(f"files/{kind}-folder")
    if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(kind: str, saved: Path) -> None:
    """The next save of a ``kind`` file starts in the folder ``saved`` went to."""
    window_settings().setValue(f"files/{kind}-folder", str(saved.parent))
