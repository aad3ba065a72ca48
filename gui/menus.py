"""The window's menus: every command with its shortcut, shown in the menu and in its tooltip.

``build_menus(window)`` fills the menu bar of a ``MainWindow`` and connects each action to the
window or to the panel that does the work; ``shortcut_list`` is what F1 shows. Each action has an
object name (``saveAction``, ``printDayAction``…) so tests and the shortcut list can find it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from core.accounts import Action
from core.store import Store
from gui.dialogs import dialogs
from gui.people import change_password, open_people
from gui.review_sheet import review_day, review_visit

if TYPE_CHECKING:
    from gui.main_window import MainWindow

Keys = QKeySequence | QKeySequence.StandardKey | str | None


def add_action(
    window: QWidget, menu: QMenu, text: str, name: str, keys: Keys, slot: Callable[[], object]
) -> QAction:
    """A ``window``-wide action in ``menu`` calling ``slot``; its tooltip names its shortcut."""
    action = QAction(text, window)
    action.setObjectName(name)
    if keys is not None:
        sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
        action.setShortcut(sequence)
        native = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({native})")
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """File, Visit, Day and Help, with every command of the window."""
    bar = window.menuBar()
    editor, day_sheet = window.editor, window.day_sheet

    file_menu = bar.addMenu("&File")
    add_action(window, file_menu, "&Settings…", "settingsAction", "Ctrl+,", window.open_settings)
    file_menu.addSeparator()
    add_action(window, file_menu, "&Back up now…", "backupAction", None, window.backup_now)
    add_action(window, file_menu, "&Restore from a backup…", "restoreAction", None, window.restore_backup)
    remove_demo = add_action(
        window, file_menu, "Remove the &demo patients…", "removeDemoAction", None, window.remove_demo_data
    )
    file_menu.aboutToShow.connect(
        lambda: remove_demo.setEnabled(
            window.store.may(Action.PRACTICE_SETTINGS) and window.store.has_demo_data()
        )
    )
    file_menu.addSeparator()
    add_action(window, file_menu, "&People…", "peopleAction", None, lambda: open_people(window))
    add_action(
        window,
        file_menu,
        "&Change my password…",
        "changePasswordAction",
        None,
        lambda: change_password(window),
    )
    add_action(window, file_menu, "&Lock / switch user", "lockAction", "Ctrl+Shift+L", window.lock)
    file_menu.addSeparator()
    add_action(window, file_menu, "&Quit", "quitAction", QKeySequence.StandardKey.Quit, window.quit)

    visit = bar.addMenu("&Visit")
    add_action(
        window,
        visit,
        "&Find patient",
        "findPatientAction",
        QKeySequence.StandardKey.Find,
        window.focus_search,
    )
    add_action(
        window,
        visit,
        "&New patient…",
        "newPatientAction",
        QKeySequence.StandardKey.New,
        window.patients.open_form,
    )
    add_action(
        window, visit, "&Edit patient…", "editPatientAction", "Ctrl+Shift+E", editor.request_patient_edit
    )
    add_action(
        window,
        visit,
        "New visit, patient &later",
        "newVisitAction",
        "Ctrl+Shift+N",
        window.new_visit_without_patient,
    )
    visit.addSeparator()
    add_action(window, visit, "&Quick entry", "quickEntryAction", "Ctrl+L", editor.quick_entry.setFocus)
    add_action(window, visit, "&Save as final", "saveAction", QKeySequence.StandardKey.Save, editor.finalize)
    add_action(
        window,
        visit,
        "Superbill &preview…",
        "printAction",
        QKeySequence.StandardKey.Print,
        editor.request_superbill,
    )
    add_action(window, visit, "&Reopen final encounter…", "reopenAction", None, editor.reopen)
    add_action(
        window, visit, "Re&view sheet of this visit…", "reviewVisitAction", None, lambda: review_visit(window)
    )
    visit.addAction(editor.dealt_with_action)  # Ctrl+D: a note from the import is dealt with

    day = bar.addMenu("&Day")
    add_action(window, day, "&Previous day", "previousDayAction", "Alt+Left", lambda: day_sheet.step(-1))
    add_action(window, day, "&Next day", "nextDayAction", "Alt+Right", lambda: day_sheet.step(1))
    add_action(window, day, "&Today", "todayAction", "Ctrl+T", day_sheet.go_to_today)
    day.addSeparator()
    add_action(window, day, "Print &day…", "printDayAction", "Ctrl+Shift+P", window.printing.print_day)
    add_action(window, day, "&Review sheet…", "reviewSheetAction", "Ctrl+Shift+R", lambda: review_day(window))

    help_menu = bar.addMenu("&Help")
    add_action(
        window, help_menu, "&Keyboard shortcuts", "shortcutsAction", "F1", lambda: show_shortcuts(window)
    )
    add_action(window, help_menu, "&About Superbill Desk", "aboutAction", None, lambda: show_about(window))


#: menu commands that only some roles may use (``core.accounts``; core refuses them anyway): greyed
#: out for the others so nobody is sent into a step that will be refused
ROLE_ACTIONS: dict[str, Action] = {
    "restoreAction": Action.RESTORE,
    "removeDemoAction": Action.PRACTICE_SETTINGS,
    "peopleAction": Action.MANAGE_USERS,
    "saveAction": Action.FINALIZE,
    "reopenAction": Action.REOPEN,
    "backupAction": Action.BACKUP,
    "printDayAction": Action.PRINT,
    "printAction": Action.PRINT,
}


#: Quit always works; the import note's command is switched on and off by the editor itself
_LEFT_ALONE = frozenset({"", "quitAction", "noteDealtWithAction"})


def apply_role(window: QWidget, store: Store) -> None:
    """Enable each menu command the signed-in person's role allows; with nobody signed in (locked),
    every command but Quit is off, so no shortcut reaches the hidden work area."""
    signed_in = store.account is not None
    for menu in window.findChildren(QMenu):
        menu.menuAction().setEnabled(signed_in)
        for action in menu.actions():
            name = action.objectName()
            if name in _LEFT_ALONE or action.isSeparator():
                continue
            needed = ROLE_ACTIONS.get(name)
            action.setEnabled(signed_in and (needed is None or store.may(needed)))


def show_shortcuts(window: QMainWindow) -> None:
    """Help → Keyboard shortcuts (F1): every menu command with its keys."""
    dialogs().inform(window, "Keyboard shortcuts", shortcut_list(window))


def show_about(window: MainWindow) -> None:
    """Help → About: the program's name, its database file and its log file."""
    from core.paths import log_file

    dialogs().inform(
        window,
        "About Superbill Desk",
        f"Superbill Desk\n\nDatabase: {window.store.path or 'in memory'}\nLog file: {log_file()}",
    )


