"""The background helper: work off the main thread, results back on it, errors to on_error."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from gui import background
from gui.background import SynchronousPool, run_in_background


def test_runs_off_the_main_thread_and_reports_back_on_it(qtbot: QtBot) -> None:
    background.set_pool(None)
    parent = QObject()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value: object) -> None:
        seen["value"] = value
        seen["done_on_main"] = threading.current_thread() is threading.main_thread()

    run_in_background(parent, work, done, lambda error: seen.setdefault("error", error))
    qtbot.waitUntil(lambda: "value" in seen, timeout=30_000)
    assert seen == {"worker": False, "value": 42, "done_on_main": True}


def test_errors_go_to_on_error(qtbot: QtBot) -> None:
    background.set_pool(None)
    parent = QObject()
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("broken")

    run_in_background(parent, work, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)  # the shared pool may be busy on a loaded machine
    assert isinstance(errors[0], ValueError)


def test_synchronous_pool_runs_in_order() -> None:
    previous = background.set_pool(SynchronousPool())
    try:
        parent = QObject()
        order: list[str] = []
        run_in_background(parent, lambda: order.append("work") or 1, lambda _v: order.append("done"), print)
        assert order == ["work", "done"]
    finally:
        background.set_pool(previous)


def test_a_window_closed_while_its_work_runs_is_not_told_and_nothing_breaks(qtbot: QtBot) -> None:
    """The work ends after its window is gone (a daily backup still checking when the desk closes)."""
    background.set_pool(None)
    parent = QObject()
    release = threading.Event()
    finished = threading.Event()
    told: list[object] = []

    def work() -> int:
        release.wait(30)
        finished.set()
        return 1

    run_in_background(parent, work, told.append, told.append)
    parent.deleteLater()
    qtbot.waitUntil(lambda: _deleted(parent), timeout=5_000)
    release.set()
    assert finished.wait(30)
    qtbot.wait(200)  # any queued report would arrive now; an emit on a deleted relay raised here before
    assert told == []


def _deleted(obj: QObject) -> bool:
    from shiboken6 import isValid

    return not isValid(obj)
