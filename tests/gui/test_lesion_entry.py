"""The Lesions box driven as the front desk does: a size in the largest band is asked about (on the line
and in the size cell), the site cell is a searchable picker, and a diagnosis picked in the finder goes
where the user is working. The encounter editor is built alone (``editor``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from core.store import Store
from gui.encounter_editor import EncounterEditor
from gui.site_picker import SitePicker
from tests.gui.conftest import FakeDialogs, codes, named, quick_enter, start_visit, table_rows, type_in_cell


def lesion_table(editor: EncounterEditor) -> QTableView:
    table = named(editor, "lesionTable")
    assert isinstance(table, QTableView)
    return table


# -- 9.1: a size in the largest band is asked about ----------------------------------------------------


def test_a_size_in_the_largest_band_is_asked_about_and_kept_as_typed(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    fake_dialogs.answers["ask"].append(True)
    quick_enter(qtbot, editor, "1 bcc left cheek C44.319 4.5 cm")
    assert fake_dialogs.kinds() == ["ask"]
    assert "4.5 cm is over 4.0 cm" in fake_dialogs.seen[0][2] and "4.5mm" in fake_dialogs.seen[0][2]
    assert fake_dialogs.buttons == [("Keep 4.5 cm", "Change it")]
    assert codes(editor) == [("17286", "1")]
    row = table_rows(lesion_table(editor))[0]
    assert (row[2], row[4]) == ("left cheek (face)", "4.5 cm")
    assert named(editor, "lesionQuickEntry").text() == ""


def test_change_it_keeps_the_line_for_correcting(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    fake_dialogs.answers["ask"].append(False)
    quick_enter(qtbot, editor, "1 bcc nose C44.311 45mm")
    entry = named(editor, "lesionQuickEntry")
    assert isinstance(entry, QLineEdit)
    assert fake_dialogs.buttons == [("Keep 45 mm", "Change it")]
    assert entry.text() == "1 bcc nose C44.311 45mm" and entry.hasFocus()
    assert lesion_table(editor).model().rowCount() == 0
    assert "45 mm is over 4.0 cm" in named(editor, "quickEntryMessage").text()
    # correct the size: no question for 4.5 mm
    qtbot.keyClick(entry, Qt.Key.Key_End)
    for _ in "45mm":
        qtbot.keyClick(entry, Qt.Key.Key_Backspace)
    qtbot.keyClicks(entry, "4.5mm")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert fake_dialogs.kinds() == ["ask"]
    assert codes(editor) == [("17280", "1")]
    assert table_rows(lesion_table(editor))[0][4] == "4.5 mm"


def test_a_size_typed_in_the_table_in_the_largest_band_is_asked_about(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 vasc face laser I78.1 12cm2")
    table = lesion_table(editor)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 4))
    fake_dialogs.answers["ask"].append(True)
    type_in_cell(qtbot, table, "60cm2")
    qtbot.waitUntil(lambda: fake_dialogs.kinds() == ["ask"])
    assert "60 cm² is over 50.0 sq cm" in fake_dialogs.seen[0][2]
    assert fake_dialogs.buttons == [("Keep 60 cm²", "Change it")]
    qtbot.waitUntil(lambda: codes(editor) == [("17108", "1")])
    assert table_rows(table)[0][4] == "60 cm²"


def test_change_it_in_the_table_opens_the_cell_again_with_what_was_typed(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose C44.311 8mm")
    table = lesion_table(editor)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 4))
    fake_dialogs.answers["ask"].append(False)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    (cell,) = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    cell.selectAll()
    qtbot.keyClicks(cell, "8cm")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: fake_dialogs.kinds() == ["ask"])
    assert table.state() == QAbstractItemView.State.EditingState
    assert fake_dialogs.buttons == [("Keep 8 cm", "Change it")]
    assert table_rows(table)[0][4] == "8 mm" and codes(editor) == [("17281", "1")]
    (cell,) = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert cell.text() == "8cm"
    qtbot.keyClicks(cell, "8 mm")  # the typed text is selected: typing replaces it
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert table_rows(table)[0][4] == "8 mm" and fake_dialogs.kinds() == ["ask"]


# -- 9.2: the site picker ---------------------------------------------------------------------------


def open_site_picker(qtbot: QtBot, table: QTableView, row: int = 0) -> SitePicker:
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, 2))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    (picker,) = [e for e in table.viewport().findChildren(SitePicker) if e.isVisible()]
    return picker


def test_the_site_picker_lists_sites_as_they_are_typed_and_down_enter_chooses(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose C44.311 8mm")
    table = lesion_table(editor)
    picker = open_site_picker(qtbot, table)
    assert picker.text() == "nose" and picker.selectedText() == "nose"
    qtbot.keyClicks(picker, "left ch")
    popup = picker.drop_down.popup()
    qtbot.waitUntil(popup.isVisible)
    assert picker.matches()[:3] == ["left chin (face)", "left cheek (face)", "left chest (trunk)"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert table_rows(table)[0][2] == "left chest (trunk)"
    assert codes(editor) == [("17261", "1")]  # trunk group, 0.6-1.0 cm
    shown = editor.encounter
    assert shown is not None and shown.lesions[0].typed_site == "left chest"


def test_esc_leaves_the_site_as_it_was(qtbot: QtBot, editor: EncounterEditor, store: Store) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc left cheek C44.319 8mm")
    table = lesion_table(editor)
    picker = open_site_picker(qtbot, table)
    assert picker.text() == "left cheek"
    qtbot.keyClicks(picker, "sca")
    qtbot.waitUntil(picker.drop_down.popup().isVisible)
    qtbot.keyClick(picker.drop_down.popup(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert table_rows(table)[0][2] == "left cheek (face)"
    assert not picker.drop_down.popup().isVisible()
    # with the list closed, Esc cancels too
    picker = open_site_picker(qtbot, table)
    qtbot.keyClick(picker, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert table_rows(table)[0][2] == "left cheek (face)"


def test_typing_a_letter_on_the_site_cell_opens_the_picker_and_enter_keeps_typed_words(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose C44.311 8mm")
    table = lesion_table(editor)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 2))
    qtbot.keyClicks(table, "b")
    (picker,) = [e for e in table.viewport().findChildren(SitePicker) if e.isVisible()]
    assert picker.text() == "b"
    qtbot.keyClicks(picker, "ack of the hand")
    assert not picker.drop_down.popup().isVisible()  # no entry reads that phrase: Enter takes the words
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert table_rows(table)[0][2] == "back of the hand (hand)"
    assert codes(editor) == [("17271", "1")]


def test_down_lists_every_site_and_a_note_goes_with_wrist(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose C44.311 8mm")
    picker = open_site_picker(qtbot, lesion_table(editor))
    qtbot.keyClick(picker, Qt.Key.Key_Down)
    qtbot.waitUntil(picker.drop_down.popup().isVisible)
    assert picker.matches()[:3] == ["trunk", "arm", "leg"] and len(picker.matches()) == 14
    qtbot.keyClicks(picker.drop_down.popup(), "wri")
    qtbot.waitUntil(lambda: picker.matches()[:1] != ["trunk"])
    assert picker.matches()[0].startswith("wrist (arm) — Arm (1726x) and hand (1727x) are different groups")


# -- 9.4: the diagnosis finder fills the current row that has none ------------------------------------


def pick_diagnosis(qtbot: QtBot, editor: EncounterEditor, words: str, code: str) -> None:
    finder = named(editor, "diagnosisSearch")
    finder.setFocus()
    qtbot.keyClicks(finder, words)
    qtbot.waitUntil(lambda: any(m.startswith(f"{code} ") for m in finder.matches()))  # type: ignore[attr-defined]
    popup = finder.drop_down.popup()  # type: ignore[attr-defined]
    qtbot.waitUntil(popup.isVisible)
    row = next(i for i, m in enumerate(finder.matches()) if m.startswith(f"{code} "))  # type: ignore[attr-defined]
    popup.setCurrentIndex(popup.model().index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def test_the_finder_fills_the_diagnosis_of_the_row_just_added_without_one(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "2 ak face")
    quick_enter(qtbot, editor, "1 bcc nose 8mm")
    assert "Added without a diagnosis" in named(editor, "quickEntryMessage").text()
    pick_diagnosis(qtbot, editor, "basal cell carcinoma of skin of nose", "C44.311")
    table = lesion_table(editor)
    assert [row[5] for row in table_rows(table)] == ["L57.0", "C44.311"]
    assert named(editor, "lesionQuickEntry").text() == ""  # type: ignore[attr-defined]
    assert named(editor, "quickEntryMessage").text() == ""  # type: ignore[attr-defined]
    assert ("17281", "1") in codes(editor)
    shown = editor.encounter
    assert shown is not None and shown.id is not None
    assert store.get_encounter(shown.id).lesions[1].diagnosis == "C44.311"


def test_the_finder_fills_a_row_chosen_in_the_table(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose 8mm")
    quick_enter(qtbot, editor, "2 ak face")
    table = lesion_table(editor)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    pick_diagnosis(qtbot, editor, "basal cell carcinoma of skin of nose", "C44.311")
    assert [row[5] for row in table_rows(table)] == ["C44.311", "L57.0"]


def test_a_line_being_typed_gets_the_code_and_rows_with_a_diagnosis_are_never_changed(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose 8mm")  # current row, no diagnosis yet
    entry = named(editor, "lesionQuickEntry")
    qtbot.keyClicks(entry, "3 sk trunk")
    pick_diagnosis(qtbot, editor, "other seborrheic keratosis", "L82.1")
    assert entry.text() == "3 sk trunk L82.1"  # type: ignore[attr-defined]
    assert table_rows(lesion_table(editor))[0][5] == ""
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    # the new row has its code: a code picked now goes to the (empty) line, not over it
    pick_diagnosis(qtbot, editor, "inflamed seborrheic keratosis", "L82.0")
    assert [row[5] for row in table_rows(lesion_table(editor))] == ["", "L82.1"]
    assert entry.text() == "L82.0"  # type: ignore[attr-defined]
