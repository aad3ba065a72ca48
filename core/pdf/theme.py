"""The superbill's look shared by every drawing: page geometry, embedded fonts, colours and type sizes.

Only the cheap parts of ReportLab are imported here (metrics and colours, no platypus), so the
``print`` command starts quickly. The fonts are embedded TrueType files shipped in ``resources/fonts``
(DejaVu Sans Condensed), so a superbill prints the same on every computer and any name (accents,
hyphens, apostrophes) shows.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Page geometry: US Letter, half-inch margins, room at the bottom for the footer line.
PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.5 * inch
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_HEIGHT = 0.35 * inch
HEADER_GAP = 8  # points between the repeated header and the first thing below it on a page

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
#: the bold face of each face (``<b>`` inside a text of that face)
BOLD_OF = {
    FONT: FONT_BOLD,
    FONT_BOLD: FONT_BOLD,
    FONT_ITALIC: FONT_BOLD_ITALIC,
    FONT_BOLD_ITALIC: FONT_BOLD_ITALIC,
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


_REGISTERING = threading.Lock()  # the window renders on worker threads: a face is parsed once


@cache
def register_font(name: str) -> None:
    """Register one of the embedded fonts with ReportLab, once per process (the superbill registers
    only the faces it draws with: parsing a font file is a good part of a command's start)."""
    with _REGISTERING:
        if name in pdfmetrics.getRegisteredFontNames():
            return
        data = resources.files("resources.fonts").joinpath(_FONT_FILES[name]).read_bytes()
        pdfmetrics.registerFont(TTFont(name, BytesIO(data)))


@cache
def register_fonts() -> None:
    """Register all four faces as one family, so ``<b>``/``<i>`` work in platypus paragraphs."""
    for name in _FONT_FILES:
        register_font(name)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
