"""Rooms a newcomer can find: no module of the window is longer than a person reads in one sitting."""

from __future__ import annotations

from pathlib import Path

import pytest

import gui

#: the most lines a module in gui/ may have
MAX_LINES = 400
MODULES = sorted(Path(gui.__file__).parent.glob("*.py"))


def test_gui_has_modules() -> None:
    assert len(MODULES) > 10


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_every_gui_module_is_under_400_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines < MAX_LINES, f"{module.name} has {lines} lines; split it into parts named for what they hold"
