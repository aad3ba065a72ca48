"""The one seam for every modal question, message and file chooser the window asks.

Everything that would block on ``exec()`` goes through ``dialogs()``; tests install a scripted
replacement with ``set_dialogs`` so no test ever waits on a modal window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # printing modules load only when something is printed (faster start)
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QWidget

# The Qt dialog classes are imported where they are used: importing one builds its Python enums (a
# message box has 27 standard buttons), and this module is loaded before the window shows.


class Dialogs:
    """The real, modal implementation (Qt message boxes, file dialogs and the print dialog)."""

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the user something that went well or needs no decision."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, title, text)

    def problem(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        """One calm message about something that did not work, and what to do."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def ask(
        self, parent: QWidget | None, title: str, text: str, yes: str, no: str, *, default_yes: bool = True
    ) -> bool:
        """A yes/no question with buttons named for what they do; ``True`` for ``yes``. Esc or the
        window's close button answer ``no``; with ``default_yes`` false, so does Enter (for a ``yes``
        that drops or changes something)."""
        return self.choose(parent, title, text, [yes, no], default=0 if default_yes else 1) == 0

    def choose(
        self, parent: QWidget | None, title: str, text: str, options: list[str], *, default: int = 0
    ) -> int | None:
        """Pick one of ``options`` (button texts; Enter picks ``options[default]``); ``None`` when the
        question is closed with Esc or the window's close button."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        buttons = [box.addButton(option, QMessageBox.ButtonRole.ActionRole) for option in options]
        box.setDefaultButton(buttons[default])
        # every visible button is an action, so Qt finds no escape button and Esc did nothing: a hidden
        # one gives Esc and the close button their meaning, "none of these"
        escape = box.addButton(QMessageBox.StandardButton.Cancel)
        escape.hide()
        box.setEscapeButton(escape)
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else None

    def ask_text(self, parent: QWidget | None, title: str, text: str) -> str | None:
        """A short typed answer (a reason); ``None`` when the user cancels."""
        from PySide6.QtWidgets import QInputDialog

        answer, ok = QInputDialog.getText(parent, title, text)
        return answer if ok else None

    def save_file(self, parent: QWidget | None, title: str, suggested: Path, pattern: str) -> Path | None:
        """Where to write a file; ``None`` when the user cancels."""
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), pattern)
        return Path(name) if name else None

    def open_file(self, parent: QWidget | None, title: str, folder: Path, pattern: str) -> Path | None:
        """Which file to read; ``None`` when the user cancels."""
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), pattern)
        return Path(name) if name else None

    def setup_printer(self, parent: QWidget | None, printer: QPrinter, pages: int) -> bool:
        """The print dialog for ``printer`` (pages 1 to ``pages``); ``False`` when the user cancels.

        Only asks: ``gui.printing`` sets the printer up before (US Letter) and prints after.
        """
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, parent)
        dialog.setMinMax(1, pages)
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def show_recovery_key(self, parent: QWidget | None, text: str, path: Path | None) -> bool:
        """Show a new database's recovery key once (to print or write down); ``True`` when the person
        says they have it."""
        from gui.recovery_key import NewRecoveryKeyDialog

        dialog = NewRecoveryKeyDialog(text, path, parent)
        return bool(dialog.exec() == NewRecoveryKeyDialog.DialogCode.Accepted)


_current: Dialogs = Dialogs()


def dialogs() -> Dialogs:
    """The seam in use (the real dialogs, or a test's replacement)."""
    return _current


def set_dialogs(replacement: Dialogs) -> Dialogs:
    """Install ``replacement`` and return the previous seam (tests restore it afterwards)."""
    global _current
    previous, _current = _current, replacement
    return previous
