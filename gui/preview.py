"""The superbill preview (and the biller's review sheet's): the PDF on screen, with Print and Save as PDF.

The dialog is shown without blocking (``show``), so the day sheet stays usable behind it. The PDF is
held in memory; nothing is written until the user saves it. Printing itself is ``gui.printing``'s
(``on_print``); a day printed without some of its visits (still drafts) names them and offers to open
them (``go_to``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.text import counted
from gui.dialogs import dialogs
from gui.errors import reporting
from gui.widget_names import named
from gui.window_state import fit_on_screen, last_folder, remember_folder

#: what the preview shows → the dialog's object name
PREVIEW_NAMES = {"superbill": "superbillPreview", "review sheet": "reviewSheetPreview"}


class PreviewDialog(QDialog):
    """Shows ``pdf`` (bytes); *Print…* calls ``on_print``; ``on_saved(path)`` runs after a save.

    ``left_out`` lists the visits (encounter id, patient name) that are not in the PDF because they
    are still drafts; *Open the draft* calls ``go_to(encounter_id)`` for each in turn. ``noun`` says
    what the PDF is (``"superbill"``, ``"review sheet"``): the dialog's name (``superbillPreview``,
    ``reviewSheetPreview``) and the buttons' words follow it.
    """

    def __init__(
        self,
        pdf: bytes,
        title: str,
        suggested_name: str,
        parent: QWidget | None = None,
        *,
        on_print: Callable[[], None] | None = None,
        on_saved: Callable[[Path], None] | None = None,
        left_out: list[tuple[int, str]] | None = None,
        go_to: Callable[[int], None] | None = None,
        noun: str = "superbill",
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self.setObjectName(PREVIEW_NAMES.get(noun, "superbillPreview"))
        self.setAccessibleName(f"{noun.capitalize()} preview")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pdf = pdf
        self._suggested = suggested_name
        self._on_print = on_print
        self._on_saved = on_saved
        self._left_out = list(left_out or [])
        self._go_to = go_to

        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("previewPdf")
        self.view.setAccessibleName(f"{noun.capitalize()} pages")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.pages = QLabel(counted(self.document.pageCount(), "page"))
        self.pages.setObjectName("previewPageCount")
        self.print_button = self._button("&Print…", "previewPrintButton", f"Print the {noun}", "Ctrl+P")
        self.save_button = self._button(
            "&Save as PDF…", "previewSaveButton", f"Save the {noun} as a PDF file", "Ctrl+S"
        )
        self.close_button = self._button("Close", "previewCloseButton", "Close the preview", "Esc")
        self.print_button.setDefault(True)

        self.left_out_label = QLabel()
        self.left_out_label.setObjectName("previewLeftOut")
        self.left_out_label.setWordWrap(True)
        self.go_to_draft_button = self._button(
            "Open the draft", "previewGoToDraftButton", "Open a visit left out because it is a draft", ""
        )
        self.go_to_draft_button.clicked.connect(self.go_to_next_draft)
        left_out_row = QHBoxLayout()
        left_out_row.addWidget(self.left_out_label, 1)
        left_out_row.addWidget(self.go_to_draft_button)
        self._show_left_out()

        buttons = QHBoxLayout()
        buttons.addWidget(self.pages)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(left_out_row)
        layout.addLayout(buttons)

        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_document)
        self.resize(820, 900)
        fit_on_screen(self)  # 900 pixels is taller than a 1366×768 screen

    def _button(self, text: str, name: str, accessible: str, keys: str) -> QPushButton:
        return named(QPushButton(text), name, accessible, f"{accessible} ({keys})" if keys else accessible)

    def _show_left_out(self) -> None:
        shown = bool(self._left_out)
        self.left_out_label.setVisible(shown)
        self.go_to_draft_button.setVisible(shown and self._go_to is not None)
        if not shown:
            return
        names = ", ".join(name for _id, name in self._left_out)
        self.left_out_label.setText(
            f"Not in this PDF — still a draft ({len(self._left_out)}): {names}. "
            "Save a visit as final (Ctrl+S), then print the day again."
        )
        self.go_to_draft_button.setText(f"Open the draft of {self._left_out[0][1]}")

    @reporting("open the draft")
    def go_to_next_draft(self) -> None:
        """Open the first visit left out (a draft) in the window; the next click opens the next one."""
        if not self._left_out or self._go_to is None:
            return
        encounter_id, _name = self._left_out[0]
        self._left_out = self._left_out[1:] + self._left_out[:1]  # the next click: the next draft
        self._go_to(encounter_id)
        self.go_to_draft_button.setText(f"Open the draft of {self._left_out[0][1]}")

    @reporting("print the superbill")
    def print_document(self) -> None:
        """Ask for a printer and print every page in the background (``gui.printing``)."""
        if self._on_print:
            self._on_print()

    @reporting("save the PDF")
    def save_document(self) -> Path | None:
        """Ask where to save (starting in the folder of the last PDF saved), then write the PDF there."""
        target = dialogs().save_file(
            self, f"Save the {self.noun} as PDF", last_folder("pdf") / self._suggested, "PDF files (*.pdf)"
        )
        if target is None:
            return None
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        remember_folder("pdf", target)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(self.pdf)  # a crash mid-write never leaves a half PDF under the real name
        partial.replace(target)
        if self._on_saved:
            self._on_saved(target)
        return target

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_on_screen(self)  # with its title bar, known once shown

    def closeEvent(self, event: QCloseEvent) -> None:
        self.document.close()
        super().closeEvent(event)
