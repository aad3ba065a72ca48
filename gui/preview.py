"""The superbill preview: the PDF on screen, with Print and Save as PDF.

The dialog is shown without blocking (``show``), so the day sheet stays usable behind it. The PDF is
held in memory; nothing is written until the user saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.dialogs import dialogs
from gui.errors import reporting
from gui.widget_names import named


class PreviewDialog(QDialog):
    """Shows ``pdf`` (bytes); ``on_output`` runs after it was printed or saved (to mark it printed)."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        suggested_name: str,
        parent: QWidget | None = None,
        on_output: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("superbillPreview")
        self.setAccessibleName("Superbill preview")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pdf = pdf
        self._suggested = suggested_name
        self._on_output = on_output

        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("previewPdf")
        self.view.setAccessibleName("Superbill pages")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.pages = QLabel(f"{self.document.pageCount()} page(s)")
        self.pages.setObjectName("previewPageCount")
        self.print_button = self._button("&Print…", "previewPrintButton", "Print the superbill", "Ctrl+P")
        self.save_button = self._button(
            "&Save as PDF…", "previewSaveButton", "Save the superbill as a PDF file", "Ctrl+S"
        )
        self.close_button = self._button("Close", "previewCloseButton", "Close the preview", "Esc")
        self.print_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.pages)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_document)
        self.resize(820, 900)

    def _button(self, text: str, name: str, accessible: str, keys: str) -> QPushButton:
        return named(QPushButton(text), name, accessible, f"{accessible} ({keys})")

    @reporting("print the superbill")
    def print_document(self) -> None:
        """Ask for a printer (through the dialog seam) and print every page."""
        if dialogs().print_pdf(self, self.document) and self._on_output:
            self._on_output()

    @reporting("save the PDF")
    def save_document(self) -> Path | None:
        """Ask where to save, then write the PDF there."""
        target = dialogs().save_file(
            self, "Save the superbill as PDF", Path.home() / self._suggested, "PDF files (*.pdf)"
        )
        if target is None:
            return None
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(self.pdf)  # a crash mid-write never leaves a half PDF under the real name
        partial.replace(target)
        if self._on_output:
            self._on_output()
        return target

    def closeEvent(self, event: object) -> None:
        self.document.close()
        super().closeEvent(event)
