"""One date format on screen and in messages: MM/DD/YYYY (``core.dates``), never ``2026-11-21``.

The window's common flows (a visit in the global period of an earlier procedure, the same patient twice
on a day, the review sheet, the day moved) are run like a user, and every text a person reads then —
labels, the status line, the coding messages, window titles, questions and messages — is scanned for an
ISO date. A static scan keeps ``.isoformat()`` out of the f-strings of ``gui`` and ``core`` except where
a program reads the text (file names, the JSON contracts, the database).
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget
from pytestqt.qtbot import QtBot

from core.coding import Encounter, LesionGroup, LesionKind, code_encounter
from core.coding.model import PriorService
from core.coding.settings import CodingSettings
from core.dates import ISO_DATE, shown_date
from core.store.records import EncounterStatus
from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, open_first_patient, quick_enter

ROOT = Path(__file__).resolve().parents[2]

#: modules whose ``.isoformat()`` in an f-string is read by a program, not a person, and why
ISO_ALLOWED = {
    "core/importer.py": "quotes the import file's own date_of_service/date_of_birth values (JSON contract)",
    "core/coding/tables.py": "a packaging error about a shipped table, for the developer",
    "core/store/verbs/settings_fees.py": "the audit trail's key of a fee (database)",
}


def is_file_name(node: ast.JoinedStr) -> bool:
    """``f"superbills-{day.isoformat()}.pdf"``: a file name, which sorts by its ISO date."""
    last = node.values[-1]
    return isinstance(last, ast.Constant) and str(last.value).rsplit(".", 1)[-1] in {"pdf", "db", "json"}


def read_texts(fake: FakeDialogs) -> list[str]:
    """Everything a person reads now: visible labels, list items, window titles, and every question."""
    texts = [text for _kind, title, text in fake.seen for text in (title, text)]
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        texts += [label.text() for label in top.findChildren(QLabel) if label.isVisible()]
        for listed in top.findChildren(QListWidget):
            texts += [listed.item(row).text() for row in range(listed.count())]
    return texts


def test_the_windows_messages_write_dates_as_mm_dd_yyyy(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    seen: list[str] = []
    # a vascular destruction (90-day global period), saved as final yesterday
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "1 vasc face 5cm2")
    fake_dialogs.defaults["ask"] = True  # the warnings question
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.current_encounter().status is EncounterStatus.FINAL
    first_day = window.current_encounter().date_of_service
    seen += read_texts(fake_dialogs)
    # today: the same patient again is inside that global period
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    seen += read_texts(fake_dialogs)
    in_global = [t for t in seen if "global period" in t]
    assert in_global and shown_date(first_day) in in_global[0], in_global
    # the same patient twice on one day: the question names the day
    fake_dialogs.answers["choose"].append(None)
    open_first_patient(qtbot, window)
    control_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_R, control_shift)  # the day's review sheet
    seen += read_texts(fake_dialogs)
    assert any("Already seen" in title for _k, title, _t in fake_dialogs.seen)
    isos = sorted({text for text in seen if ISO_DATE.search(text)})
    assert not isos, f"ISO dates shown to a person: {isos}"


def test_the_coding_messages_write_dates_as_mm_dd_yyyy() -> None:
    """The engine's messages (shown in the window and by ``superbill code``) name dates as people
    write them; the JSON fields themselves stay ISO."""
    visit = date(2026, 11, 20)
    lesion = LesionGroup(LesionKind.PREMALIGNANT, 2, "face", "cryosurgery", "L57.0")
    future = code_encounter(Encounter(visit, "11", (lesion,)), CodingSettings(today=date(2026, 11, 1)))
    later_prior = code_encounter(
        Encounter(visit, "11", (lesion,), prior_services=(PriorService(date(2026, 11, 25), "17106"),))
    )
    in_global = code_encounter(
        Encounter(visit, "11", (lesion,), prior_services=(PriorService(date(2026, 10, 1), "17106"),))
    )
    texts = [m.text for result in (future, later_prior, in_global) for m in result.messages]
    dated = [t for t in texts if "11/20/2026" in t]
    assert len(dated) >= 3, texts
    assert not [t for t in texts if ISO_DATE.search(t)], texts


def test_no_iso_date_is_formatted_into_a_message() -> None:
    """Every f-string of ``core`` and ``gui`` that writes ``.isoformat()`` is one a program reads (a
    file name, a listed module)."""
    found = []
    for path in sorted([*ROOT.glob("core/**/*.py"), *ROOT.glob("gui/**/*.py")]):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ISO_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr) or is_file_name(node):
                continue
            for part in node.values:
                value = part.value if isinstance(part, ast.FormattedValue) else None
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "isoformat"
                ):
                    found.append(f"{relative}:{node.lineno}")
    assert not found, f"write these dates with core.dates.shown_date: {found}"


def test_allowed_iso_modules_still_exist() -> None:
    for relative in ISO_ALLOWED:
        assert (ROOT / relative).is_file(), relative
