"""The superbill's text styles by role (the same fonts, sizes and line spacing as the review sheet's
paragraph styles in ``core.pdf.styles``)."""

from __future__ import annotations

from core.pdf.text import TextStyle
from core.pdf.theme import BODY_SIZE, FONT, FONT_BOLD, FONT_ITALIC, INK, MUTED, SMALL_SIZE

BODY = TextStyle(FONT, BODY_SIZE, BODY_SIZE * 1.22, INK)
BODY_RIGHT = TextStyle(FONT, BODY_SIZE, BODY_SIZE * 1.22, INK, right=True)
STRONG = TextStyle(FONT_BOLD, BODY_SIZE, BODY_SIZE * 1.22, INK)
SMALL = TextStyle(FONT, SMALL_SIZE, SMALL_SIZE * 1.25, INK)
DETAIL = SMALL
WHY = TextStyle(FONT_ITALIC, SMALL_SIZE, SMALL_SIZE * 1.25, MUTED)
LABEL = TextStyle(FONT_BOLD, 7, 8.5, INK)
CELL_HEAD = TextStyle(FONT_BOLD, SMALL_SIZE, SMALL_SIZE * 1.25, INK)
CELL_HEAD_RIGHT = TextStyle(FONT_BOLD, SMALL_SIZE, SMALL_SIZE * 1.25, INK, right=True)
PRACTICE_NAME = TextStyle(FONT_BOLD, 13, 15.5, INK)
TITLE = TextStyle(FONT_BOLD, 16, 19, INK, right=True)
HEADER_FIELD = BODY_RIGHT
TOTAL = BODY_RIGHT
TOTAL_STRONG = TextStyle(FONT_BOLD, 10, 12.5, INK, right=True)
