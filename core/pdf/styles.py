"""How a superbill page looks: fonts, colours, paragraph styles, page geometry and page templates.

Content lives in ``core.pdf.story``; this module only knows shapes. Each superbill in a PDF gets its
own page template whose frame starts below that superbill's header, so the header (practice, document
number, patient) is drawn again on every page of it. ``PagedCanvas`` holds pages back until the end to
write "Page x of y" counted per superbill, so a day's PDF numbers each patient's pages on their own.

The fonts are embedded TrueType files shipped in ``resources/fonts`` (DejaVu Sans Condensed), so a
superbill prints the same on every computer and any name (accents, hyphens, apostrophes) shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

# Page geometry: US Letter, half-inch margins, room at the bottom for the footer line.
PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.5 * inch
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_HEIGHT = 0.35 * inch
HEADER_GAP = 8  # points between the repeated header and the first flowable of a page

# Fonts: family name -> (regular, bold, italic, bold italic) files under resources/fonts.
FONT = "SuperbillSans"
FONT_BOLD = "SuperbillSans-Bold"
FONT_ITALIC = "SuperbillSans-Oblique"
FONT_BOLD_ITALIC = "SuperbillSans-BoldOblique"
_FONT_FILES = {
    FONT: "DejaVuSansCondensed.ttf",
    FONT_BOLD: "DejaVuSansCondensed-Bold.ttf",
    FONT_ITALIC: "DejaVuSansCondensed-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSansCondensed-BoldOblique.ttf",
}

# Colours: dark ink, a light fill for section titles, hairlines, and the biller-warning accent.
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#7a7a7a")
SHADE = colors.HexColor("#e6ebf0")
ZEBRA = colors.HexColor("#f6f7f9")
WARN = colors.HexColor("#b00020")
WARN_FILL = colors.HexColor("#fdecee")

BODY_SIZE = 8.5
SMALL_SIZE = 7.5


@cache
def register_fonts() -> None:
    """Register the embedded fonts with ReportLab once per process (``<b>``/``<i>`` work in text)."""
    package = resources.files("resources.fonts")
    for name, file_name in _FONT_FILES.items():
        data = package.joinpath(file_name).read_bytes()
        pdfmetrics.registerFont(TTFont(name, BytesIO(data)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


@dataclass(frozen=True)
class Styles:
    """The paragraph styles a superbill uses, by role."""

    body: ParagraphStyle
    body_right: ParagraphStyle
    strong: ParagraphStyle
    small: ParagraphStyle
    detail: ParagraphStyle
    why: ParagraphStyle
    label: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    practice_name: ParagraphStyle
    title: ParagraphStyle
    header_field: ParagraphStyle
    warning_title: ParagraphStyle
    warning: ParagraphStyle
    total: ParagraphStyle
    total_strong: ParagraphStyle


@cache
def styles() -> Styles:
    """Build the styles once (fonts registered first)."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=BODY_SIZE,
        leading=BODY_SIZE * 1.22,
        textColor=INK,
        alignment=TA_LEFT,
        wordWrap=None,
    )
    small = ParagraphStyle("small", parent=body, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.25)
    return Styles(
        body=body,
        body_right=ParagraphStyle("body_right", parent=body, alignment=TA_RIGHT),
        strong=ParagraphStyle("strong", parent=body, fontName=FONT_BOLD),
        small=small,
        detail=ParagraphStyle("detail", parent=small, textColor=INK),
        why=ParagraphStyle("why", parent=small, fontName=FONT_ITALIC, textColor=MUTED),
        label=ParagraphStyle(
            "label", parent=small, fontName=FONT_BOLD, fontSize=7, leading=8.5, textColor=INK
        ),
        cell_head=ParagraphStyle("cell_head", parent=small, fontName=FONT_BOLD),
        cell_head_right=ParagraphStyle(
            "cell_head_right", parent=small, fontName=FONT_BOLD, alignment=TA_RIGHT
        ),
        practice_name=ParagraphStyle(
            "practice_name", parent=body, fontName=FONT_BOLD, fontSize=13, leading=15.5
        ),
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=19, alignment=TA_RIGHT
        ),
        header_field=ParagraphStyle("header_field", parent=body, alignment=TA_RIGHT),
        warning_title=ParagraphStyle("warning_title", parent=body, fontName=FONT_BOLD, textColor=WARN),
        warning=ParagraphStyle(
            "warning", parent=body, leftIndent=10, bulletIndent=0, bulletFontName=FONT_BOLD, bulletColor=WARN
        ),
        total=ParagraphStyle("total", parent=body, alignment=TA_RIGHT),
        total_strong=ParagraphStyle(
            "total_strong",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=12.5,
            alignment=TA_RIGHT,
        ),
    )


