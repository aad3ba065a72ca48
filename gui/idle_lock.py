"""Automatic lock: after the practice's idle minutes without a key or a click, the window locks.

An application-wide event filter restarts one timer on every key, click, wheel turn or touch (mouse
moves alone do not count: a bumped mouse should not keep patient data on screen). The minutes are the
setting ``lock_after_minutes`` (default 5), read at each sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

#: milliseconds in a minute (a test shortens it rather than wait minutes)
MS_PER_MINUTE = 60_000


def _activity() -> frozenset[QEvent.Type]:
    """The events that count as someone at the keyboard. Made at the first sign-in: importing
    ``QEvent`` builds the Python enum of its 180 types, and the window shows before that."""
    global _ACTIVITY
    if _ACTIVITY is None:
        from PySide6.QtCore import QEvent

        _ACTIVITY = frozenset(
            {
                QEvent.Type.KeyPress,
                QEvent.Type.MouseButtonPress,
                QEvent.Type.MouseButtonDblClick,
                QEvent.Type.Wheel,
                QEvent.Type.TouchBegin,
                QEvent.Type.ShortcutOverride,
            }
        )
    return _ACTIVITY


_ACTIVITY: frozenset[QEvent.Type] | None = None


class IdleLock(QObject):
    """Calls ``lock`` once nobody typed or clicked for ``minutes``; ``start``/``stop`` around a sign-in."""

    def __init__(self, lock: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(lock)
        self._watching = False
        self._activity: frozenset[QEvent.Type] = frozenset()

    def start(self, minutes: int) -> None:
        """Lock after ``minutes`` of no activity from now on."""
        self.timer.setInterval(max(minutes, 1) * MS_PER_MINUTE)
        self.timer.start()
        self._activity = _activity()
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True

    def stop(self) -> None:
        """Locked or closing: no timer, no filter."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._activity and self.timer.isActive():
            self.timer.start()  # starts the interval again
        return False
