"""An existing file is opened just after the window shows (issue 14, ``core.store.later``,
``gui.first_paint``): the checks that must come before its first write still come, the sign-in screen
shows the right face once the file is read, and a file refused then closes the window (status 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit
from pytestqt.qtbot import QtBot

from core.store import SCHEMA_VERSION, open_store
from core.store.later import StoreLater, open_later
from gui.app import build_main_window, run
from gui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, sign_in_window
from tests.keyed import raw_connect
from tests.signing_in import open_signed_in


def _shown(qtbot: QtBot, path: Path) -> MainWindow:
    window = build_main_window(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_an_existing_file_with_its_key_here_is_opened_once_the_window_shows(
    qtbot: QtBot, db_path: Path
) -> None:
    open_signed_in(db_path).close()
    later = open_later(db_path, program="test")
    assert later.looked_at_only and not later.finished  # nothing read yet
    later.close()
    window = _shown(qtbot, db_path)
    qtbot.waitUntil(lambda: window._later is not None and window._later.finished, timeout=5000)
    assert window.store.path == db_path


def test_a_set_up_file_without_an_account_shows_the_set_up_once_it_is_read(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    open_store(db_path).close()  # made and set up (demo practice), nobody set up its administrator
    window = _shown(qtbot, db_path)
    qtbot.waitUntil(lambda: window.findChild(QCheckBox, "showPassword").isVisible(), timeout=5000)
    assert window.gate.setting_up
    sign_in_window(qtbot, window)  # the same fields set up its first administrator
    assert window.store.account is not None


def test_signing_in_before_the_file_is_read_sets_up_a_file_without_an_account(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, sync_pool: object
) -> None:
    open_store(db_path).close()
    window = build_main_window(db_path)  # not shown: the file is read at the first sign-in
    qtbot.addWidget(window)
    assert isinstance(window._later, StoreLater) and window._later.looked_at_only
    for name, text in (("signInUser", "dana"), ("signInPassword", "dana's desk password")):
        field = window.findChild(QLineEdit, name)
        field.setText(text)
    window.gate.submit()
    assert window.store.account is not None and window.store.account.name == "dana"


def test_a_file_refused_once_the_window_shows_is_said_and_ends_the_program(
    qtbot: QtBot, db_path: Path, fake_dialogs: FakeDialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gui.app.configure_logging", lambda: None)  # no process-wide log file from a test
    monkeypatch.setattr("gui.app.install_excepthook", lambda window: None)
    open_signed_in(db_path).close()
    conn = raw_connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")  # written by a newer version
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    assert run(db_path) == 2
    assert [(kind, title) for kind, title, _text in fake_dialogs.seen] == [
        ("problem", "Superbill Desk cannot open the database")
    ]
    assert "newer version" in fake_dialogs.seen[0][2]
    assert db_path.read_bytes() == before  # untouched
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert not shown
