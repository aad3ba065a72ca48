"""Paragraph styles for the PDFs still built with ReportLab's platypus (the biller's review sheet).

The superbill itself is drawn straight on the canvas (``core.pdf.sections``, ``core.pdf.pages``) with the
same fonts, sizes and colours (``core.pdf.theme``, ``core.pdf.looks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from core.pdf.theme import (
    BODY_SIZE,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    INK,
    MUTED,
    RULE,
    SHADE,
    SMALL_SIZE,
    WARN,
    register_fonts,
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
