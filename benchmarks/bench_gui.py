"""GUI speed: start-up to a shown window, and a quick-entry Enter to updated coded lines.

Prints medians and ratios measured in this run:

- start-up: a new process that opens an existing database, builds the main window and shows it
  (until the window is exposed: since issue 11 it opens on the sign-in screen, the work area is built
  at the first sign-in), against a process that shows a bare ``QMainWindow``; once with the
  demo practice and once with a practice's ten years (250,000 encounters, ``bench_store.Seeder``):
  start-up must not grow with the file (goal: each at most 1.3x the bare window);
- quick entry: Enter on ``12 ak face cryo`` until ``codedLinesTable`` shows the codes (parse, code,
  price, save the draft, update the day sheet row), against Enter in a plain ``QLineEdit`` (goal: at
  most 16 ms).

``PYTHONDONTWRITEBYTECODE`` is dropped for the child processes and each kind starts once before the
timed runs, so the figures include no compilation (an installed program has its bytecode).
Run: ``python benchmarks/bench_gui.py [--large N]`` (N encounters for the large file, default 250,000).

Runs offscreen in a temporary data folder; never touches the real user data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP_REPEATS = 7
ENTRY_REPEATS = 40
STARTUP_GOAL = 1.3  # window shown, against a bare QMainWindow shown
ENTRY_GOAL_MS = 16.0

_CHILD = r"""
import sys, time
start = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtTest import QTest
app = QApplication([])
if sys.argv[1] == "bare":
    window = QMainWindow()
else:
    from pathlib import Path
    from gui.app import build_main_window
    from gui.dialogs import Dialogs, set_dialogs
    class Later(Dialogs):  # "Open the unfinished visits now?" (the last days' drafts): later
        def ask(self, *args, **kwargs):
            return False
    set_dialogs(Later())
    from core.logs import configure_logging
    from gui.single_instance import claim_database
    configure_logging()  # what gui.app.run does before the window: the log, one window per file
    # kept for the life of the window; as in gui.app.run it listens once the window is on screen
    instance = claim_database(Path(sys.argv[2]), listen=False)
    window = build_main_window(Path(sys.argv[2]))
window.show()
QTest.qWaitForWindowExposed(window)
print(time.perf_counter() - start, flush=True)
"""


def _environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SUPERBILL_DATA_DIR=str(folder / "data"),
        SUPERBILL_KEYSTORE="file",  # database keys in the temporary data folder, not the key store
        XDG_CONFIG_HOME=str(folder / "config"),
    )
    return env


def _process_seconds(args: list[str], env: dict[str, str]) -> float:
    """Wall time from starting the interpreter to the window shown (measured outside the child: until
    it says the window is exposed). The child is then ended: what it would do next (today's backup,
    the whole-file check, both in the background) is not part of start-up."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - began
    child.kill()
    child.wait()
    if not line.strip():
        raise SystemExit(f"the start-up child {args} ended without showing its window")
    return elapsed


def ten_years(db: Path, encounters: int) -> None:
    """A practice's ten years in ``db``: the demo practice, then ``bench_store``'s bulk seeding."""
    from bench_store import Seeder, signed_in

    from core.store import open_store

    with signed_in(open_store(db)) as store:
        provider_id = store.default_provider().id
        payer_ids = [p.id for p in store.payers() if p.id is not None]
    assert provider_id is not None
    Seeder(db, random.Random(20261127)).grow_to(encounters, provider_id, payer_ids)


