"""Write superbills to one PDF: a page break between patients, each with its own "Page x of y".

Output is byte-for-byte the same for the same superbills (ReportLab invariant mode, no clock: the
date issued is part of the data), so a reprint can be compared with the first print.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from core.dates import shown_date
from core.pdf.story import body, chrome_for
from core.pdf.styles import PagedCanvas, SuperbillDocTemplate
from core.superbill.model import Superbill


def render_superbills(superbills: Sequence[Superbill], out: Path | BinaryIO) -> int:
    """Render ``superbills`` in the order given into ``out`` (a path or a binary file); returns pages.

    Raises ``ValueError`` for an empty sequence: callers say "nothing to print" before coming here.
    """
    if not superbills:
        raise ValueError("render_superbills needs at least one superbill")
    title = (
        f"Superbill {superbills[0].document_number}"
        if len(superbills) == 1
        else f"Superbills {shown_date(superbills[0].date_of_service)} ({len(superbills)} patients)"
    )
    target = str(out) if isinstance(out, Path) else out
    doc = SuperbillDocTemplate(target, title=title)
    story: list[Flowable] = []
    for index, superbill in enumerate(superbills):
        template_id = doc.add_superbill_template(chrome_for(superbill))
        if index:
            story += [NextPageTemplate(template_id), PageBreak()]
        story += body(superbill)
    canvases: list[PagedCanvas] = []

    def canvas_maker(*args: object, **kwargs: object) -> PagedCanvas:
        canvases.append(PagedCanvas(*args, **kwargs))
        return canvases[-1]

    doc.build(story, canvasmaker=canvas_maker)
    return canvases[-1].page_total
