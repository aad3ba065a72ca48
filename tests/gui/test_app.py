"""Start-up: the window is built without being shown; a database that cannot be opened gets a calm message."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gui.app import build_main_window, run
from tests.gui.conftest import FakeDialogs, sign_in_window


def test_build_main_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_main_window(tmp_path / "test.db")
    qtbot.addWidget(window)
    sign_in_window(qtbot, window)
    assert window.windowTitle() == "Superbill Desk"
    assert not window.isVisible()


def test_a_file_that_is_not_a_database_is_refused_calmly(
    qtbot: QtBot, tmp_path: Path, fake_dialogs: FakeDialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gui.app.configure_logging", lambda: None)  # no process-wide log file from a test
    bad = tmp_path / "notes.db"
    bad.write_text("these are not the patients you are looking for", encoding="utf-8")
    assert run(bad) == 2
    assert [kind for kind, _title, _text in fake_dialogs.seen] == ["problem"]
    assert "notes.db" in fake_dialogs.seen[0][2] or "database" in fake_dialogs.seen[0][2].lower()
    assert bad.read_text(encoding="utf-8").startswith("these are not")  # untouched
