"""docs/gui.md and the window agree: every name in its contract table exists, with an accessible name."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QWidget

from gui.main_window import MainWindow
from tests.gui.test_main_window import CONTRACT

DOC = Path(__file__).resolve().parents[2] / "docs" / "gui.md"


def contract_names() -> list[str]:
    section = DOC.read_text(encoding="utf-8").split("## Named widgets", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


def test_the_doc_lists_exactly_the_tested_contract() -> None:
    assert contract_names() == list(CONTRACT)


def test_other_names_in_the_doc_exist(window: MainWindow) -> None:
    section = DOC.read_text(encoding="utf-8").split("Other names used by the window:", 1)[1].split("\n\n")[0]
    names = [n for n in re.findall(r"`(\w+)`", section) if n not in ("superbillPreview", "settingsDialog")]
    names = [n for n in names if not n.startswith("preview")]
    missing = [n for n in names if window.findChild(QWidget, n) is None]
    assert missing == []
