"""The real printing path (without its dialog): every page of the PDF reaches the printer."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from gui.dialogs import Dialogs, dialogs, set_dialogs
from gui.printing import print_pages


def two_page_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    for page in ("first page", "second page"):
        canvas.drawString(72, 720, page)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_print_pages_sends_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    assert print_pages(printer, two_page_pdf()) == 2
    assert len(PdfReader(target).pages) == 2


def test_the_seam_can_be_replaced_and_restored() -> None:
    replacement = Dialogs()
    previous = set_dialogs(replacement)
    assert dialogs() is replacement
    set_dialogs(previous)
    assert dialogs() is previous


def _answer_with(qtbot: QtBot, key: object) -> None:
    """Press ``key`` in the question that is about to open (the real, modal message box)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        qtbot.keyClick(box, key)  # type: ignore[arg-type]

    QTimer.singleShot(0, press)


def test_esc_closes_a_question_of_action_buttons_as_none_of_them(qtbot: QtBot) -> None:
    """Issue 15: with only action buttons Qt found no escape button, so Esc did nothing."""
    from PySide6.QtCore import Qt

    _answer_with(qtbot, Qt.Key.Key_Escape)
    assert Dialogs().choose(None, "Already seen on this day", "Open it?", ["Open it", "New visit"]) is None
    _answer_with(qtbot, Qt.Key.Key_Escape)
    assert Dialogs().ask(None, "Lesions without a patient", "Drop them?", "Drop them", "Go back") is False


def test_enter_takes_the_safe_answer_when_yes_would_drop_something(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    _answer_with(qtbot, Qt.Key.Key_Return)
    assert (
        Dialogs().ask(
            None, "Lesions without a patient", "Drop them?", "Drop them", "Go back", default_yes=False
        )
        is False
    )
    _answer_with(qtbot, Qt.Key.Key_Return)
    assert Dialogs().ask(None, "Unfinished encounters", "Open the most recent?", "Open it", "Later") is True
