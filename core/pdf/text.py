"""Text wrapped into lines by measuring it, without ReportLab's paragraph machinery.

A ``Text`` is one paragraph: runs of plain text (a run may be bold), a ``TextStyle``, and the width it
wraps in. It breaks as ReportLab's ``Paragraph`` does for the superbill's left- and right-aligned text:
whitespace collapses to one space, words go on a line while they fit (a line may run over by 5 % of its
spaces' width, ReportLab's space shrinkage), and a word wider than the whole box is cut between
characters, so no text runs past its box. Widths come from the embedded fonts' metrics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from reportlab.pdfbase import pdfmetrics

from core.pdf.theme import BOLD_OF, register_font

#: whitespace that separates words (as ReportLab's paragraphs: a no-break space does not)
_WHITESPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f \x85\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]+")
#: ReportLab's default space shrinkage: a line may be this share of its spaces' width too long
_SPACE_SHRINK = 0.05

#: one piece of a line: (font name, text), drawn one after the other
Piece = tuple[str, str]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: styles are constants (core.pdf.looks)
class TextStyle:
    """Font, size, line spacing, colour and alignment of a paragraph."""

    font: str
    size: float
    leading: float
    color: Any  # a ReportLab colour
    right: bool = False  # right-aligned (else left)


@dataclass(frozen=True)
class Line:
    """One wrapped line: its pieces (spaces included) and its width in points."""

    pieces: tuple[Piece, ...]
    width: float


@dataclass(frozen=True)
class Text:
    """A wrapped paragraph ``width`` points wide; ``height`` is its lines times the leading."""

    lines: tuple[Line, ...]
    style: TextStyle
    width: float
    height: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", len(self.lines) * self.style.leading)


@cache
def _font(name: str) -> Any:
    register_font(name)
    return pdfmetrics.getFont(name)


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points."""
    width: float = _font(font).stringWidth(text, size)
    return width


def wrap(text: str, style: TextStyle, width: float) -> Text:
    """Plain ``text`` (no markup) in ``style``, wrapped in ``width`` points."""
    return wrap_runs(((text, False),), style, width)


def labelled(label: str, value: str, style: TextStyle, width: float) -> Text:
    """``label`` in bold, a space, then ``value``: "**NPI** 1234567893"."""
    return wrap_runs(((label, True), (" " + value, False)), style, width)


def wrap_runs(runs: Sequence[tuple[str, bool]], style: TextStyle, width: float) -> Text:
    """Runs of ``(text, bold)`` read as one paragraph, wrapped in ``width`` points.

    The same text in the same box wraps the same way, so results are remembered: a day's superbills
    repeat most of their words (practice, column titles, codes, descriptions, payers).
    """
    return _wrapped(tuple(runs), style, width)


@lru_cache(maxsize=8192)
def _wrapped(runs: tuple[tuple[str, bool], ...], style: TextStyle, width: float) -> Text:
    lines: list[Line] = []
    line: list[Piece] = []
    used = 0.0  # width of the line so far
    spaces = 0.0  # width of the spaces on it
    size = style.size
    for word, space_font in _words(runs, style.font):
        word_width = sum(text_width(t, f, size) for f, t in word)
        space = text_width(" ", space_font, size) if line else 0.0
        if word_width > width:  # wider than the box: fill this line, then whole lines, between characters
            first, *full, word = _cut(word, size, width - used - space if line else width, width)
            if first:
                line += [(space_font, " "), *first] if line else first
                used += space + _width(first, size)
            lines.append(Line(_merged(line), used))
            lines += [Line(_merged(part), _width(part, size)) for part in full]
            line, used, spaces, space = [], 0.0, 0.0, 0.0
            word_width = _width(word, size)
        elif line and used + space + word_width > width + _SPACE_SHRINK * (spaces + space):
            lines.append(Line(_merged(line), used))
            line, used, spaces, space = [], 0.0, 0.0, 0.0
        if line:
            line.append((space_font, " "))
            spaces += space
        line += word
        used += space + word_width
    if line:
        lines.append(Line(_merged(line), used))
    return Text(tuple(lines), style, width)


def _words(runs: Sequence[tuple[str, bool]], font: str) -> list[tuple[list[Piece], str]]:
    """The words of ``runs``, each as its pieces and the font of the space before it."""
    words: list[tuple[list[Piece], str]] = []
    current: list[Piece] = []
    space_font = font
    for text, bold in runs:
        run_font = BOLD_OF[font] if bold else font
        parts = _WHITESPACE.split(text)
        for index, part in enumerate(parts):
            if index:  # whitespace before this part ends the word before it
                if current:
                    words.append((current, space_font))
                    current = []
                space_font = run_font
            if part:
                current.append((run_font, part))
    if current:
        words.append((current, space_font))
    return words


def _width(pieces: Sequence[Piece], size: float) -> float:
    return sum(text_width(text, font, size) for font, text in pieces)


def _cut(word: list[Piece], size: float, room: float, width: float) -> list[list[Piece]]:
    """``word`` cut between characters: a first part at most ``room`` wide (may be empty), then parts at
    most ``width`` wide (at least one character each); the last part is what is left."""
    parts: list[list[Piece]] = [[]]
    used, limit = 0.0, room
    for font, text in word:
        start = 0
        for index, char in enumerate(text):
            char_width = text_width(char, font, size)
            if used + char_width > limit and (used > 0 or len(parts) == 1):
                if index > start:
                    parts[-1].append((font, text[start:index]))
                parts.append([])
                start, used, limit = index, 0.0, width
            used += char_width
        if start < len(text):
            parts[-1].append((font, text[start:]))
    if len(parts) == 1:
        parts.insert(0, [])
    return parts


def _merged(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Neighbouring pieces in the same font joined into one."""
    merged: list[Piece] = []
    for font, text in pieces:
        if merged and merged[-1][0] == font:
            merged[-1] = (font, merged[-1][1] + text)
        else:
            merged.append((font, text))
    return tuple(merged)
