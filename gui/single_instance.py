"""One window per database file: a second start on the same file brings the open window to the front.

The first window on a database listens on a local server (a Unix socket file in the temporary folder,
a named pipe on Windows) whose name is derived from the resolved database path and the OS user. A
second start on that file connects, sends ``show`` and ends without opening the database; the first
window, on the message, comes to the front. A name left behind by a window that ended abruptly (a
crash, a power cut, a killed process) does not block a new start: nobody answers on it, so it is
removed and taken over. Two starts at the same moment are serialised by a short lock file around
"connect, else listen", so exactly one of them listens and the other connects to it.

The window's start claims the name without listening yet (``claim(name, listen=False)``): it keeps the
lock file until it listens, just after the window shows, so the check costs little before the window
(no QtNetwork where no socket file says a window may be listening) and a start at the same moment
still waits for it.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QLockFile, QObject, Signal

if TYPE_CHECKING:  # QtNetwork is imported when there is a window to ask, or to listen
    from PySide6.QtNetwork import QLocalServer, QLocalSocket
    from PySide6.QtWidgets import QWidget

log = logging.getLogger("superbill.gui")

#: what a second start prints (and logs) before it ends with status 0
ALREADY_OPEN = "Superbill Desk is already open on this database; bringing that window to the front."
#: what the open window logs when a second start asks it to come to the front
ASKED_TO_FRONT = "A second start on this database asked this window to come to the front."

SERVER_PREFIX = "superbill-desk"
SHOW = b"show"
_MAX_MESSAGE = 64  # bytes read from a connection before it is dropped as not ours
_TIMEOUT_MS = 2000
_LOCK_TIMEOUT_MS = 5000


def database_key(db_path: Path | str) -> str:
    """The database file as one string: absolute, symlinks resolved, case-folded where the OS does."""
    return os.path.normcase(str(Path(db_path).resolve()))


def _user() -> str:
    try:
        user = _login_name()
    except (OSError, KeyError):  # no login name in the environment nor in the password database
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:32] or "user"


def _login_name() -> str:
    """``getpass.getuser()``, without importing getpass (and the terminal modules it brings) where the
    environment or the password database answers, as it does first."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if user := os.environ.get(name):
            return user
    if sys.platform != "win32":
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    import getpass

    return getpass.getuser()


