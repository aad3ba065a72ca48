"""One Enter in quick entry: the visit is coded once and saved with at most 10 SQL statements.

The window used to code the encounter twice (the editor, then the day sheet) and ask the database for
the patient, the payer, the fees and the history on every keystroke — 32 statements for one Enter.
Now the visit's context is read once when it is opened (core.visit) and the day sheet takes the
editor's coding.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core import visit
from gui.main_window import MainWindow
from tests.gui.conftest import codes, named, open_first_patient, quick_enter, table_rows

MAX_STATEMENTS = 10


def test_one_enter_codes_once_and_runs_at_most_ten_statements(
    qtbot: QtBot, window: MainWindow, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "12 ak face cryo")  # the first Enter creates the draft

    calls: list[object] = []
    engine = visit.code_encounter

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return engine(*args, **kwargs)

    monkeypatch.setattr(visit, "code_encounter", counting)
    statements: list[str] = []
    window.store.conn.set_trace_callback(statements.append)
    try:
        quick_enter(qtbot, window, "3 sk trunk")
    finally:
        window.store.conn.set_trace_callback(None)

    assert codes(window) == [("17000", "1"), ("17003", "11"), ("17110", "1")]
    assert [row[3] for row in table_rows(named(window, "dayTable"))] == ["17000, 17003×11, 17110"]
    assert len(calls) == 1, "the visit was coded more than once"
    assert len(statements) <= MAX_STATEMENTS, "\n".join(statements)
