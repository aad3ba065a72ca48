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
