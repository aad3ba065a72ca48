"""The sign-in screen shows before the modules that can wait are imported (issue 14: start-up speed).

A real `python main.py --db FILE` process, as the desktop starts it: a driver records ``sys.modules``
when the window is first painted, and again once the window says it is on screen (``on_screen``: the
store made, the log file opened, the one-window name listened on). Speed itself is measured by
``benchmarks/bench_gui.py``, never here; this holds what makes it fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.store import open_store

ROOT = Path(__file__).resolve().parents[2]

#: imported only after the sign-in screen is painted (or at the first sign-in)
DEFERRED = (
    "argon2",  # password hashing: at the first sign-in
    "core.passwords",
    "core.accounts",
    "core.store.store",  # the store's verbs and records: just after the window is on screen
    "core.store.records",
    "core.store.sessions",
    "core.store.opening",  # opening the file (SQLCipher): just after the window shows, before it is written
    "core.store.connections",
    "sqlcipher3",
    "core.coding",  # its records, with the store (the engine itself loads at first use)
    "gui.work_area",  # the work area: at the first sign-in
    "gui.menus",
    "gui.desk_access",
    "sqlite_utils",  # only to migrate
    "logging.handlers",  # the log file: once on screen
    "PySide6.QtNetwork",  # listening for a second start: once on screen
)
#: imported only at the first sign-in, not when the window is on screen either
AT_SIGN_IN = ("argon2", "gui.work_area", "gui.menus")

DRIVER = r"""
import json, runpy, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
WATCHED = json.loads(sys.argv.pop(1))
seen = {}


def loaded():
    return sorted(name for name in WATCHED if name in sys.modules)


def on_screen(window):
    seen["on_screen"] = loaded()
    window.close()


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if (
            event.type() == QEvent.Type.Paint
            and watched.objectName() == "mainWindow"
            and "painted" not in seen
        ):
            seen["painted"] = loaded()
            watched.on_screen.connect(lambda: on_screen(watched))
        return False


first_paint = FirstPaint()
app.installEventFilter(first_paint)
sys.argv[0] = "main.py"
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit as end:
    print(json.dumps(seen))
    raise
"""


def test_the_sign_in_screen_shows_before_the_store_and_the_work_area_are_imported(tmp_path: Path) -> None:
    db = tmp_path / "practice.db"
    open_store(db).close()  # an existing practice file, as on any morning but the first
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # the test's data folder and key file
    ended = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(DEFERRED), "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ended.returncode == 0, ended.stderr
    seen = json.loads(ended.stdout.strip().splitlines()[-1])
    assert seen["painted"] == [], "imported before the sign-in screen was painted"
    # once on screen: the store is made; what the first sign-in needs still waits for it
    assert "core.store.store" in seen["on_screen"]
    assert "logging.handlers" in seen["on_screen"]
    assert "PySide6.QtNetwork" in seen["on_screen"]
    assert not set(AT_SIGN_IN) & set(seen["on_screen"])
