"""The recovery-key question: shown when this computer has no key for an encrypted database (a database
made on another computer, a restored copy, or a backup from elsewhere).

The person types the recovery key printed at set-up; a key that is mistyped or belongs to another
database is refused with a plain sentence and the dialog stays open for another try. Nothing is opened
until the key is right.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.errors import SuperbillError
from core.store import Store
from gui.widget_names import named


class RecoveryKeyDialog(QDialog):
    """Asks for the recovery key of ``path``; ``check(typed)`` raises ``SuperbillError`` when it is wrong.

    After ``accept`` the right key is in ``typed``.
    """

    def __init__(
        self, path: Path, check: Callable[[str], object], parent: QWidget | None = None, *, action: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle("Type the recovery key")
        self.check = check
        self.typed = ""
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The database\n{path}\nis encrypted, and this computer does not have its key: it was made "
            "on another computer, or the key was lost.\n\n"
            "Type the recovery key that was printed when the database was set up (14 groups of 4 letters "
            f"and digits). Capitals, spaces and dashes do not matter.{action}"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = named(QLineEdit(), "recoveryKeyField", "Recovery key")
        self.field.setPlaceholderText("XXXX-XXXX-XXXX-…")
        self.field.setMinimumWidth(480)
        layout.addWidget(self.field)
        self.message = named(QLabel(""), "recoveryKeyMessage", "What is wrong with the recovery key")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.open_button = named(
            buttons.addButton("Open the database", QDialogButtonBox.ButtonRole.AcceptRole),
            "recoveryKeyOpen",
            "Open the database with this recovery key",
        )
        self.cancel_button = named(
            buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole),
            "recoveryKeyCancel",
            "Cancel: do not open the database",
        )
        buttons.accepted.connect(self.try_key)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_key(self) -> None:
        """Check the typed key: accept when right; otherwise say why and keep the dialog open."""
        typed = self.field.text()
        try:
            self.check(typed)
        except SuperbillError as wrong:
            self.message.setText(wrong.text)
            self.field.setFocus()
            self.field.selectAll()
            return
        self.typed = typed
        self.accept()


def unlock_database(path: Path, parent: QWidget | None = None) -> bool:
    """Ask for the recovery key of the database at ``path`` and keep its key on this computer; False when
    the person cancels."""
    from core.store.encrypting import unlock_with_recovery_key

    dialog = RecoveryKeyDialog(path, lambda typed: unlock_with_recovery_key(path, typed), parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def backup_recovery_key(backup: Path, parent: QWidget | None = None) -> str | None:
    """Ask for the recovery key that opens the backup file ``backup``; None when the person cancels."""
    from core.store.encrypting import check_recovery_key

    dialog = RecoveryKeyDialog(
        backup,
        lambda typed: check_recovery_key(backup, typed),
        parent,
        action="\n\nThe backup is then restored with it.",
    )
    return dialog.typed if dialog.exec() == QDialog.DialogCode.Accepted else None


class NewRecoveryKeyDialog(QDialog):
    """The new database's recovery key, shown once to the person who set it up (or after the
    conversion of an unencrypted file): to print or write down and keep away from the computer."""

    def __init__(self, text: str, path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newRecoveryKeyDialog")
        self.setWindowTitle("Keep this recovery key")
        self.text = text
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The practice's database{f' {path}' if path else ''} is encrypted. This recovery key opens it "
            "— and each of its backups — on any computer, if this computer is lost or replaced. Nobody "
            "can open the database without this computer or this key, not even us.\n\n"
            "Print it or write it down now, and keep it locked away from the computer. It is not kept "
            "anywhere in the program and is shown only now."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        shown = named(QLabel(text), "recoveryKeyText", "The recovery key")
        shown.setStyleSheet("font-family: monospace; font-size: 14pt; font-weight: 600; padding: 8px;")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setWordWrap(True)
        layout.addWidget(shown)
        buttons = QDialogButtonBox()
        self.print_button = named(
            buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole),
            "printRecoveryKeyButton",
            "Print the recovery key",
        )
        done = named(
            buttons.addButton("I have &written it down", QDialogButtonBox.ButtonRole.AcceptRole),
            "recoveryKeyKeptButton",
            "I have written the recovery key down",
        )
        done.setDefault(True)
        self.print_button.clicked.connect(self.print_key)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def print_key(self) -> None:
        """The recovery key on one page, to the printer the person picks."""
        from PySide6.QtGui import QTextDocument

        from gui.dialogs import dialogs
        from gui.print_pages import new_printer

        printer = new_printer()
        printer.setFullPage(False)
        if not dialogs().setup_printer(self, printer, 1):
            return
        page = QTextDocument()
        page.setHtml(
            "<h2>Superbill Desk — recovery key</h2>"
            f"<p style='font-family: monospace; font-size: 16pt'>{self.text}</p>"
            "<p>It opens the practice's database and its backups on any computer. Keep this page locked "
            "away from the computer.</p>"
        )
        page.print_(printer)


def show_new_recovery_key(store: Store, parent: QWidget | None = None) -> None:
    """Show the store's new recovery key, if it has one not yet confirmed; once the person confirms
    they have it, the store forgets it. Closed without confirming, it is shown again at the next
    sign-in of this run."""
    from gui.dialogs import dialogs

    recovery = store.new_recovery_key
    if recovery is None:
        return
    if dialogs().show_recovery_key(parent, recovery.text, store.path):
        store.new_recovery_key = None
