"""The *Decision for surgery (57)* box next to the visit code: usable only while the visit bills an office
visit and a 90-day procedure; ticking it recodes the visit code with 57 instead of 25 and saves the draft."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox
from pytestqt.qtbot import QtBot

from core.store import Store
from gui.encounter_editor import EncounterEditor
from tests.gui.conftest import FakeDialogs, named, quick_enter, start_visit, table_rows


def choose_visit_code(editor: EncounterEditor, code: str | None) -> None:
    combo = named(editor, "encounterEmCode")
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    index = combo.findData(code)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what choosing an item with the mouse or keys emits


def decision_box(editor: EncounterEditor) -> QCheckBox:
    box = named(editor, "encounterDecisionForSurgery")
    assert isinstance(box, QCheckBox)
    return box


def visit_line(editor: EncounterEditor) -> list[str]:
    return table_rows(named(editor, "codedLinesTable"))[0]


def messages(editor: EncounterEditor) -> list[str]:
    shown = named(editor, "codingMessages")
    return [shown.item(i).text() for i in range(shown.count())]  # type: ignore[attr-defined]


def test_the_box_is_usable_only_with_a_visit_code_and_a_90_day_procedure(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    box = decision_box(editor)
    assert box.accessibleName() == "Decision for surgery (57)"
    assert not box.isEnabled() and not box.isChecked()
    quick_enter(qtbot, editor, "3 ak face")
    choose_visit_code(editor, "99213")
    assert not box.isEnabled()  # 17000/17003 have a 10-day global period: 25, no question of 57
    quick_enter(qtbot, editor, "1 vasc face laser I78.1 12cm2")
    assert box.isEnabled() and not box.isChecked()
    assert visit_line(editor)[0] == "99213" and visit_line(editor)[2] == "25"
    assert any("57 instead of 25" in text for text in messages(editor))


def test_ticking_it_gives_57_instead_of_25_and_saves_the_draft(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 vasc face laser I78.1 12cm2")
    choose_visit_code(editor, "99213")
    box = decision_box(editor)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    assert visit_line(editor)[2] == "57"
    assert any("carries modifier 57 instead of 25" in text for text in messages(editor))
    shown = editor.encounter
    assert shown is not None and shown.id is not None
    assert store.get_encounter(shown.id).decision_for_surgery is True
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert visit_line(editor)[2] == "25"
    assert store.get_encounter(shown.id).decision_for_surgery is False


def test_removing_the_90_day_procedure_clears_the_mark(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "3 ak face")
    quick_enter(qtbot, editor, "1 vasc face laser I78.1 12cm2")
    choose_visit_code(editor, "99213")
    box = decision_box(editor)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert visit_line(editor)[2] == "57"
    table = named(editor, "lesionTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))  # type: ignore[attr-defined]
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert not box.isEnabled() and not box.isChecked()
    assert visit_line(editor)[2] == "25"
    shown = editor.encounter
    assert shown is not None and shown.id is not None
    assert store.get_encounter(shown.id).decision_for_surgery is False
    assert not any("marked as a decision for surgery" in text for text in messages(editor))


def test_a_final_visit_shows_the_mark_read_only(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 vasc face laser I78.1 12cm2")
    choose_visit_code(editor, "99213")
    box = decision_box(editor)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    fake_dialogs.answers["ask"].append(True)  # the 57 warning: save as final anyway
    qtbot.mouseClick(named(editor, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    final = editor.encounter
    assert final is not None and final.decision_for_surgery is True and final.lines
    assert box.isChecked() and not box.isEnabled()
    assert final.lines[0].modifiers == ("57",)
