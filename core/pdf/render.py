"""Write superbills to one PDF: a page break between patients, each with its own "Page x of y".

Each superbill is laid out (``core.pdf.sections``) and cut into pages (``core.pdf.pages``) before
anything is drawn, so page numbers are known up front, and the pages go straight onto a ReportLab
canvas: no platypus flowables, frames or page templates. Output is byte-for-byte the same for the same
superbills (ReportLab invariant mode, no clock: the date issued is part of the data), so a reprint can
be compared with the first print.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.pdfgen.canvas import Canvas

from core.dates import shown_date
from core.pdf.pages import draw_page, paginate
from core.pdf.pen import Pen
from core.pdf.sections import sheet
from core.pdf.theme import BODY_SIZE, FONT, PAGE_HEIGHT, PAGE_WIDTH, register_font
from core.superbill.model import Superbill


def render_superbills(superbills: Sequence[Superbill], out: Path | BinaryIO) -> int:
    """Render ``superbills`` in the order given into ``out`` (a path or a binary file); returns pages.

    Raises ``ValueError`` for an empty sequence: callers say "nothing to print" before coming here.
    """
    if not superbills:
        raise ValueError("render_superbills needs at least one superbill")
    register_font(FONT)  # the canvas's initial font
    title = (
        f"Superbill {superbills[0].document_number}"
        if len(superbills) == 1
        else f"Superbills {shown_date(superbills[0].date_of_service)} ({len(superbills)} patients)"
    )
    canvas = Canvas(
        str(out) if isinstance(out, Path) else out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,  # fixed dates and document id: same data, same bytes
        pageCompression=1,
        initialFontName=FONT,  # otherwise every page names a non-embedded Helvetica
        initialFontSize=BODY_SIZE,
    )
    canvas.setTitle(title)
    canvas.setAuthor("Superbill Desk")
    canvas.setCreator("Superbill Desk")
    canvas.setProducer("Superbill Desk (ReportLab)")
    canvas.setSubject("Superbill")
    count = 0
    codes: dict[tuple[Any, ...], tuple[str, int]] = {}  # strings already encoded in this document
    for superbill in superbills:
        laid_out = sheet(superbill)
        pages = paginate(laid_out)
        for number, page in enumerate(pages, start=1):
            pen = Pen()
            draw_page(pen, laid_out, page, number, len(pages))
            pen.paint(canvas, codes)
            canvas.showPage()
        count += len(pages)
    canvas.save()
    return count