def server_name(db_path: Path | str, user: str | None = None) -> str:
    """The local server name of the window open on ``db_path`` for this OS user.

    ``superbill-desk-<user>-<first 16 hex of the sha256 of database_key(db_path)>``: the same file
    spelt differently (relative path, symlink) gives the same name; another file or user another one.
    """
    # Qt's SHA-256 (QtCore is loaded already; hashlib would load OpenSSL before the window shows)
    from PySide6.QtCore import QCryptographicHash

    hashed = QCryptographicHash.hash(
        database_key(db_path).encode("utf-8"), QCryptographicHash.Algorithm.Sha256
    )
    digest = bytes(hashed.toHex().data()).decode("ascii")[:16]
    who = _user() if user is None else re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:32] or "user"
    return f"{SERVER_PREFIX}-{who}-{digest}"


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` above the others: un-minimised (keeping maximised or full screen), raised, active."""
    from PySide6.QtCore import Qt  # its Python enums are built at first use: not before the window shows

    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def ask_running_window(name: str, timeout_ms: int = _TIMEOUT_MS) -> bool:
    """Ask the window listening on ``name`` to come to the front; False when no window answers."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    _allow_other_process_to_come_forward()
    socket.write(SHOW + b"\n")
    socket.waitForBytesWritten(timeout_ms)
    delivered = socket.bytesToWrite() == 0
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    return delivered


def _allow_other_process_to_come_forward() -> None:
    # Windows lets only the process the user just started take the foreground; it hands that right on.
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


class InstanceServer(QObject):
    """The open window's end: emits ``show_requested`` when a second start asks for the window."""

    show_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None
        #: held from a ``claim(listen=False)`` until ``listen`` (or ``close``)
        self._lock: QLockFile | None = None

    def is_listening(self) -> bool:
        """True while a second start on this database can reach this window."""
        return self._server is not None and self._server.isListening()

    def listen(self) -> bool:
        """Listen on the name, taking it over when it was left behind by a window that ended abruptly.

        Call only when nobody answered on the name (``ask_running_window`` was False). A claim's lock
        file is let go once listening (or failing to).
        """
        try:
            return self._listen()
        finally:
            self._release()

    def _listen(self) -> bool:
        from PySide6.QtNetwork import QAbstractSocket, QLocalServer

        if self._server is None:
            self._server = QLocalServer(self)
            self._server.newConnection.connect(self._accept)
        if self._server.listen(self.name):
            log.info("Listening as %s for a second start on this database.", self.name)
            return True
        if self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            log.info("Taking over %s, left behind by a window that ended abruptly.", self.name)
            QLocalServer.removeServer(self.name)
            if self._server.listen(self.name):
                log.info("Listening as %s for a second start on this database.", self.name)
                return True
        log.warning(
            "Cannot listen as %s (%s); a second start on this database will open a second window.",
            self.name,
            self._server.errorString(),
        )
        return False

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def close(self) -> None:
        """Stop listening (the name is free for the next start)."""
        self._release()
        if self._server is not None:
            self._server.close()

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            received = bytearray()

            def read(socket: QLocalSocket = socket, received: bytearray = received) -> None:
                if socket.property("handled"):
                    return
                received += bytes(socket.readAll().data())
                line, newline, _rest = bytes(received).partition(b"\n")
                if not newline and len(received) <= _MAX_MESSAGE:
                    return  # wait for the rest of the line
                socket.setProperty("handled", True)
                if newline and line.strip() == SHOW:
                    log.info(ASKED_TO_FRONT)
                    self.show_requested.emit()
                socket.disconnectFromServer()

            socket.readyRead.connect(read)
            socket.disconnected.connect(read)  # data that came with the hang-up
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                read()


def claim(name: str, *, listen: bool = True) -> InstanceServer | None:
    """Become the window for ``name``, or hand over to the window already open on it.

    Returns this window's server (listening, unless the OS refused: then a warning is logged and the
    window opens anyway), or ``None`` when another window holds the name and was asked to come to
    the front. "Connect, else listen" runs under a lock file, so of two starts at the same moment
    one listens and the other connects to it.

    With ``listen`` False the server keeps the lock file and listens (letting it go) when its
    ``listen`` is called, just after the window shows: a start at the same moment waits until then.
    """
    lock = QLockFile(os.path.join(QDir.tempPath(), f"{name}.lock"))
    locked = lock.tryLock(_LOCK_TIMEOUT_MS)
    if not locked:
        log.warning("Could not lock %s; going on without it.", lock.fileName())
    try:
        if _may_be_listening(name) and ask_running_window(name):
            return None
        server = InstanceServer(name)
        if not listen:
            server._lock, locked = (lock if locked else None), False  # let go by its listen or close
        else:
            server.listen()
        return server
    finally:
        if locked:
            lock.unlock()


def _may_be_listening(name: str) -> bool:
    """False when no window can be listening on ``name``: on macOS and Linux a listening window has a
    socket file in the temporary folder (a file left by a crash is found by asking). Windows' named
    pipes are always asked."""
    if sys.platform == "win32":
        return True
    return os.path.lexists(os.path.join(QDir.tempPath(), name))


def claim_database(db_path: Path | None, *, listen: bool = True) -> InstanceServer | None:
    """``claim`` for the database file ``db_path`` (``None``: the default file); nothing is opened."""
    if db_path is None:
        from core.paths import default_db_path

        db_path = default_db_path()
    return claim(server_name(db_path), listen=listen)