def box_commands(*, title_row: bool = True) -> list[tuple[Any, ...]]:
    """Table style of a boxed section: outer frame, optional shaded title row, comfortable padding."""
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.8, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if title_row:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ]
    return commands


@dataclass(frozen=True)
class PageChrome:
    """What is drawn around the flowing content on every page of one superbill."""

    key: str
    header: Flowable
    footer_text: str


class PagedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
    """A canvas that writes "Page x of y" per superbill once every page is known.

    Pages are kept as canvas states and emitted at ``save``; each page remembers which superbill
    (``_chrome_key``) and footer text it belongs to, set by the page template.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chrome_key = ""
        self._chrome_footer = ""
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[str, int] = {}
        for page in self._held_pages:
            totals[page["_chrome_key"]] = totals.get(page["_chrome_key"], 0) + 1
        seen: dict[str, int] = {}
        for page in self._held_pages:
            self.__dict__.update(page)
            seen[self._chrome_key] = seen.get(self._chrome_key, 0) + 1
            self._draw_footer(seen[self._chrome_key], totals[self._chrome_key])
            super().showPage()
        super().save()

    @property
    def page_total(self) -> int:
        """How many pages the document has (valid after the build)."""
        return len(self._held_pages)

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        y = MARGIN - 0.05 * inch
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 10, PAGE_WIDTH - MARGIN, y + 10)
        self.setFillColor(MUTED)
        self.setFont(FONT, SMALL_SIZE)
        self.drawString(MARGIN, y, self._chrome_footer)
        self.setFillColor(INK)
        self.setFont(FONT_BOLD, SMALL_SIZE + 0.5)
        self.drawRightString(PAGE_WIDTH - MARGIN, y, f"Page {number} of {total}")
        self.restoreState()


class SuperbillDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """A Letter document with one page template per superbill (its header sets the frame's top)."""

    def __init__(self, out: Any, *, title: str) -> None:
        register_fonts()
        super().__init__(
            out,
            pagesize=LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=title,
            author="Superbill Desk",
            creator="Superbill Desk",
            producer="Superbill Desk (ReportLab)",
            subject="Superbill",
            invariant=1,  # fixed dates and document id: same data, same bytes
            pageCompression=1,
            initialFontName=FONT,  # otherwise every page names a non-embedded Helvetica
            initialFontSize=BODY_SIZE,
        )

    def add_superbill_template(self, chrome: PageChrome) -> str:
        """Add the page template for one superbill; returns its id for ``NextPageTemplate``."""
        _, header_height = chrome.header.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
        top = PAGE_HEIGHT - MARGIN - header_height - HEADER_GAP
        bottom = MARGIN + FOOTER_HEIGHT
        frame = Frame(
            MARGIN,
            bottom,
            CONTENT_WIDTH,
            top - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"body-{chrome.key}",
        )

        def draw_chrome(canvas: Canvas, _doc: BaseDocTemplate) -> None:
            chrome.header.drawOn(canvas, MARGIN, PAGE_HEIGHT - MARGIN - header_height)
            canvas._chrome_key = chrome.key
            canvas._chrome_footer = chrome.footer_text

        template_id = f"superbill-{chrome.key}"
        self.addPageTemplates([PageTemplate(id=template_id, frames=[frame], onPage=draw_chrome)])
        return template_id
