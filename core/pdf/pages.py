"""A laid-out superbill cut into pages, as ReportLab's frames did it, and each page drawn with a ``Pen``.

The header is drawn at the top of every page of a superbill and its body flows below it: a box that does
not fit in what is left of a page starts the next page; the service-line table breaks between rows where
it may (``Rows.unbreakable``) and starts each page it continues on with its column titles. Every page
ends with the footer: document number, content hash, "not a claim" and "Page x of y" of that superbill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import inch

from core.pdf.grid import Block, Gap
from core.pdf.pen import Pen
from core.pdf.sections import Rows, Sheet
from core.pdf.text import text_width
from core.pdf.theme import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    FOOTER_HEIGHT,
    HEADER_GAP,
    INK,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    SMALL_SIZE,
)

_FUZZ = 1e-6  # ReportLab's tolerance when it checks that a box fits
_BOTTOM = MARGIN + FOOTER_HEIGHT  # the lowest a body box may reach
_FOOTER_Y = MARGIN - 0.05 * inch  # baseline of the footer text


@dataclass
class Page:
    """The boxes of one page's body with the y of their tops."""

    placed: list[tuple[Block, float]] = field(default_factory=list)


def paginate(sheet: Sheet) -> list[Page]:
    """Cut ``sheet``'s body into pages below its header."""
    top = PAGE_HEIGHT - MARGIN - sheet.header.height - HEADER_GAP
    pages = [Page()]
    y = top

    def new_page() -> None:
        nonlocal y
        pages.append(Page())
        y = top

    for item in sheet.body:
        if isinstance(item, Rows):
            rows = list(range(len(item.grid.rows)))
            while rows:
                count = _rows_that_fit(item, rows, y - _BOTTOM)
                if count == len(rows):
                    part = item.grid.part(rows, item.repeat)
                    pages[-1].placed.append((part, y))
                    y -= part.height
                    break
                if count <= item.repeat:  # not even one row after the titles: on the next page
                    if y == top:  # an empty page: break anyway rather than never ending
                        count = item.repeat + 1
                    else:
                        new_page()
                        continue
                part = item.grid.part(rows[:count], item.repeat)
                pages[-1].placed.append((part, y))
                rows = rows[: item.repeat] + rows[count:]
                new_page()
            continue
        if y - item.height < _BOTTOM - _FUZZ and y != top:
            new_page()
        if not isinstance(item, Gap):
            pages[-1].placed.append((item, y))
        y -= item.height
    return pages


def _rows_that_fit(table: Rows, rows: list[int], room: float) -> int:
    """How many of ``rows`` go on the page: all when they fit, else the most that fit and end where
    the table may break (ReportLab's ``Table.split``); 0 when none."""
    heights = table.grid.heights
    if sum(heights[row] for row in rows) <= room + _FUZZ:
        return len(rows)
    used, best = 0.0, 0
    for count, row in enumerate(rows):
        if used + heights[row] > room:
            break
        used += heights[row]
        after = count + 1
        if after == len(rows) or rows[after] not in table.unbreakable:
            best = after
    return best


def draw_page(pen: Pen, sheet: Sheet, page: Page, number: int, total: int) -> None:
    """Header, body boxes and footer of one page."""
    sheet.header.draw(pen, MARGIN, PAGE_HEIGHT - MARGIN)
    for block, top in page.placed:
        block.draw(pen, MARGIN, top)
    pen.line(RULE, 0.5, MARGIN, _FOOTER_Y + 10, PAGE_WIDTH - MARGIN, _FOOTER_Y + 10, round_caps=False)
    pen.string(MARGIN, _FOOTER_Y, SMALL_SIZE, MUTED, FONT, sheet.footer)
    label = f"Page {number} of {total}"
    size = SMALL_SIZE + 0.5
    right = MARGIN + CONTENT_WIDTH
    pen.string(right - text_width(label, FONT_BOLD, size), _FOOTER_Y, size, INK, FONT_BOLD, label)
