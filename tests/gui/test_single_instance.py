"""One window per database file, in this process: the server name, a name left behind, the hand-over.

Each test's database lives in its own temporary folder, so its server name is its own.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QLockFile, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from gui.app import run
from gui.main_window import MainWindow
from gui.single_instance import (
    ALREADY_OPEN,
    SERVER_PREFIX,
    InstanceServer,
    ask_running_window,
    bring_to_front,
    claim,
    server_name,
)
from tests.gui.conftest import FakeDialogs

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="Windows pipes leave no file behind")


@pytest.fixture
def servers(qapp: QApplication) -> Iterator[list[InstanceServer]]:
    """Servers a test started; closed at the end so no socket file is left behind."""
    started: list[InstanceServer] = []
    yield started
    for server in started:
        server.close()


def test_the_same_file_spelt_differently_gets_the_same_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "practice.db"
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    spellings = [db, Path("../practice.db"), tmp_path / "sub" / ".." / "practice.db", str(db)]
    if hasattr(os, "symlink"):
        try:
            os.symlink(db, tmp_path / "link.db")
            spellings.append(tmp_path / "link.db")
        except OSError:  # Windows without the right to make symlinks
            pass
    names = {server_name(spelling) for spelling in spellings}
    assert len(names) == 1
    db.write_bytes(b"")  # and once the file exists
    assert {server_name(spelling) for spelling in spellings} == names


def test_other_files_and_other_users_get_other_names(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert server_name(a) != server_name(b)
    assert server_name(a, user="alice") != server_name(a, user="bob")
    name = server_name(a, user="DOMAIN\\Dr. Smith/Jones")
    assert name.startswith(f"{SERVER_PREFIX}-DOMAIN_Dr._Smith_Jones-")
    assert all(c.isalnum() or c in "-_." for c in name)
    assert len(name.rsplit("-", 1)[1]) == 16


def test_a_second_claim_hands_over_to_the_first(
    qtbot: QtBot, tmp_path: Path, servers: list[InstanceServer]
) -> None:
    name = server_name(tmp_path / "practice.db")
    assert not ask_running_window(name)  # nobody there yet
    first = claim(name)
    assert first is not None and first.is_listening()
    servers.append(first)
    with qtbot.waitSignal(first.show_requested, timeout=5000):
        assert claim(name) is None
    other = claim(server_name(tmp_path / "other.db"))  # another file: its own window
    assert other is not None and other.is_listening()
    servers.append(other)


def test_a_connection_that_says_something_else_is_ignored(
    qtbot: QtBot, tmp_path: Path, servers: list[InstanceServer]
) -> None:
    name = server_name(tmp_path / "practice.db")
    server = claim(name)
    assert server is not None
    servers.append(server)
    asked: list[bool] = []
    server.show_requested.connect(lambda: asked.append(True))
    stranger = QLocalSocket()
    stranger.connectToServer(name)
    assert stranger.waitForConnected(2000)
    stranger.write(b"x" * 200)
    stranger.waitForBytesWritten(2000)
    qtbot.waitUntil(lambda: stranger.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert asked == []


@POSIX_ONLY
def test_a_name_left_behind_by_a_crash_does_not_block_a_new_start(
    qtbot: QtBot, tmp_path: Path, servers: list[InstanceServer]
) -> None:
    name = server_name(tmp_path / "practice.db")
    left_behind = os.path.join(QDir.tempPath(), name)
    # what a killed window leaves: a socket file nobody listens on
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(left_behind)
    try:
        assert os.path.exists(left_behind)
        assert not ask_running_window(name)
        server = claim(name)
        assert server is not None and server.is_listening()
        servers.append(server)
        with qtbot.waitSignal(server.show_requested, timeout=5000):
            assert claim(name) is None  # and the next start reaches it
        server.close()
        assert not os.path.exists(left_behind)  # a window that closes frees its name
    finally:
        QLocalServer.removeServer(name)


def test_the_window_comes_to_the_front_when_asked(
    qtbot: QtBot, window: MainWindow, db_path: Path, servers: list[InstanceServer]
) -> None:
    server = claim(server_name(db_path))
    assert server is not None
    servers.append(server)
    server.show_requested.connect(lambda: bring_to_front(window))
    window.showMaximized()
    window.showMinimized()
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: window.isMinimized() and not window.isActiveWindow())

    assert ask_running_window(server_name(db_path))

    qtbot.waitUntil(lambda: not window.isMinimized(), timeout=5000)
    assert window.isVisible()
    assert window.isMaximized()  # back as it was before it was minimised
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_a_start_on_a_file_already_open_asks_that_window_and_never_opens_the_file(
    qtbot: QtBot,
    tmp_path: Path,
    servers: list[InstanceServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("gui.app.configure_logging", lambda: None)  # no process-wide log file from a test

    def open_later(*args: object, **kwargs: object) -> None:
        raise AssertionError("the database was opened")

    monkeypatch.setattr("gui.app.open_later", open_later)
    db = tmp_path / "practice.db"
    open_window = claim(server_name(db))  # the window already open on it
    assert open_window is not None
    servers.append(open_window)
    with qtbot.waitSignal(open_window.show_requested, timeout=5000):
        assert run(db) == 0
    assert ALREADY_OPEN in capsys.readouterr().out
    assert not db.exists()


def test_run_brings_its_window_to_the_front_and_frees_the_name_when_closed(
    qtbot: QtBot,
    db_path: Path,
    fake_dialogs: FakeDialogs,
    sync_pool: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("gui.app.configure_logging", lambda: None)
    monkeypatch.setattr("gui.app.install_excepthook", lambda window: None)
    fake_dialogs.defaults = {"choose": None, "ask": False}  # the start-up offer of drafts, if any
    seen: list[str] = []

    def second_start() -> None:
        app = QApplication.instance()
        try:
            window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
            qtbot.addWidget(window)
            # it listens (and lets the lock file go) once on screen, just after it was shown
            qtbot.waitUntil(lambda: ask_running_window(server_name(db_path)), timeout=5000)
            window.showMinimized()
            qtbot.waitUntil(window.isMinimized)
            assert ask_running_window(server_name(db_path))
            qtbot.waitUntil(lambda: not window.isMinimized(), timeout=5000)
            seen.append("front")
            window.close()
        finally:
            QTimer.singleShot(0, app.quit)

    QTimer.singleShot(0, second_start)
    assert run(db_path) == 0
    assert seen == ["front"]
    assert not ask_running_window(server_name(db_path))  # the name is free again


@POSIX_ONLY
def test_a_start_waits_while_another_start_is_taking_the_name(
    qtbot: QtBot, tmp_path: Path, servers: list[InstanceServer]
) -> None:
    """The race: between bind and listen, the other start's name is a file nobody answers on yet.

    It must not be mistaken for a name left behind: the lock around "connect, else listen" makes the
    second start wait, then connect to the first.
    """
    name = server_name(tmp_path / "practice.db")
    racer_lock = QLockFile(os.path.join(QDir.tempPath(), f"{name}.lock"))
    assert racer_lock.tryLock(0)
    half_done = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    half_done.bind(os.path.join(QDir.tempPath(), name))  # bound, not listening yet
    outcome: list[InstanceServer | None] = []
    second = threading.Thread(target=lambda: outcome.append(claim(name)))
    try:
        second.start()
        second.join(timeout=1.0)
        assert second.is_alive(), "the second start did not wait for the first"
        half_done.close()
        first = InstanceServer(name)  # the first start goes on and listens
        servers.append(first)
        assert first.listen()
        with qtbot.waitSignal(first.show_requested, timeout=10_000):
            racer_lock.unlock()
        second.join(timeout=10)
        assert outcome == [None]  # the second start handed over to the first
    finally:
        half_done.close()
        racer_lock.unlock()
        second.join(timeout=10)
        for server in outcome:
            if server is not None:
                server.close()
        QLocalServer.removeServer(name)


def test_a_start_that_listens_once_its_window_shows_keeps_the_lock_until_then(
    qtbot: QtBot, tmp_path: Path, servers: list[InstanceServer]
) -> None:
    """``claim(listen=False)`` (the window's start: it listens once on screen) holds the lock file until it
    listens, so a start at the same moment waits and then hands over instead of opening a second window."""
    name = server_name(tmp_path / "practice.db")
    first = claim(name, listen=False)
    assert first is not None and not first.is_listening()
    servers.append(first)
    outcome: list[InstanceServer | None] = []
    second = threading.Thread(target=lambda: outcome.append(claim(name)))
    try:
        second.start()
        second.join(timeout=1.0)
        assert second.is_alive(), "the second start did not wait for the first to listen"
        with qtbot.waitSignal(first.show_requested, timeout=10_000):
            assert first.listen()
        second.join(timeout=10)
        assert outcome == [None]  # the second start handed over to the first
    finally:
        second.join(timeout=10)
        for server in outcome:
            if server is not None:
                server.close()


def test_closing_a_start_that_never_listened_lets_the_lock_go(tmp_path: Path) -> None:
    name = server_name(tmp_path / "practice.db")
    first = claim(name, listen=False)
    assert first is not None
    first.close()  # the database could not be opened: the program ends without a window
    lock = QLockFile(os.path.join(QDir.tempPath(), f"{name}.lock"))
    assert lock.tryLock(0), "the lock file was kept"
    lock.unlock()
