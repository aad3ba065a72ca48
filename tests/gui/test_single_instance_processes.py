"""One window per database file, with real processes: `python main.py --db X` started twice.

Readiness and the show request are read from the log file of the data folder (``core.paths.log_file``):
the window logs ``Listening as <server name> …`` once a second start can reach it, and
``single_instance.ASKED_TO_FRONT`` when a second start asked it to come to the front.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer

from gui.single_instance import ALREADY_OPEN, ASKED_TO_FRONT, server_name

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # seconds; a loaded CI machine starts Qt slowly

pytestmark = pytest.mark.slow


class Desk:
    """Starts `python main.py --db …` processes on one data folder; ends them all at the end."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.data_dir = tmp_path / "userdata"
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []
        self.names: set[str] = set()

    def env(self) -> dict[str, str]:
        return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SUPERBILL_DATA_DIR": str(self.data_dir)}

    def command(self, db: Path | str) -> list[str]:
        self.names.add(server_name(Path(ROOT, db)))
        return [sys.executable, "main.py", "--db", str(db)]

    def start(self, db: Path | str) -> subprocess.Popen[bytes]:
        """A window on ``db`` (the output goes to a file, so a full pipe never blocks it)."""
        output = self.tmp_path / f"output-{len(self.processes)}.txt"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                self.command(db), cwd=ROOT, env=self.env(), stdout=sink, stderr=subprocess.STDOUT
            )
        self.processes.append((process, output))
        return process

    def run(self, db: Path | str) -> subprocess.CompletedProcess[str]:
        """A start that is expected to end by itself."""
        return subprocess.run(
            self.command(db), cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=START_TIMEOUT
        )

    def output(self, process: subprocess.Popen[bytes]) -> str:
        path = next(path for started, path in self.processes if started is process)
        return path.read_text(encoding="utf-8", errors="replace")

    def log(self) -> str:
        path = self.data_dir / "logs" / "superbill.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def wait_for(self, what: str, condition: Callable[[], bool], *alive: subprocess.Popen[bytes]) -> None:
        """Poll until ``condition``; fail early, with the output, if a window that must live ended."""
        deadline = time.monotonic() + START_TIMEOUT
        while not condition():
            for process in alive:
                if process.poll() is not None:
                    ended = f"a window ended ({process.returncode}) before {what}"
                    pytest.fail(f"{ended}:\n{self.output(process)}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; log:\n{self.log()}")
            time.sleep(0.05)

    def wait_listening(self, db: Path, *alive: subprocess.Popen[bytes]) -> None:
        """Until the window on ``db`` has logged that a second start can reach it."""
        line = f"Listening as {server_name(db)} "
        self.wait_for(f"the window on {db.name} to listen", lambda: line in self.log(), *alive)

    def close(self) -> None:
        for process, _output in self.processes:
            if process.poll() is None:
                process.terminate()
        for process, _output in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for name in self.names:  # a terminated window leaves its socket file behind
            QLocalServer.removeServer(name)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    started = Desk(tmp_path)
    yield started
    started.close()


def test_a_second_start_on_the_same_file_brings_the_first_window_forward(desk: Desk, tmp_path: Path) -> None:
    db = tmp_path / "practice.db"
    first = desk.start(db)
    desk.wait_listening(db, first)

    # the same file, spelt relative to the program's folder
    second = desk.run(os.path.relpath(db, ROOT))
    assert second.returncode == 0, second.stdout + second.stderr
    assert ALREADY_OPEN in second.stdout
    desk.wait_for("the first window to be asked to the front", lambda: ASKED_TO_FRONT in desk.log(), first)
    assert first.poll() is None
    assert desk.log().count(ASKED_TO_FRONT) == 1

    other_db = tmp_path / "other practice.db"
    other = desk.start(other_db)  # another file gets its own window
    desk.wait_listening(other_db, first, other)
    # it listens before it opens its database (a second start must never wait for the file)
    desk.wait_for("the other window to open its own database", other_db.exists, first, other)
    assert first.poll() is None and other.poll() is None


def test_of_two_starts_at_the_same_moment_one_opens_the_window(desk: Desk, tmp_path: Path) -> None:
    db = tmp_path / "practice.db"
    starts = [desk.start(db), desk.start(db)]
    desk.wait_for("one of the two starts to end", lambda: any(p.poll() is not None for p in starts))
    ended = [p for p in starts if p.poll() is not None]
    assert len(ended) == 1
    assert ended[0].returncode == 0, desk.output(ended[0])
    assert ALREADY_OPEN in desk.output(ended[0])
    (window,) = [p for p in starts if p is not ended[0]]
    desk.wait_for("the window to be asked to the front", lambda: ASKED_TO_FRONT in desk.log(), window)
    desk.wait_listening(db, window)
    assert window.poll() is None


@pytest.mark.skipif(sys.platform == "win32", reason="a killed process leaves no pipe behind on Windows")
def test_a_window_killed_without_closing_does_not_block_the_next_start(desk: Desk, tmp_path: Path) -> None:
    db = tmp_path / "practice.db"
    first = desk.start(db)
    desk.wait_listening(db, first)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    second = desk.start(db)
    desk.wait_for(
        "the next start to take the name over",
        lambda: f"Taking over {server_name(db)}" in desk.log() and desk.log().count("Listening as") == 2,
        second,
    )
    assert second.poll() is None
    again = desk.run(db)  # and it is the window a third start finds
    assert again.returncode == 0 and ALREADY_OPEN in again.stdout
