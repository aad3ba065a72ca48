"""The one seam for every modal question, message and file chooser the window asks.

Everything that would block on ``exec()`` goes through ``dialogs()``; tests install a scripted
replacement with ``set_dialogs`` so no test ever waits on a modal window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

if TYPE_CHECKING:  # printing modules load only when something is printed (faster start)
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter


class Dialogs:
    """The real, modal implementation (Qt message boxes, file dialogs and the print dialog)."""

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the user something that went well or needs no decision."""
        QMessageBox.information(parent, title, text)

    def problem(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        """One calm message about something that did not work, and what to do."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def ask(self, parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
        """A yes/no question with buttons named for what they do; ``True`` for ``yes``."""
        return self.choose(parent, title, text, [yes, no]) == 0

    def choose(self, parent: QWidget | None, title: str, text: str, options: list[str]) -> int | None:
        """Pick one of ``options`` (button texts); ``None`` when the window is closed instead."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        buttons = [box.addButton(option, QMessageBox.ButtonRole.ActionRole) for option in options]
        box.setDefaultButton(buttons[0])
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else None

    def ask_text(self, parent: QWidget | None, title: str, text: str) -> str | None:
        """A short typed answer (a reason); ``None`` when the user cancels."""
        answer, ok = QInputDialog.getText(parent, title, text)
        return answer if ok else None

    def save_file(self, parent: QWidget | None, title: str, suggested: Path, pattern: str) -> Path | None:
        """Where to write a file; ``None`` when the user cancels."""
        name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), pattern)
        return Path(name) if name else None

    def open_file(self, parent: QWidget | None, title: str, folder: Path, pattern: str) -> Path | None:
        """Which file to read; ``None`` when the user cancels."""
        name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), pattern)
        return Path(name) if name else None

    def print_pdf(self, parent: QWidget | None, document: QPdfDocument) -> bool:
        """Ask for a printer and print every page of ``document``; ``False`` when the user cancels."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFromTo(1, document.pageCount())
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        print_pages(printer, document)
        return True


def print_pages(printer: QPrinter, document: QPdfDocument) -> int:
    """Draw each page of ``document`` on ``printer`` at the printer's resolution; returns pages printed."""
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(page)
            scale = min(target.width() / size.width(), target.height() / size.height())
            image: QImage = document.render(
                page, QSize(int(size.width() * scale), int(size.height() * scale))
            )
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
    return document.pageCount()


_current: Dialogs = Dialogs()


def dialogs() -> Dialogs:
    """The seam in use (the real dialogs, or a test's replacement)."""
    return _current


def set_dialogs(replacement: Dialogs) -> Dialogs:
    """Install ``replacement`` and return the previous seam (tests restore it afterwards)."""
    global _current
    previous, _current = _current, replacement
    return previous
