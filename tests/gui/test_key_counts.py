"""The fastest keyboard paths of docs/gui.md ("Fastest keyboard paths"), performed key by key.

Each key goes to the widget that has the focus (``QTest.keyClick`` on ``QApplication.focusWidget()``),
as a person typing; no mouse, no method of the window. A question or the file dialog answered with
Enter (its default: *Save as final*, the suggested file name) counts as one key. The test fails when
a path needs more keys than its target or does not end with the PDF on disk.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "gui.md"
NEW_PATIENT_TARGET = 60
EXISTING_PATIENT_TARGET = 25

KEYS = {
    "Tab": Qt.Key.Key_Tab,
    "Enter": Qt.Key.Key_Return,
    "Down": Qt.Key.Key_Down,
}
MODIFIERS = {"Ctrl": Qt.KeyboardModifier.ControlModifier, "Shift": Qt.KeyboardModifier.ShiftModifier}


class Keyboard:
    """Presses keys on the focused widget and counts them (a chord such as Ctrl+N is one key)."""

    def __init__(self, qtbot: QtBot, window: MainWindow, fake: FakeDialogs) -> None:
        self.qtbot, self.window, self.fake = qtbot, window, fake
        self.count = 0

    def _target(self):  # type: ignore[no-untyped-def]
        return QApplication.focusWidget() or self.window

    def press(self, chord: str) -> None:
        *mods, key = chord.split("+")
        modifiers = Qt.KeyboardModifier.NoModifier
        for mod in mods:
            modifiers |= MODIFIERS[mod]
        code = KEYS[key] if key in KEYS else getattr(Qt.Key, f"Key_{key.upper()}")
        QTest.keyClick(self._target(), code, modifiers)
        self.count += 1

    def type(self, text: str) -> None:
        for char in text:
            QTest.keyClicks(self._target(), char)
            self.count += 1

    def run(self, path: str) -> None:
        """``path`` as written in docs/gui.md: keys in ``<>`` (``<Ctrl+N>``), text as typed."""
        for chord, text in re.findall(r"<([^>]+)>|([^<]+)", path):
            if chord:
                self.press(chord)
            else:
                self.type(text)
            QTest.qWait(0)

    def answered_with_enter(self) -> int:
        """Questions and file dialogs the scripted dialogs answered (each one Enter)."""
        return sum(1 for kind in self.fake.kinds() if kind in {"ask", "save_file"})


def documented_path(title: str) -> str:
    """The key sequence docs/gui.md gives under ``title`` (a line starting with "Keys:")."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(title, 1)[1]
    keys = re.search(r"Keys: `([^`]+)`", section)
    assert keys is not None, f"docs/gui.md gives no keys for {title}"
    return keys.group(1)


def perform(qtbot: QtBot, keyboard: Keyboard, path: str) -> int:
    """Run ``path``; before each Enter the search as you type has run (a person reads the hint)."""
    steps = path.split("<Enter>")
    for index, step in enumerate(steps):
        keyboard.run(step)
        if index < len(steps) - 1:
            qtbot.wait(300)
            keyboard.press("Enter")
    return keyboard.count + keyboard.answered_with_enter()


def pdf_saved(fake: FakeDialogs, folder: Path) -> Path:
    target = folder / "superbill.pdf"
    fake.answers["save_file"].append(target)  # the save dialog: Enter on the suggested name
    return target


def test_new_patient_with_insurance_two_lines_and_the_pdf(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    fake_dialogs.defaults["ask"] = True  # a question (warnings) answered with Enter: Save as final
    target = pdf_saved(fake_dialogs, tmp_path)
    keyboard = Keyboard(qtbot, window, fake_dialogs)
    path = documented_path("New patient with insurance, two quick-entry lines, save the PDF")
    keys = perform(qtbot, keyboard, path)
    patient = window.store.search_patients("lovelace")
    assert len(patient) == 1 and patient[0].payer_id is not None and patient[0].member_id == "W1"
    assert target.is_file()
    text = PdfReader(target).pages[0].extract_text()
    assert "Lovelace" in text and "17000" in text and "17110" in text
    assert keys <= NEW_PATIENT_TARGET, f"{keys} keys: {path}"


def test_existing_patient_by_birth_date_one_line_and_the_pdf(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    fake_dialogs.defaults["ask"] = True
    target = pdf_saved(fake_dialogs, tmp_path)
    keyboard = Keyboard(qtbot, window, fake_dialogs)
    path = documented_path("Existing patient by birth date, one line, save the PDF")
    keys = perform(qtbot, keyboard, path)
    assert target.is_file()
    text = PdfReader(target).pages[0].extract_text()
    assert "Sample" in text and "17000" in text
    assert keys <= EXISTING_PATIENT_TARGET, f"{keys} keys: {path}"
