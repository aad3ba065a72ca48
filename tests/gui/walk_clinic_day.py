"""A whole clinic day with the keyboard only, for a person to look at (not collected by pytest).

Six patients (existing by birth date; a new insured patient typed "O'Brien-Smith, Tom" in the search; warts;
a new self-pay patient with skin tags; 16 AKs; a payment at the desk), the "already seen today" question
answered with Esc and Enter, Edit patient closed with Esc, a lock and unlock, Print day saved as PDF from
the save dialog, the review sheet and F1. Keys go to the focused widget of the active window, as typed; a
screenshot of the active window after each step and a line per step in ``log.txt`` (active window, focus).

Run it on a new data folder under Xvfb with a window manager (without one, no window is ever activated)::

    xvfb-run -a -s "-screen 0 1366x768x24" sh -c 'openbox & sleep 1; \
        HOME=/tmp/day/home WALK_OUT=/tmp/day/out SUPERBILL_DATA_DIR=/tmp/day/data \
        SUPERBILL_KEYSTORE=file python tests/gui/walk_clinic_day.py'
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
PASSWORD = "dana desk pass"


class Walk:
    """Plays ``steps`` one every ``pause_ms``, taking a screenshot before each."""

    def __init__(self, out: Path, pause_ms: int = 1200) -> None:
        self.out = out
        self.pause_ms = pause_ms
        self.log = (out / "log.txt").open("w", encoding="utf-8")
        self.shots = 0
        self.next = 0
        self.steps: list[tuple[str, Callable[[], object]]] = []

    def window(self) -> QWidget | None:
        shown = [
            w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and w.isVisible()
        ]
        return shown[0] if shown else None

    def active(self) -> QWidget | None:
        return (
            QApplication.activeModalWidget()
            or QApplication.activePopupWidget()
            or QApplication.activeWindow()
            or self.window()
        )

    def focused(self) -> QWidget:
        top = self.active()
        assert top is not None
        if QApplication.activeWindow() is None:
            top.activateWindow()
        focus = QApplication.focusWidget()
        if focus is None or (focus is not top and not top.isAncestorOf(focus)):
            focus = top.focusWidget() or top
        return focus

    def keys(self, text: str) -> None:
        QTest.keyClicks(self.focused(), text)

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self.focused(), key, modifiers)

    def tab_to(self, name: str, limit: int = 60) -> None:
        for _ in range(limit):
            focus = QApplication.focusWidget()
            if focus is not None and focus.objectName() == name:
                return
            self.key(K.Key_Tab)
        self.log.write(f"!! Tab never reached {name}\n")

    def shot(self, name: str) -> None:
        self.shots += 1
        target = self.active()
        assert target is not None
        target.grab().save(str(self.out / f"{self.shots:02d}-{name}.png"))
        focus = QApplication.focusWidget()
        where = f"{type(focus).__name__}:{focus.objectName()}" if focus else "none"
        self.log.write(
            f"{self.shots:02d} {name}: {type(target).__name__}:{target.objectName()} focus={where}\n"
        )
        self.log.flush()

    def run(self) -> None:
        window = self.window()
        if window is None:
            QTimer.singleShot(100, self.run)
            return
        if self.next >= len(self.steps):
            self.log.write("done\n")
            self.log.close()
            QTimer.singleShot(300, window.close)
            return
        name, act = self.steps[self.next]
        self.next += 1
        self.shot(name)
        QTimer.singleShot(0, act)
        QTimer.singleShot(self.pause_ms, self.run)


def clinic_day(w: Walk) -> list[tuple[str, Callable[[], object]]]:
    """The day, step by step: (screenshot name taken before the step, the keys of the step)."""

    def enter() -> None:
        w.key(K.Key_Return)

    def tab() -> None:
        w.key(K.Key_Tab)

    def find(text: str) -> Callable[[], object]:
        return lambda: (w.key(K.Key_F, CTRL), w.keys(text), enter())

    def line(text: str) -> Callable[[], object]:
        return lambda: (w.keys(text), enter())

    def save_final() -> None:
        w.key(K.Key_S, CTRL)

    def nothing() -> None:
        return None

    return [
        ("0-setup", lambda: (w.keys("dana"), tab(), w.keys("Dana Demo"), tab(), w.keys(PASSWORD))),
        ("0-setup-typed", enter),
        ("0-recovery-key", enter),
        ("1-signed-in", find("3/14/1948")),
        ("1-visit", line("12 ak face cryo")),
        ("1-twelve-ak", save_final),
        ("1-save-final", lambda: (w.key(K.Key_F, CTRL), w.keys("O'Brien-Smith, Tom"))),
        ("2-nobody", lambda: w.key(K.Key_N, CTRL)),
        ("2-form-open", nothing),
        (
            "2-form-as-opened",
            lambda: (
                *(w.key(K.Key_A, CTRL), w.keys("Tom"), tab(), w.key(K.Key_A, CTRL), w.keys("O'Brien-Smith")),
                *(
                    tab(),
                    w.keys("4/2/1970"),
                    tab(),
                    w.keys("m"),
                    tab(),
                    w.keys("a"),
                    tab(),
                    w.keys("W778899"),
                ),
            ),
        ),
        ("2-form-filled", enter),
        ("2-saved-patient", line("1 bcc nose 8 mm C44.311")),
        ("2-bcc", save_final),
        ("2-save-final", find("jordan")),
        ("3-visit", line("3 wart left hand cryo")),
        ("3-warts", save_final),
        ("3-save-final", lambda: w.key(K.Key_N, CTRL)),
        (
            "4-form-open",
            lambda: (
                w.keys("Maria"),
                tab(),
                w.keys("de la Cruz"),
                tab(),
                w.keys("9/9/1985"),
                tab(),
                w.keys("f"),
            ),
        ),
        ("4-sex", lambda: (tab(), w.keys("s"), tab(), enter())),
        ("4-saved-patient", line("4 skin tag neck")),
        ("4-tags", save_final),
        ("4-save-final", find("placeholder")),
        ("5-visit", line("16 ak scalp cryo")),
        ("5-sixteen", save_final),
        ("5-save-final", find("riley")),
        ("6-visit", line("2 sk back L82.1")),
        ("6-sk", save_final),
        ("6-save-final", lambda: w.tab_to("encounterPaid")),
        ("6-paid-field", line("45.00")),
        ("6-paid", find("sample")),
        ("6-already-seen", lambda: w.key(K.Key_Escape)),
        ("6-after-esc", find("1001")),
        ("6-already-seen-again", enter),
        ("6-opened", lambda: w.key(K.Key_E, CTRL | SHIFT)),
        ("6-edit-patient", lambda: w.key(K.Key_Escape)),
        ("6-after-edit-esc", lambda: w.key(K.Key_L, CTRL | SHIFT)),
        ("6-locked", line(PASSWORD)),
        ("6-unlocked", lambda: w.key(K.Key_P, CTRL | SHIFT)),
        ("7-day", nothing),
        ("7-day-ready", nothing),
        ("7-print-day", lambda: w.key(K.Key_S, CTRL)),
        ("7-save-dialog", enter),
        ("7-saved", lambda: w.key(K.Key_Escape)),
        ("8-after-preview", lambda: w.key(K.Key_R, CTRL | SHIFT)),
        ("8-review", lambda: w.key(K.Key_Escape)),
        ("8-after-review", lambda: w.key(K.Key_F1)),
        ("9-shortcuts", lambda: w.key(K.Key_Escape)),
        ("9-end", nothing),
    ]


def main() -> None:
    app = QApplication(sys.argv[:1])  # noqa: F841  (main.py finds this application and uses it)
    walk = Walk(Path(os.environ["WALK_OUT"]))
    walk.steps = clinic_day(walk)
    QTimer.singleShot(1000, walk.run)
    sys.argv = ["main.py"]
    runpy.run_path(str(Path(__file__).resolve().parents[2] / "main.py"), run_name="__main__")


if __name__ == "__main__":
    main()