def shortcut_list(window: QMainWindow) -> str:
    """Every key of the window, as a table in three parts (a proportional font cannot line up spaces):
    the menu commands, the menus themselves, and the Alt letters that jump to a field of the work area.
    One row a line, so each key and what it does stay together."""
    bar = window.menuBar()
    commands: list[tuple[str, str]] = []
    menus: list[tuple[str, str]] = []
    for top in bar.actions():
        if keys := _mnemonic_keys(top.text()):
            menus.append((keys, f"the {_plain(top.text())} menu"))
    for menu in bar.findChildren(QMenu):
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                commands.append((keys, _plain(action.text())))
    fields = [(keys, _plain(text)) for text in _field_texts(window) if (keys := _mnemonic_keys(text))]
    rows = ["<table cellspacing='0' cellpadding='2'>"]
    for heading, pairs in (("Commands", commands), ("Menus", menus), ("Go to a field", fields)):
        if pairs:
            rows.append(f"<tr><td colspan='2'><b>{heading}</b></td></tr>")
            rows.extend(
                f"<tr><td>{escape(keys)}&nbsp;&nbsp;&nbsp;</td><td>{escape(what)}</td></tr>"
                for keys, what in pairs
            )
    rows.append("</table>")
    return "\n".join(rows)


def _field_texts(window: QMainWindow) -> list[str]:
    """The texts with an Alt letter in the work area: labels of a field, and check boxes."""
    from PySide6.QtWidgets import QCheckBox, QLabel

    gate = getattr(window, "gate", None)
    texts = []
    for widget in window.findChildren(QWidget):
        if gate is not None and (widget is gate or gate.isAncestorOf(widget)):
            continue
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            texts.append(widget.text())
        if isinstance(widget, QCheckBox):
            texts.append(widget.text())
    return texts


def _mnemonic_keys(text: str) -> str:
    """``&Visit`` → ``Alt+V`` (as the system writes it); empty when the text has no Alt letter."""
    return QKeySequence.mnemonic(text).toString(QKeySequence.SequenceFormat.NativeText)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
