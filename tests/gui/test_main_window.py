"""The window as a whole: the named-widget contract, start-up, day navigation, drafts after a crash."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from core.errors import InputError
from core.paths import log_file
from gui.app import build_main_window
from gui.main_window import MainWindow, window_settings
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter, sign_in_window, table_rows

#: docs/gui.md: every named widget and its class
CONTRACT: dict[str, type | tuple[type, ...]] = {
    "dayDate": QDateEdit,
    "dayTable": QTableView,
    "patientSearch": QLineEdit,
    "patientResults": QAbstractItemView,
    "newPatientButton": QPushButton,
    "patientFirstName": QLineEdit,
    "patientLastName": QLineEdit,
    "patientDob": (QDateEdit, QLineEdit),
    "patientPayer": QComboBox,
    "patientMemberId": QLineEdit,
    "savePatientButton": QPushButton,
    "encounterProvider": QComboBox,
    "encounterPos": QComboBox,
    "encounterEmCode": QComboBox,
    "lesionQuickEntry": QLineEdit,
    "lesionTable": QTableView,
    "codedLinesTable": QTableView,
    "codingMessages": QListWidget,
    "encounterTotal": QLabel,
    "saveEncounterButton": QPushButton,
    "printSuperbillButton": QPushButton,
    "printDayButton": QPushButton,
    "signInUser": QLineEdit,
    "signInPassword": QLineEdit,
    "signInButton": QPushButton,
}


def test_build_main_window_does_not_show(qtbot: QtBot, db_path: Path) -> None:
    window = build_main_window(db_path)
    qtbot.addWidget(window)
    sign_in_window(qtbot, window)
    assert window.windowTitle() == "Superbill Desk"
    assert not window.isVisible()
    assert db_path.exists()


@pytest.mark.parametrize(("name", "kind"), CONTRACT.items())
def test_named_widgets(window: MainWindow, name: str, kind: type) -> None:
    widget = named(window, name)
    assert isinstance(widget, kind)
    assert widget.accessibleName().strip()


def test_every_interactive_widget_has_an_accessible_name(window: MainWindow) -> None:
    kinds = (QLineEdit, QComboBox, QPushButton, QAbstractItemView, QDateEdit)
    nameless = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.objectName()
        and not w.objectName().startswith("qt_")
        and not w.accessibleName()
    ]
    assert nameless == []


def test_opens_on_today_with_defaults(window: MainWindow) -> None:
    assert window.day() == window.store.today()
    assert named(window, "dayDate").date().toPython() == window.store.today()
    assert named(window, "encounterPos").currentData() == "11"
    assert named(window, "encounterEmCode").currentData() is None
    # usable before a patient is chosen; the header says so and how to pick one
    assert named(window, "lesionQuickEntry").isEnabled()
    assert named(window, "encounterPatient").text().startswith("No patient chosen yet")
    assert "Ctrl+F" in named(window, "encounterPatient").text()


def test_day_navigation_by_buttons_and_keys(qtbot: QtBot, window: MainWindow) -> None:
    today = window.store.today()
    qtbot.mouseClick(named(window, "previousDayButton"), Qt.MouseButton.LeftButton)
    assert window.day() == today - timedelta(days=1)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.day() == today + timedelta(days=1)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.day() == today


def test_a_visit_is_on_the_day_shown(qtbot: QtBot, window: MainWindow) -> None:
    yesterday = window.store.today() - timedelta(days=1)
    qtbot.mouseClick(named(window, "previousDayButton"), Qt.MouseButton.LeftButton)
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    assert window.current_encounter().date_of_service == yesterday
    assert len(table_rows(named(window, "dayTable"))) == 1
    qtbot.mouseClick(named(window, "todayButton"), Qt.MouseButton.LeftButton)
    assert table_rows(named(window, "dayTable")) == []


def test_drafts_left_from_last_time_are_offered(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs
) -> None:
    first = build_main_window(db_path)
    qtbot.addWidget(first)
    sign_in_window(qtbot, first)
    first.show()
    open_first_patient(qtbot, first)
    quick_enter(qtbot, first, "12 ak face cryo")
    first.close()  # as if the program had stopped with the draft open

    fake_dialogs.answers["ask"].append(True)
    again = build_main_window(db_path)
    qtbot.addWidget(again)
    sign_in_window(qtbot, again)
    again.show()
    qtbot.waitUntil(lambda: fake_dialogs.kinds() == ["ask"])
    assert "Sample, Avery" in fake_dialogs.seen[0][2]
    qtbot.waitUntil(lambda: again.current_encounter() is not None)
    assert table_rows(named(again, "lesionTable"))[0][:3] == ["Premalignant", "12", "face"]
    assert [row[0] for row in table_rows(named(again, "codedLinesTable"))] == ["17000", "17003"]


def test_a_known_error_gets_one_calm_message(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")

    def refuse(_record: object, **_options: object) -> None:
        raise InputError("Provider: choose the rendering provider.", field="provider_id")

    window.store.save_draft = refuse  # type: ignore[method-assign]
    quick_enter(qtbot, window, "3 sk trunk")
    assert fake_dialogs.kinds() == ["problem"]
    assert fake_dialogs.seen[0][2] == "Provider: choose the rendering provider."


def test_an_unexpected_error_is_logged_and_the_form_stays(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, caplog: pytest.LogCaptureFixture
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")

    def broken(_record: object, **_options: object) -> None:
        raise RuntimeError("disk on fire")

    window.store.save_draft = broken  # type: ignore[method-assign]
    quick_enter(qtbot, window, "3 sk trunk")
    assert fake_dialogs.kinds() == ["problem"]
    assert "Nothing you entered was lost" in fake_dialogs.seen[0][2]
    assert len(table_rows(named(window, "lesionTable"))) == 2
    (record,) = [r for r in caplog.records if r.name == "superbill.gui"]
    assert record.levelname == "ERROR" and record.exc_info is not None
    assert "disk on fire" in str(record.exc_info[1])
    assert str(log_file()) in fake_dialogs.seen[0][2]  # the user is told where the details are


def test_window_state_is_remembered(qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs) -> None:
    first = build_main_window(db_path)
    qtbot.addWidget(first)
    sign_in_window(qtbot, first)
    first.show()
    first.splitter.setSizes([300, 700])
    first.close()
    assert window_settings().value("window/geometry") is not None
    again = build_main_window(db_path)
    qtbot.addWidget(again)
    sign_in_window(qtbot, again)
    assert again.splitter.saveState() == first.splitter.saveState()
    assert again.left.saveState() == first.left.saveState()


def test_the_daily_backup_is_taken_when_the_window_opens(qtbot: QtBot, window: MainWindow) -> None:
    from core.backup import daily_backup_name
    from core.paths import backups_dir

    expected = backups_dir() / daily_backup_name(window.store.path, window.store.today())
    qtbot.waitUntil(expected.exists)
    assert "backup" in named(window, "statusText").text()


def test_a_damaged_page_is_said_after_the_window_opens_and_not_backed_up(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    """Opening reads only what it needs (the window opens as fast on ten years of visits); SQLite's check
    of every page runs in the background before today's backup, and a damaged file is said at once."""
    import os

    from core.backup import daily_backup_name
    from core.paths import backups_dir
    from tests.core.store.test_opening import _real_database
    from tests.keyed import raw_connect
    from tests.signing_in import open_signed_in

    _real_database(db_path)
    with open_signed_in(db_path) as store:  # an audit log of many pages, written last, at the file's end
        patient = store.search_patients("Sample")[0]
        for _ in range(400):
            store.record_view(patient.id or 0, "details")
    conn = raw_connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    # an old page of the audit log (not its newest, which a sign-in writes to): opening does not read it
    page = pages - 3
    with db_path.open("r+b") as file:
        file.seek((page - 1) * page_size)
        file.write(os.urandom(page_size))
    window = build_main_window(db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in_window(qtbot, window)  # the work area, today's backup and the check come after signing in
    qtbot.waitUntil(lambda: len(fake_dialogs.seen) > 0)
    kind, title, text = fake_dialogs.seen[0]
    assert kind == "problem"
    assert title == "Could not check the database file and take today's automatic backup"
    assert "is damaged" in text and "Restore your latest backup" in text
    assert not (backups_dir() / daily_backup_name(db_path, window.store.today())).exists()


def test_a_whole_visit_by_keyboard(qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = named(window, "patientSearch")
    assert search.hasFocus()
    qtbot.keyClicks(search, "sample")
    qtbot.keyClick(search, Qt.Key.Key_Return)  # the only match: a visit starts
    entry = named(window, "lesionQuickEntry")
    assert entry.hasFocus()
    qtbot.keyClicks(entry, "12 ak face cryo")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert entry.hasFocus()  # ready for the next line
    qtbot.keyClick(entry, Qt.Key.Key_Tab)
    assert named(window, "diagnosisSearch").hasFocus()
    qtbot.keyClick(named(window, "diagnosisSearch"), Qt.Key.Key_Tab)
    assert named(window, "lesionTable").hasFocus()
    fake_dialogs.defaults["ask"] = True
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert table_rows(named(window, "dayTable"))[0][5] == "Final"
    status = window.status_text.text()  # not "New visit for …" any more (issue 15)
    assert "saved as final (SB-" in status and "New visit" not in status
    paid = named(window, "encounterPaid")  # the patient pays at the desk: the status line says so
    qtbot.keyClicks(paid, "45")
    qtbot.keyClick(paid, Qt.Key.Key_Return)
    status = window.status_text.text()
    assert "Paid $45.00" in status and "balance $325.00" in status and "saved as final" not in status
    fake_dialogs.answers["choose"].append(0)  # already seen today: open that visit
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(search, "sample")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    status = window.status_text.text()  # about the visit opened, not the payment shown before
    assert status.startswith("Opened the visit of Sample, Avery on ") and "(final, SB-" in status
    # the provider, place and visit drop-downs come before the quick-entry line
    fake_dialogs.answers["choose"].append(1)  # already seen today: start another visit
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(search, "sample")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.keyClick(entry, Qt.Key.Key_Backtab)
    assert named(window, "encounterEmCode").hasFocus()


def test_a_second_visit_on_the_same_day_is_asked_about(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    first = window.current_encounter()
    fake_dialogs.answers["choose"].append(0)  # open that visit
    open_first_patient(qtbot, window)
    assert fake_dialogs.seen[-1][1] == "Already seen on this day"
    assert window.current_encounter() == first
    fake_dialogs.answers["choose"].append(1)  # start another one
    open_first_patient(qtbot, window)
    assert window.current_encounter().id is None
    quick_enter(qtbot, window, "1 ak scalp")
    assert len(table_rows(named(window, "dayTable"))) == 2


def test_remove_the_demo_patients(qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    fake_dialogs.answers["ask"].append(True)
    action = window.findChild(QAction, "removeDemoAction")
    action.trigger()
    assert window.store.search_patients("sample") == []
    assert table_rows(named(window, "dayTable")) == []
    assert window.current_encounter() is None
    assert fake_dialogs.kinds()[-1] == "inform" and "1 visit were" in fake_dialogs.seen[-1][2]


def test_the_day_sheet_highlights_the_visit_the_editor_shows(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    """Issue 15: the day sheet highlighted one visit while the editor showed another."""
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    table = named(window, "dayTable")
    first = window.current_encounter()
    assert first is not None and table.currentIndex().isValid()

    open_first_patient(qtbot, window, "example")  # another patient: a new visit, not saved yet
    assert window.current_encounter() is not None and window.current_encounter().id is None
    assert not table.currentIndex().isValid() and not table.selectionModel().selectedRows()

    quick_enter(qtbot, window, "3 sk trunk")  # saved: its own row is highlighted
    current = window.current_encounter()
    assert current is not None and current.id != first.id
    shown = table.model().index(table.currentIndex().row(), 0).data()
    assert shown == "Example, Jordan"


def _mnemonic(text: str) -> str | None:
    import re

    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def test_no_mnemonic_is_used_twice_in_the_window_or_a_menu(window: MainWindow) -> None:
    """Issue 15: Alt+V was claimed three times (Place of service, Visit (E/M), the Visit menu)."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    window.patients.open_form()  # the new-patient form's labels too
    seen: dict[str, list[str]] = {}
    on_gate: dict[str, list[str]] = {}  # the sign-in screen is shown alone (no menus, no work area)
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QGroupBox):
            text = widget.title()
        elif isinstance(widget, QLabel | QAbstractButton):
            text = widget.text()
        else:
            continue
        key = _mnemonic(text)
        if key:
            (on_gate if window.gate.isAncestorOf(widget) else seen).setdefault(key, []).append(text)
    assert {k: v for k, v in on_gate.items() if len(v) > 1} == {}
    for action in window.menuBar().actions():
        key = _mnemonic(action.text())
        if key:
            seen.setdefault(key, []).append(action.text())
        menu = action.menu()
        if menu is not None:
            inside: dict[str, list[str]] = {}
            for item in menu.actions():
                item_key = _mnemonic(item.text())
                if item_key:
                    inside.setdefault(item_key, []).append(item.text())
            assert {k: v for k, v in inside.items() if len(v) > 1} == {}, action.text()
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_f1_lists_every_key_in_a_table_commands_menus_and_fields(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    """The list lines keys and commands up in columns (spaces could not, in a proportional font) and
    names the Alt letters of the menus and of the fields, each once."""
    qtbot.keyClick(window, Qt.Key.Key_F1)
    _kind, title, text = fake_dialogs.seen[-1]
    assert title == "Keyboard shortcuts" and text.startswith("<table")
    rows = [line for line in text.splitlines() if line.startswith("<tr><td>")]
    pairs = {tuple(re.findall(r"<td>(.*?)(?:&nbsp;)*</td>", row)) for row in rows}
    assert ("Ctrl+Shift+R", "Review sheet…") in pairs
    assert ("Alt+V", "the Visit menu") in pairs
    assert ("Alt+M", "Visit (E/M)") in pairs and ("Alt+Q", "Quick entry") in pairs
    assert ("Alt+U", "Decision for surgery (57)") in pairs
    keys = [keys for keys, _what in pairs if keys.startswith("Alt+") and len(keys) == 5]
    assert len(keys) == len(set(keys))
    for heading in ("Commands", "Menus", "Go to a field"):
        assert f"<b>{heading}</b>" in text


def test_the_day_totals_stay_on_one_line_at_1366_wide(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    """Seen in the keyboard-only clinic day: "charges $1,630.00" wrapped onto a second line though the
    panel had room (the label sat beside a stretch at its narrow preferred width)."""
    window.resize(1366, 768)
    window.splitter.setSizes([560, 806])
    for name in ("sample", "jordan", "riley"):
        open_first_patient(qtbot, window, name)
        quick_enter(qtbot, window, "12 ak face cryo")
        fake_dialogs.defaults["ask"] = True
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    totals = named(window, "dayTotals")
    qtbot.waitUntil(lambda: "3 visits" in totals.text())
    assert totals.height() < 2 * totals.fontMetrics().lineSpacing()
