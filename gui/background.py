"""The one helper for slow work: ``run_in_background(parent, fn, on_done, on_error)`` on a thread pool.

``fn`` runs on a worker thread and never touches a widget; ``on_done(result)`` or ``on_error(exc)`` run
back on the main thread, and only while ``parent`` is alive (work that outlasts its window ends quietly).
Tests swap in ``SynchronousPool`` with ``set_pool`` so the same code runs in order, without threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid


class Pool(Protocol):
    """What ``run_in_background`` needs from a pool: ``QThreadPool.start``."""

    def start(self, runnable: QRunnable) -> None: ...


class SynchronousPool:
    """Runs each job at once on the calling thread (for tests and benchmarks)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


class _Relay(QObject):
    """Carries the result back to the main thread through a queued signal."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as error:  # handed to on_error on the main thread
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)


_pool: Pool | None = None
_waiting: set[_Relay] = set()  # relays whose work has not reported yet (touched on the main thread only)


def _forget(relay: _Relay) -> None:
    _waiting.discard(relay)
    relay.deleteLater()


def set_pool(pool: Pool | None) -> Pool | None:
    """Use ``pool`` for background work (``None``: Qt's global pool); returns the previous one."""
    global _pool
    previous, _pool = _pool, pool
    return previous


def run_in_background(
    parent: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Run ``fn()`` off the main thread, then ``on_done(result)`` or ``on_error(error)`` on it."""
    # The relay belongs to nobody but this call: were it the parent's child, closing the window while the
    # work runs would delete it under the worker's emit. It lives until its report arrives, and the report
    # is dropped when the parent is gone by then.
    relay = _Relay()
    _waiting.add(relay)  # kept alive here, not by garbage-collector luck, until its report arrives

    def finished(result: Any) -> None:
        _forget(relay)
        if isValid(parent):
            on_done(result)

    def failed(error: BaseException) -> None:
        _forget(relay)
        if isValid(parent):
            on_error(error)

    relay.done.connect(finished)
    relay.failed.connect(failed)
    (_pool or QThreadPool.globalInstance()).start(_Job(fn, relay))
