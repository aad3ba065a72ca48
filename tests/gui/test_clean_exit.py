"""The window ends cleanly: `python main.py --db FILE` started, typed into, closed → exit status 0.

A real process, because the failure this guards against only shows at the interpreter's exit or after
a long session: PySide6 6.12 on Python 3.11 takes one reference away from ``None`` on each call of a
C++ ``void`` method (and from ``True`` on each signal ``disconnect``), and once a few thousand were
made the interpreter aborted ("Fatal Python error: none_dealloc" / "bool_dealloc", exit 134):
``benchmarks/bench_gui.py`` ended that way after 40 quick-entry lines (``gui.immortal`` is the remedy).
The driver below starts the program through ``main.py`` as the desktop does, sets up the first
administrator on the sign-in screen, finds the patient, types many quick-entry lines with Enter like
the front desk, then closes the window.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.signing_in import PASSWORD, USER

ROOT = Path(__file__).resolve().parents[2]
LINES = 80  # quick-entry lines typed: well past the calls that used to exhaust None's count

DRIVER = r"""
import runpy, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
LINES = int(sys.argv.pop(1))
USER, PASSWORD = sys.argv.pop(1), sys.argv.pop(1)


def window():
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and w.isVisible()]
    return shown[0] if shown else None


def sign_in():
    desk = window()
    for name, text in (("signInUser", USER), ("signInPassword", PASSWORD)):
        field = desk.findChild(QWidget, name)
        field.setFocus()
        QTest.keyClicks(field, text)
    QTest.keyClick(desk.findChild(QWidget, "signInPassword"), Qt.Key.Key_Return)  # a new file: set-up
    QTimer.singleShot(100, confirm_recovery_key)


def confirm_recovery_key():
    # the new file's recovery key is shown once: Enter, "I have written it down"
    shown = QApplication.activeModalWidget()
    if shown is None or shown.objectName() != "newRecoveryKeyDialog":
        QTimer.singleShot(50, confirm_recovery_key)
        return
    QTest.keyClick(shown, Qt.Key.Key_Return)
    QTimer.singleShot(100, type_lines)


def type_lines():
    desk = window()
    search = desk.findChild(QWidget, "patientSearch")
    if search is None or not search.isVisible():
        print("not signed in:", desk.findChild(QWidget, "signInMessage").text(), file=sys.stderr)
        QTimer.singleShot(100, desk.close)
        return
    QTest.keyClicks(search, "sample")
    QTest.keyClick(search, Qt.Key.Key_Return)
    entry = desk.findChild(QWidget, "lesionQuickEntry")
    for n in range(LINES):
        QTest.keyClicks(entry, "12 ak face cryo" if n % 2 == 0 else "2 sk trunk cryo")
        QTest.keyClick(entry, Qt.Key.Key_Return)
        if entry.text():
            print("quick entry refused a line:", entry.text(), file=sys.stderr)
            break
    coded = desk.findChild(QWidget, "codedLinesTable").model().rowCount()
    print(f"typed {n + 1} lines, {coded} coded lines", flush=True)
    QTimer.singleShot(100, desk.close)


def wait_for_window():
    if window() is None:
        QTimer.singleShot(50, wait_for_window)
    else:
        QTimer.singleShot(100, sign_in)


QTimer.singleShot(0, wait_for_window)
sys.argv = ["main.py", *sys.argv[1:]]
runpy.run_path("main.py", run_name="__main__")
"""

pytestmark = pytest.mark.slow


def test_window_typed_into_and_closed_exits_with_status_0(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SUPERBILL_DATA_DIR": str(tmp_path / "userdata"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(LINES), USER, PASSWORD, "--db", str(tmp_path / "practice.db")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Fatal" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert f"typed {LINES} lines" in done.stdout, (done.stdout, done.stderr)
    assert "coded lines" in done.stdout and ", 0 coded lines" not in done.stdout
