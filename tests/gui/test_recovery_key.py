"""The recovery-key question (issue 11): a database from another computer opens only with its recovery key;
a wrong key is refused with a sentence and the dialog stays open."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from core.backup import backup_database
from core.store import Patient, encrypting, keys
from core.store.keys import RecoveryKey
from gui import app
from gui.main_window import MainWindow
from gui.recovery_key import RecoveryKeyDialog
from tests.gui.conftest import FakeDialogs, sign_in_window
from tests.gui.test_settings_dialog import click, open_settings
from tests.signing_in import open_signed_in


def _made_elsewhere(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RecoveryKey:
    """A database made on "another computer": this one's key store is empty."""
    with open_signed_in(db) as store:
        recovery = store.new_recovery_key
        assert recovery is not None
    monkeypatch.setenv(keys.KEYSTORE_ENV, f"file:{tmp_path / 'this-computer' / 'keys.json'}")
    return recovery


def test_a_wrong_key_keeps_the_dialog_open_and_the_right_one_unlocks(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "practice.db"
    recovery = _made_elsewhere(db, tmp_path, monkeypatch)
    dialog = RecoveryKeyDialog(db, lambda typed: encrypting.unlock_with_recovery_key(db, typed))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.field, RecoveryKey.new().text)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "does not open" in dialog.message.text()
    assert keys.load_key(db) is None

    dialog.field.clear()
    qtbot.keyClicks(dialog.field, recovery.text.lower().replace("-", " "))
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert keys.load_key(db) == recovery.database_key


def test_the_window_asks_for_the_recovery_key_then_opens(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "practice.db"
    recovery = _made_elsewhere(db, tmp_path, monkeypatch)
    asked: list[Path] = []

    def type_the_key(path: Path, parent: object = None) -> bool:
        asked.append(path)
        encrypting.unlock_with_recovery_key(path, recovery.text)
        return True

    monkeypatch.setattr("gui.recovery_key.unlock_database", type_the_key)
    window = app.build_main_window(db)
    assert window is not None
    qtbot.addWidget(window)
    assert asked == []  # the key store is not even read before the window shows (issue 14)
    window.show()
    qtbot.waitUntil(lambda: asked == [db], timeout=5000)  # just after the first paint
    assert window.store.path == db


def test_cancelling_the_recovery_key_opens_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_dialogs: FakeDialogs
) -> None:
    db = tmp_path / "practice.db"
    _made_elsewhere(db, tmp_path, monkeypatch)
    order: list[str] = []
    monkeypatch.setattr(
        "gui.recovery_key.unlock_database", lambda path, parent=None: order.append("recovery key") or False
    )
    window = app.build_main_window(db)
    assert window is not None
    qtbot.addWidget(window)
    refused: list[bool] = []
    window.cannot_open.connect(lambda: refused.append(True))  # gui.app.run then ends with status 2
    # gui.app.run listens for a second start at this signal, so that start is not kept waiting
    window.asking_first.connect(lambda: order.append("asking first"))
    window.show()
    qtbot.waitUntil(lambda: refused == [True], timeout=5000)
    assert order[:2] == ["asking first", "recovery key"]
    assert not window.isVisible() and not window.built
    assert keys.load_key(db) is None
    assert fake_dialogs.seen == []


def test_restoring_a_backup_made_elsewhere_asks_for_its_recovery_key(
    qtbot: QtBot,
    window: MainWindow,
    fake_dialogs: FakeDialogs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path / "elsewhere.db"
    with open_signed_in(elsewhere) as other:
        recovery = other.new_recovery_key
        assert recovery is not None
        other.save_patient(Patient("Zebulon", "Quackenbush", date(1931, 7, 4)))
    foreign = backup_database(elsewhere, tmp_path / "foreign.db")
    keys.forget_key(elsewhere)
    keys.forget_key(foreign)  # as on another computer: no key here opens it
    asked: list[Path] = []

    def typed(backup: Path, parent: object = None) -> str:
        asked.append(backup)
        return recovery.text

    monkeypatch.setattr("gui.recovery_key.backup_recovery_key", typed)
    dialog = open_settings(qtbot, window)
    fake_dialogs.answers["open_file"].append(foreign)
    fake_dialogs.answers["ask"].append(True)
    click(qtbot, dialog, "restoreButton")
    assert asked == [foreign]
    assert fake_dialogs.kinds()[-1] == "inform"
    sign_in_window(qtbot, window)  # the restored file's people sign in to it
    assert window.store.search_patients("Quackenbush")
    assert window.store.path is not None
    assert keys.load_key(window.store.path) == recovery.database_key
