"""GUI speed: start-up to a shown window, and a quick-entry Enter to updated coded lines.

Prints medians and ratios measured in this run:

- start-up: a new process that opens an existing database, builds the main window and shows it
  (until the window is exposed), against a process that shows a bare ``QMainWindow``;
- quick entry: Enter on ``12 ak face cryo`` until ``codedLinesTable`` shows the codes (parse, code,
  price, save the draft, update the day sheet row), against Enter in a plain ``QLineEdit``.

Runs offscreen in a temporary data folder; never touches the real user data.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP_REPEATS = 7
ENTRY_REPEATS = 40

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
    window = build_main_window(Path(sys.argv[2]))
window.show()
QTest.qWaitForWindowExposed(window)
print(time.perf_counter() - start)
"""


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SUPERBILL_DATA_DIR=str(folder / "data"),
        SUPERBILL_KEYSTORE="file",  # database keys in the temporary data folder, not the key store
        XDG_CONFIG_HOME=str(folder / "config"),
    )
    return env


def _process_seconds(args: list[str], env: dict[str, str]) -> float:
    """Wall time from starting the interpreter to the window shown (measured outside the child)."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", _CHILD, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - began


def bench_startup(folder: Path) -> None:
    env = _environment(folder)
    db = folder / "practice.db"
    from core.store import open_store

    open_store(db).close()  # an existing database with the demo practice, as on a normal morning
    bare: list[float] = []
    full: list[float] = []
    for _ in range(STARTUP_REPEATS):  # interleaved, so both see the same machine load
        bare.append(_process_seconds(["bare"], env))
        full.append(_process_seconds(["app", str(db)], env))
    b, f = statistics.median(bare), statistics.median(full)
    print(f"startup, bare QMainWindow shown:     {b * 1000:7.0f} ms (median of {STARTUP_REPEATS})")
    print(f"startup, Superbill Desk window shown: {f * 1000:7.0f} ms (median of {STARTUP_REPEATS})")
    print(f"startup ratio (app / bare):           {f / b:7.2f}")


def bench_quick_entry(folder: Path) -> None:
    os.environ.update(_environment(folder))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

    app = QApplication.instance() or QApplication([])
    from gui.app import build_main_window
    from gui.dialogs import Dialogs, set_dialogs

    class Quiet(Dialogs):
        def ask(self, *args: object) -> bool:
            return False

    set_dialogs(Quiet())
    window = build_main_window(folder / "entry.db")
    window.show()
    QTest.qWaitForWindowExposed(window)
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
    window.close()


def main() -> None:
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="superbill-bench-gui-") as name:
        folder = Path(name)
        (folder / "data").mkdir()
        bench_startup(folder)
        bench_quick_entry(folder)


if __name__ == "__main__":
    main()
