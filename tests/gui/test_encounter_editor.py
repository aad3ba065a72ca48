"""The encounter editor driven like a user: quick entry, live coding, in-place edits, save and reopen.

Most tests build the editor alone (``editor``); the window is built where the day sheet or the
window's shortcuts are the point."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from pytestqt.qtbot import QtBot

from core.store import Store
from core.store.records import EncounterStatus
from gui.app import build_main_window
from gui.encounter_editor import EncounterEditor
from gui.main_window import MainWindow
from tests.gui.conftest import (
    FakeDialogs,
    codes,
    named,
    open_first_patient,
    quick_enter,
    sign_in_window,
    start_visit,
    table_rows,
    type_in_cell,
)
from tests.signing_in import open_signed_in


def test_twelve_aks_code_as_17000_and_17003_times_11(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "12 ak face cryo")
    assert codes(editor) == [("17000", "1"), ("17003", "11")]
    assert named(editor, "lesionQuickEntry").text() == ""
    assert table_rows(named(editor, "lesionTable")) == [
        ["Premalignant", "12", "face", "cryosurgery", "", "L57.0"]
    ]
    assert named(editor, "encounterTotal").text().startswith("$")


def test_fifteen_aks_flip_to_17004(qtbot: QtBot, editor: EncounterEditor, store: Store) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "14 ak face")
    assert codes(editor) == [("17000", "1"), ("17003", "13")]
    quick_enter(qtbot, editor, "1 ak scalp")
    assert codes(editor) == [("17004", "1")]


def test_a_bad_word_keeps_the_line_and_says_what_is_wrong(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "12 ak fcae cryo")
    assert named(editor, "lesionQuickEntry").text() == "12 ak fcae cryo"
    message = named(editor, "quickEntryMessage").text()
    assert "“fcae”" in message and "site" in message
    assert named(editor, "lesionTable").model().rowCount() == 0
    assert codes(editor) == []
    # fixing the word clears the message and adds the group
    entry = named(editor, "lesionQuickEntry")
    entry.selectAll()
    quick_enter(qtbot, editor, "12 ak face cryo")
    assert named(editor, "quickEntryMessage").text() == ""
    assert codes(editor) == [("17000", "1"), ("17003", "11")]


def test_every_edit_is_saved_as_a_draft(
    qtbot: QtBot, editor: EncounterEditor, store: Store, db_path: Path
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "3 sk trunk")
    shown = editor.encounter
    assert shown is not None and shown.id is not None and shown.status is EncounterStatus.DRAFT
    with open_signed_in(db_path) as other:
        (draft,) = other.drafts()
        assert draft.lesions[0].count == 3


def test_lesion_table_edits_in_place_and_recodes(qtbot: QtBot, editor: EncounterEditor, store: Store) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "12 ak face")
    table = named(editor, "lesionTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    type_in_cell(qtbot, table, "20")
    assert codes(editor) == [("17004", "1")]
    # a bad value is refused with a message and the row stays as it was
    table.setCurrentIndex(table.model().index(0, 1))
    type_in_cell(qtbot, table, "zero")
    assert table.model().index(0, 1).data() == "20"
    assert "Count" in named(editor, "quickEntryMessage").text()


def test_delete_removes_a_lesion_row(qtbot: QtBot, editor: EncounterEditor, store: Store) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "12 ak face")
    quick_enter(qtbot, editor, "3 sk trunk")
    table = named(editor, "lesionTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))
    qtbot.mouseClick(named(editor, "removeLesionButton"), Qt.MouseButton.LeftButton)
    assert codes(editor) == [("17000", "1"), ("17003", "11")]


def test_em_code_adds_a_visit_line_with_modifier_25(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "2 ak face")
    combo = named(editor, "encounterEmCode")
    combo.setFocus()
    index = combo.findData("99213")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what choosing an item with the mouse or keys emits
    rows = table_rows(named(editor, "codedLinesTable"))
    assert rows[0][0] == "99213" and "25" in rows[0][2]
    messages = named(editor, "codingMessages")
    texts = [messages.item(i).text() for i in range(messages.count())]
    assert any(text.startswith("Warning:") for text in texts)
    assert any(text.startswith("Why 17000") for text in texts)


def test_ctrl_s_saves_final_and_reopening_shows_the_same_encounter(
    qtbot: QtBot, window: MainWindow, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "12 ak face cryo")
    before_lines = table_rows(named(window, "codedLinesTable"))
    before_lesions = table_rows(named(window, "lesionTable"))
    fake_dialogs.defaults["ask"] = True  # any warning question: save as final anyway
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.current_encounter() is not None
    assert window.current_encounter().status is EncounterStatus.FINAL
    assert table_rows(named(window, "dayTable"))[0][5] == "Final"
    total = named(window, "encounterTotal").text()
    window.close()

    again = build_main_window(db_path)
    qtbot.addWidget(again)
    sign_in_window(qtbot, again)
    again.show()
    day_table = named(again, "dayTable")
    assert day_table.model().rowCount() == 1
    day_table.setFocus()
    day_table.setCurrentIndex(day_table.model().index(0, 0))
    qtbot.keyClick(day_table, Qt.Key.Key_Return)
    assert table_rows(named(again, "codedLinesTable")) == before_lines
    assert table_rows(named(again, "lesionTable")) == before_lesions
    assert named(again, "encounterTotal").text() == total
    assert "final" in named(again, "encounterStatus").text()
    assert not named(again, "lesionQuickEntry").isEnabled()


def test_errors_block_saving_as_final(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose C44.311")  # no diameter: the engine reports an error
    qtbot.mouseClick(named(editor, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["problem"]
    assert "diameter" in fake_dialogs.seen[0][2].lower()
    assert editor.encounter.status is EncounterStatus.DRAFT


def test_warnings_ask_and_going_back_keeps_the_draft(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "3 ak genitalia")  # a site-specific warning
    fake_dialogs.answers["ask"].append(False)
    qtbot.mouseClick(named(editor, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["ask"]
    assert editor.encounter.status is EncounterStatus.DRAFT


def test_reopen_a_final_encounter(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "2 ak face")
    fake_dialogs.defaults["ask"] = True
    qtbot.mouseClick(named(editor, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    assert editor.encounter.status is EncounterStatus.FINAL
    qtbot.mouseClick(named(editor, "reopenEncounterButton"), Qt.MouseButton.LeftButton)
    assert editor.encounter.status is EncounterStatus.DRAFT
    quick_enter(qtbot, editor, "1 ak scalp")
    assert [row[0] for row in table_rows(named(editor, "codedLinesTable"))] == ["17000", "17003"]


def test_site_picker_in_the_lesion_table(qtbot: QtBot, editor: EncounterEditor, store: Store) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "1 bcc nose electro C44.311 0.8cm")
    assert table_rows(named(editor, "codedLinesTable"))[0][0] == "17281"
    table = named(editor, "lesionTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 2))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    (picker,) = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(picker, "tru")
    qtbot.waitUntil(picker.drop_down.popup().isVisible)
    qtbot.keyClick(picker.drop_down.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert table_rows(table)[0][2] == "trunk"
    assert table_rows(named(editor, "codedLinesTable"))[0][0] == "17261"  # trunk group, 0.6-1.0 cm


def test_diagnosis_cell_explains_the_code(qtbot: QtBot, editor: EncounterEditor, store: Store) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "2 ak face")
    model = named(editor, "lesionTable").model()
    assert "keratosis" in model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole).lower()


def test_void_a_draft_entered_by_mistake(qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    fake_dialogs.answers["ask_text"].append("")  # no reason: refused, stays a draft
    qtbot.mouseClick(named(window, "voidEncounterButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["ask_text", "problem"]
    assert window.current_encounter().status is EncounterStatus.DRAFT
    fake_dialogs.answers["ask_text"].append("entered twice")
    qtbot.mouseClick(named(window, "voidEncounterButton"), Qt.MouseButton.LeftButton)
    assert window.current_encounter().status is EncounterStatus.VOID
    assert "entered twice" in named(window, "encounterStatus").text()
    assert table_rows(named(window, "dayTable"))[0][5] == "Void"
    assert window.store.drafts() == []
    assert not named(window, "lesionQuickEntry").isEnabled()


def test_find_a_diagnosis_by_words_and_add_it_to_the_line(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    entry = named(editor, "lesionQuickEntry")
    qtbot.keyClicks(entry, "3 sk trunk")
    finder = named(editor, "diagnosisSearch")
    finder.setFocus()
    qtbot.keyClicks(finder, "other seborrheic keratosis")
    qtbot.waitUntil(lambda: any(m.startswith("L82.1 ") for m in finder.matches()))
    popup = finder.drop_down.popup()
    qtbot.waitUntil(popup.isVisible)
    row = next(i for i, m in enumerate(finder.matches()) if m.startswith("L82.1 "))
    popup.setCurrentIndex(popup.model().index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert entry.text() == "3 sk trunk L82.1"
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert table_rows(named(editor, "lesionTable"))[0][5] == "L82.1"


def test_the_diagnosis_finder_offers_only_billable_codes(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    finder = named(editor, "diagnosisSearch")
    qtbot.keyClicks(finder, "L57")
    qtbot.waitUntil(lambda: bool(finder.matches()))
    assert "L57.0 — Actinic keratosis" in finder.matches()
    assert not any(m.startswith("L57 ") for m in finder.matches())


def test_delete_key_in_the_lesion_table_removes_the_row(
    qtbot: QtBot, editor: EncounterEditor, store: Store
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "12 ak face")
    quick_enter(qtbot, editor, "3 sk trunk")
    table = named(editor, "lesionTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [row[0] for row in table_rows(table)] == ["Benign"]
    assert [row[0] for row in table_rows(named(editor, "codedLinesTable"))] == ["17110"]


def test_record_what_was_paid_at_the_desk(
    qtbot: QtBot, editor: EncounterEditor, store: Store, fake_dialogs: FakeDialogs
) -> None:
    start_visit(editor, store)
    quick_enter(qtbot, editor, "12 ak face cryo")
    assert not named(editor, "encounterPaid").isVisible()  # only once final
    fake_dialogs.defaults["ask"] = True
    qtbot.mouseClick(named(editor, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    paid = named(editor, "encounterPaid")
    assert paid.isVisible()
    qtbot.keyClicks(paid, "twenty")
    qtbot.keyClick(paid, Qt.Key.Key_Return)
    assert fake_dialogs.kinds()[-1] == "problem"
    paid.clear()
    qtbot.keyClicks(paid, "25")
    qtbot.mouseClick(named(editor, "recordPaymentButton"), Qt.MouseButton.LeftButton)
    assert editor.encounter.paid_cents == 2500
    total = named(editor, "encounterTotal").text()
    assert "paid $25.00" in total and "balance" in total
