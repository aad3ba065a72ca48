"""The window can be built for a database without showing it or starting the event loop."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from gui.app import build_main_window


def test_build_main_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_main_window(tmp_path / "test.db")
    qtbot.addWidget(window)
    assert window.windowTitle() == "Superbill Desk"
    assert not window.isVisible()