def bench_startup(folder: Path, large: int) -> None:
    env = _environment(folder)
    from core.store import open_store

    demo = folder / "practice.db"
    from bench_store import signed_in

    signed_in(open_store(demo)).close()  # the demo practice and its administrator, as on a normal morning
    big = folder / "ten-years.db"
    ten_years(big, large)
    size = big.stat().st_size / 1e6
    runs: dict[str, list[float]] = {"bare": [], "demo": [], "big": []}
    commands = {"bare": ["bare"], "demo": ["app", str(demo)], "big": ["app", str(big)]}
    for kind in runs:
        _process_seconds(commands[kind], env)  # warm-up: bytecode written, files in the page cache
    kinds = list(runs)
    for round_ in range(STARTUP_REPEATS):  # interleaved, each first in turn: each sees the same load
        for kind in kinds[round_ % 3 :] + kinds[: round_ % 3]:
            runs[kind].append(_process_seconds(commands[kind], env))
    b, d, g = (statistics.median(runs[k]) for k in ("bare", "demo", "big"))
    print(f"startup, bare QMainWindow shown:      {b * 1000:7.0f} ms (median of {STARTUP_REPEATS})")
    print(
        f"startup, window shown (demo file):    {d * 1000:7.0f} ms  ratio {d / b:5.2f}  "
        f"(goal <= {STARTUP_GOAL})"
    )
    print(
        f"startup, window shown ({large:,} enc., {size:.0f} MB): {g * 1000:7.0f} ms  ratio {g / b:5.2f}  "
        f"(goal <= {STARTUP_GOAL})"
    )


def bench_quick_entry(folder: Path) -> None:
    os.environ.update(_environment(folder))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

    app = QApplication.instance() or QApplication([])
    from gui.app import build_main_window
    from gui.dialogs import Dialogs, set_dialogs

    class Quiet(Dialogs):
        def ask(self, *args: object, **kwargs: object) -> bool:
            return False

        def show_recovery_key(self, *args: object) -> bool:  # the new file's key: taken as written down
            return True

    set_dialogs(Quiet())
    window = build_main_window(folder / "entry.db")
    window.show()
    QTest.qWaitForWindowExposed(window)
    from bench_store import BENCH_PASSWORD, BENCH_USER

    for name, text in (("signInUser", BENCH_USER), ("signInPassword", BENCH_PASSWORD)):
        field = window.findChild(QWidget, name)
        field.setFocus()
        QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)  # a new file: its first administrator, then signed in
    search = window.findChild(QWidget, "patientSearch")
    QTest.keyClicks(search, "sample")
    QTest.keyClick(search, Qt.Key.Key_Return)
    entry = window.findChild(QWidget, "lesionQuickEntry")
    lines = window.findChild(QWidget, "codedLinesTable").model()

    plain = QLineEdit()
    plain.show()
    baseline: list[float] = []
    timings: list[float] = []
    for index in range(ENTRY_REPEATS):
        text = "12 ak face cryo" if index % 2 == 0 else "1 bcc nose electro C44.311 0.8cm"
        QTest.keyClicks(plain, text)
        began = time.perf_counter()
        QTest.keyClick(plain, Qt.Key.Key_Return)
        plain.clear()
        baseline.append(time.perf_counter() - began)

        QTest.keyClicks(entry, text)
        began = time.perf_counter()
        QTest.keyClick(entry, Qt.Key.Key_Return)
        timings.append(time.perf_counter() - began)
        assert entry.text() == "" and lines.rowCount() > 0
        app.processEvents()
    groups = window.findChild(QWidget, "lesionTable").model().rowCount()
    b, t = statistics.median(baseline), statistics.median(timings)
    print(f"quick entry Enter, plain QLineEdit:   {b * 1000:7.2f} ms (median of {ENTRY_REPEATS})")
    print(
        f"quick entry Enter → coded lines:      {t * 1000:7.2f} ms (median of {ENTRY_REPEATS}; "
        f"max {max(timings) * 1000:.1f} ms; up to {groups} lesion groups; includes the draft save)"
    )
    print(f"quick entry ratio (app / plain):      {t / b:7.0f}")
    print(
        f"quick entry goal: Enter → coded lines <= {ENTRY_GOAL_MS:.0f} ms "
        f"({'met' if t * 1000 <= ENTRY_GOAL_MS else 'not met'})"
    )
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=250_000, help="encounters in the large file")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="superbill-bench-gui-") as name:
        folder = Path(name)
        (folder / "data").mkdir()
        os.environ["SUPERBILL_DATA_DIR"] = str(folder / "data")  # never the real data folder
        bench_startup(folder, args.large)
        bench_quick_entry(folder)


if __name__ == "__main__":
    main()
