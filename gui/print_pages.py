"""Drawing a superbill PDF on a printer, on any thread: ``new_printer`` and ``print_pages``.

``new_printer`` makes a ``QPrinter`` set to US Letter, portrait, full page, no margins (the superbill
has its own). ``print_pages`` rasterises each page with QtPdf at the printer's resolution capped at
``MAX_PRINT_DPI`` and paints it over the printer's sheet in strips, so the main thread is never held
long; Qt supports ``QPainter`` on a ``QPrinter`` outside the GUI thread, so ``gui.printing`` runs it on
a worker thread. *Cancel* is asked before each page (``PrintCancelledError``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

#: pages are rasterised at the printer's resolution, never finer than this (a 1200-dpi printer
#: would otherwise get a 6 MB image per page)
MAX_PRINT_DPI = 300
#: rows of a page image drawn at a time (a multiple of 16: whole JPEG blocks)
STRIP_ROWS = 256


class PrintCancelledError(Exception):
    """Raised on the worker thread when Cancel was pressed; ``pages``: how many still go out.

    That is 0 when nothing was drawn, the job could be aborted or its file was removed; otherwise the
    pages drawn before Cancel (Qt's CUPS engine sends what was drawn when the job is closed).
    """

    def __init__(self, pages: int) -> None:
        super().__init__(f"cancelled after {pages} page(s)")
        self.pages = pages


def new_printer() -> QPrinter:
    """A printer set to US Letter, portrait, full page, no margins (the superbill has its own)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # paint on the whole sheet: the page is not pushed into a corner
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    return printer


def print_pages(
    printer: QPrinter,
    pdf: bytes,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Draw the pages of ``pdf`` on ``printer``; returns how many were drawn. Runs on any thread.

    Each page is rendered with QtPdf at ``min(printer resolution, MAX_PRINT_DPI)`` dots per inch and
    painted over the printer's whole sheet (scaled to fit, centred, when the sheet is not the page's
    size). The printer's page range (``fromPage``/``toPage``, 0 for all) is honoured. ``cancelled`` is
    asked before each page: when it says yes the job is closed and ``PrintCancelledError`` is raised (a
    file being written is removed; a print spooler gets what was drawn if it cannot abort).
    ``progress(pages_done)`` is called after each page.
    """
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()  # its own document: the preview's may be closed while this runs
    document.load(buffer)
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), document.pageCount()) if printer.toPage() else document.pageCount()
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    drawn = 0
    try:
        for page in range(first - 1, last):
            if cancelled():
                raise PrintCancelledError(drawn)
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = on_white(document.render(page, size))
            if drawn == 0:
                if not painter.begin(printer):
                    raise OSError(
                        f"the printer {printer.printerName() or printer.outputFileName()} could not be opened"
                    )
            elif not printer.newPage():
                raise OSError("the printer refused a new page")
            sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
            scale = min(sheet.width() / points.width(), sheet.height() / points.height())
            width, height = points.width() * scale, points.height() * scale
            left, top = (sheet.width() - width) / 2, (sheet.height() - height) / 2
            _draw_in_strips(painter, image, QRectF(left, top, width, height))
            drawn += 1
            progress(drawn)
    except PrintCancelledError:
        if _close_cancelled(printer, painter):
            raise PrintCancelledError(0) from None
        raise
    finally:
        if painter.isActive():
            painter.end()
        document.close()
    return drawn


def on_white(page: QImage) -> QImage:
    """``page`` (QtPdf leaves the paper transparent) on white paper, without an alpha channel.

    Without alpha the printer gets one JPEG per strip and no soft mask; left transparent, the paper
    would come out black once the alpha channel is dropped.
    """
    paper = QImage(page.size(), QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    try:
        painter.drawImage(0, 0, page)
    finally:
        painter.end()
    return paper


def _draw_in_strips(painter: QPainter, image: QImage, target: QRectF) -> None:
    """Draw ``image`` over ``target`` as horizontal strips of ``STRIP_ROWS`` rows.

    Qt's PDF engine compresses each image while ``drawImage`` holds Python's lock, about 0.3 s for a
    whole page; strips keep each hold short, so the window stays responsive while a page is drawn. Each
    strip overlaps the next by one row, so no hairline shows between them.
    """
    scale = target.height() / image.height()
    blank = QImage(image.width(), STRIP_ROWS + 1, image.format())
    blank.fill(Qt.GlobalColor.white)
    for row in range(0, image.height(), STRIP_ROWS):
        rows = min(STRIP_ROWS + 1, image.height() - row)
        strip = image.copy(0, row, image.width(), rows)
        if strip == blank.copy(0, 0, image.width(), rows):
            continue  # white paper: nothing to draw
        painter.drawImage(QRectF(target.x(), target.y() + row * scale, target.width(), rows * scale), strip)


def _close_cancelled(printer: QPrinter, painter: QPainter) -> bool:
    """End a cancelled job; ``True`` when nothing of it goes out (aborted, or its file removed)."""
    from PySide6.QtPrintSupport import QPrinter

    withdrawn = not painter.isActive()  # nothing drawn yet
    if painter.isActive():
        withdrawn = printer.abort()  # Qt's PDF and CUPS engines cannot abort: False
        painter.end()
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        Path(printer.outputFileName()).unlink(missing_ok=True)
        withdrawn = True
    return withdrawn
