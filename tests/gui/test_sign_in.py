"""The window's sign-in screen, lock and people (issue 11), driven as a person drives them: typing,
Enter, shortcuts, and the named widgets of docs/gui.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from core.accounts import Role
from core.store import open_store
from gui import idle_lock
from gui.app import build_main_window
from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter, sign_in_window, table_rows
from tests.signing_in import PASSWORD, USER, open_signed_in


def _shown(qtbot: QtBot, path: Path) -> MainWindow:
    window = build_main_window(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def _type(qtbot: QtBot, window: QWidget, name: str, text: str) -> QLineEdit:
    field = window.findChild(QLineEdit, name)
    assert field is not None and field.isVisible(), name
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    return field


def _patient_data_shown(window: MainWindow) -> bool:
    table = window.findChild(QTableView, "dayTable")
    return table is not None and table.isVisible()


def test_a_new_file_opens_on_the_set_up_of_its_first_administrator(
    qtbot: QtBot, tmp_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    window = _shown(qtbot, tmp_path / "new.db")
    assert window.findChild(QWidget, "dayTable") is None  # nothing of the practice is built yet
    assert not window.menuBar().isVisible()
    assert window.findChild(QCheckBox, "showPassword").isVisible()
    _type(qtbot, window, "signInUser", "dana")
    password = _type(qtbot, window, "signInPassword", "short")
    qtbot.keyClick(password, Qt.Key.Key_Return)
    assert "at least 8" in window.findChild(QLabel, "signInMessage").text()
    assert window.store.account is None
    password = _type(qtbot, window, "signInPassword", "dana's desk password")
    qtbot.mouseClick(window.findChild(QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    assert window.store.account is not None and window.store.account.role is Role.ADMINISTRATOR
    assert _patient_data_shown(window) and window.menuBar().isVisible()
    assert "dana" in window.findChild(QLabel, "signedInAs").text()
    # the new database's recovery key is shown once, to the administrator who set it up
    qtbot.waitUntil(lambda: len(fake_dialogs.recovery_keys) == 1)
    assert window.store.new_recovery_key is None  # confirmed: forgotten by the program
    window.lock()
    sign_in_window(qtbot, window, "dana", "dana's desk password")
    qtbot.wait(50)
    assert len(fake_dialogs.recovery_keys) == 1  # not again


def test_a_wrong_password_never_shows_the_practice(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    open_signed_in(db_path).close()
    window = _shown(qtbot, db_path)
    assert not window.findChild(QCheckBox, "showPassword").isVisible()  # sign-in, not set-up
    _type(qtbot, window, "signInUser", USER)
    qtbot.keyClick(_type(qtbot, window, "signInPassword", "not the password"), Qt.Key.Key_Return)
    assert "do not match" in window.findChild(QLabel, "signInMessage").text()
    assert window.findChild(QLineEdit, "signInPassword").text() == ""
    assert window.findChild(QWidget, "dayTable") is None and window.store.account is None
    sign_in_window(qtbot, window)
    assert _patient_data_shown(window)


def test_the_window_locks_after_the_idle_minutes_and_nothing_typed_is_lost(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    entry = named(window, "lesionQuickEntry")
    qtbot.keyClicks(entry, "3 sk trunk")  # typed, not entered yet
    monkeypatch.setattr(idle_lock, "MS_PER_MINUTE", 40)
    window.lock()
    sign_in_window(qtbot, window)  # the idle timer starts again at the sign-in, now with short minutes
    qtbot.waitUntil(lambda: not _patient_data_shown(window), timeout=5000)
    assert window.store.account is None and not window.menuBar().isVisible()
    assert "was signed in" in window.findChild(QLabel, "signInExplanation").text()
    assert window.findChild(QLineEdit, "signInUser").text() == USER  # only the password to type
    sign_in_window(qtbot, window)
    assert _patient_data_shown(window)
    assert entry.text() == "3 sk trunk"
    assert len(table_rows(named(window, "dayTable"))) == 1


def test_keys_keep_the_window_open_past_the_idle_minutes(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_lock, "MS_PER_MINUTE", 300)
    window.lock()
    sign_in_window(qtbot, window)
    search = named(window, "patientSearch")
    for _ in range(6):  # 6 × 100 ms of typing: twice the idle time, never idle for it
        qtbot.keyClick(search, Qt.Key.Key_A)
        qtbot.wait(100)
    assert _patient_data_shown(window)


def test_ctrl_shift_l_locks_and_another_person_unlocks_with_their_role(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    window.store.add_account("desk", PASSWORD, Role.FRONT_DESK, full_name="Dee Desk")
    qtbot.keyClick(
        window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert not _patient_data_shown(window)
    sign_in_window(qtbot, window, "desk", PASSWORD)
    assert "Dee Desk" in window.findChild(QLabel, "signedInAs").text()
    actions = {a.objectName(): a for a in window.findChildren(type(window.menuBar().actions()[0]))}
    assert not actions["restoreAction"].isEnabled() and not actions["peopleAction"].isEnabled()
    assert not actions["saveAction"].isEnabled() and actions["printDayAction"].isEnabled()
    # the core refuses whatever the window shows: the editor's own button says why
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    qtbot.mouseClick(named(window, "saveEncounterButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds()[-1] == "problem"
    assert "biller or administrator" in fake_dialogs.seen[-1][2]


def test_the_lock_answers_an_open_question_with_its_safe_choice(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "A question", "Drop everything?", parent=window)
    box.open()
    qtbot.waitExposed(box)
    window.lock()
    assert not box.isVisible()
    assert box.result() == 0  # rejected, as Esc would


def test_an_administrator_adds_a_person_who_then_signs_in(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    from gui.people import PeopleDialog

    window.findChild(type(window.menuBar().actions()[0]), "peopleAction").trigger()
    dialog = window.findChild(PeopleDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    _type(qtbot, dialog, "personName", "anna")
    _type(qtbot, dialog, "personFullName", "Anna Lee")
    _type(qtbot, dialog, "personPassword", "anna's first password")
    qtbot.mouseClick(dialog.findChild(QPushButton, "addPersonButton"), Qt.MouseButton.LeftButton)
    assert "anna can sign in" in dialog.findChild(QLabel, "peopleMessage").text()
    # she forgot it: reset
    table = dialog.findChild(QTableView, "peopleTable") or dialog.table
    assert [table.model().index(r, 0).data() for r in range(table.model().rowCount())] == ["anna", USER]
    table.selectRow(0)
    _type(qtbot, dialog, "personPassword", "anna's second password")
    qtbot.mouseClick(dialog.findChild(QPushButton, "resetPasswordButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(PeopleDialog) is None or not dialog.isVisible())
    window.lock()
    sign_in_window(qtbot, window, "anna", "anna's second password")
    assert window.store.account is not None and window.store.account.name == "anna"


def test_views_and_prints_made_in_the_window_are_in_the_audit_log(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    with open_store(db_path) as other:
        other.sign_in(USER, PASSWORD)
        rows = [(r.who, r.entity, r.action) for r in other.audit_entries()]
    assert (USER, "patient", "view") in rows


def test_no_patient_name_is_on_the_locked_screen(qtbot: QtBot, window: MainWindow) -> None:
    open_first_patient(qtbot, window)
    name = window.editor.patient.last_name if window.editor.patient else "Sample"
    window.lock()
    texts = [
        w.text()
        for w in window.findChildren(QLabel) + window.findChildren(QLineEdit)
        if w.isVisible() and hasattr(w, "text")
    ]
    texts.append(window.windowTitle())
    assert not [t for t in texts if name in t]
    assert QApplication.activeModalWidget() is None


def test_a_restore_reached_any_way_is_refused_to_the_front_desk(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    window.store.add_account("desk", PASSWORD, Role.FRONT_DESK)
    window.lock()
    sign_in_window(qtbot, window, "desk", PASSWORD)
    window.restore_backup()  # as a shortcut or a leftover button would
    assert fake_dialogs.kinds() == ["problem"]
    assert "administrator" in fake_dialogs.seen[-1][2]


def test_after_unlocking_the_day_sheet_still_points_at_the_visit_in_the_editor(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    """Seen in the keyboard-only clinic day: the day sheet read the day again at unlock and lost its
    highlight, while the editor still showed the visit."""
    for name in ("sample", "jordan"):
        open_first_patient(qtbot, window, name)
        quick_enter(qtbot, window, "2 ak face")
    day = named(window, "dayTable")
    first_row = day.model().index(0, 0)
    qtbot.mouseClick(day.viewport(), Qt.MouseButton.LeftButton, pos=day.visualRect(first_row).center())
    qtbot.keyClick(day, Qt.Key.Key_Return)  # open the first visit of the day
    assert window.editor.patient is not None and window.editor.patient.last_name == "Sample"
    qtbot.keyClick(
        window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    sign_in_window(qtbot, window)
    shown = day.model().index(day.currentIndex().row(), 0).data()
    assert day.selectionModel().isSelected(day.currentIndex()) and shown == "Sample, Avery"
