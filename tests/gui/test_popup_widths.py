"""The drop-downs are as wide as their longest item: the visit-code (E/M) list and the diagnosis
finder's matches are never cut off (each test opens the list as a user does and measures it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from gui.code_combo import LABEL_ROLE
from gui.main_window import MainWindow
from tests.gui.conftest import named


def widest(view: QAbstractItemView, texts: list[str]) -> int:
    metrics = view.fontMetrics()
    return max(metrics.horizontalAdvance(text) for text in texts)


def test_the_visit_code_list_shows_each_code_in_full(qtbot: QtBot, window: MainWindow) -> None:
    for name in ("encounterEmCode", "encounterPos", "encounterProvider"):
        combo = named(window, name)
        assert isinstance(combo, QComboBox)
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # opens the list
        view = combo.view()
        qtbot.waitUntil(view.isVisible)
        labels = [str(combo.itemData(i, LABEL_ROLE) or combo.itemText(i)) for i in range(combo.count())]
        needed = widest(view, labels)
        assert view.viewport().width() >= needed, (name, view.viewport().width(), needed)
        combo.hidePopup()


def test_the_diagnosis_matches_show_each_description_in_full(qtbot: QtBot, window: MainWindow) -> None:
    finder = named(window, "diagnosisSearch")
    finder.setFocus()
    qtbot.keyClicks(finder, "basal cell carcinoma nose")
    popup = window.findChild(QWidget, "diagnosisMatches") or finder.drop_down.popup()  # type: ignore[attr-defined]
    assert isinstance(popup, QAbstractItemView)
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    texts = finder.matches()  # type: ignore[attr-defined]
    assert any("C44.311" in text for text in texts)
    needed = widest(popup, texts)
    assert popup.viewport().width() >= needed, (popup.viewport().width(), needed)
