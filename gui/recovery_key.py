"""The recovery-key question: shown when this computer has no key for an encrypted database (a database
made on another computer, a restored copy, or a backup from elsewhere).

The person types the recovery key printed at set-up; a key that is mistyped or belongs to another
database is refused with a plain sentence and the dialog stays open for another try. Nothing is opened
until the key is right.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.errors import SuperbillError
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
