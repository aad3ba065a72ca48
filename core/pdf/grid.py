"""A small table for the superbill: columns of fixed widths, rows of cells, fills and rules.

It measures and draws the way ReportLab's ``Table`` does for what a superbill uses (cells padded on
four sides, content stacked from the top, horizontal spans, fills and rules over ranges of cells), so
the pages look as they did when they were built with platypus, at a fraction of the work. A ``Grid``
can also hand out a ``part`` of its rows (the column titles and the rows that fit on one page), with
its fills and rules cut to those rows, as ReportLab does when a table splits across pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.pdf.pen import Pen
from core.pdf.text import Text
from core.pdf.theme import BODY_SIZE

#: the height of a cell with an empty plain string in ReportLab (one line of the table's font)
BLANK_HEIGHT = BODY_SIZE * 1.2


class Block(Protocol):
    """Anything drawn as one box: a width, a height, and a drawing from its top left corner."""

    @property
    def width(self) -> float: ...

    @property
    def height(self) -> float: ...

    def draw(self, pen: Pen, x: float, top: float) -> None: ...


@dataclass(frozen=True)
class Gap:
    """Empty vertical space between blocks (ReportLab's ``Spacer``)."""

    height: float
    width: float = 0.0

    def draw(self, pen: Pen, x: float, top: float) -> None:
        """Nothing to draw."""


@dataclass(frozen=True)
class Pads:
    """Cell padding in points (ReportLab's defaults: 6 left and right, 3 above and below)."""

    top: float = 3
    right: float = 6
    bottom: float = 3
    left: float = 6


@dataclass(frozen=True)
class Cell:
    """What one cell holds, stacked from the top, ``span`` columns wide.

    ``right`` puts narrower blocks at the cell's right edge; ``bottom`` puts the content at the bottom of
    the row; ``blank`` is ReportLab's empty string: one line of the table's font high. A spanning cell
    is at least that high too (ReportLab measures the empty cells under a span).
    """

    content: tuple[Text | Block, ...] = ()
    pads: Pads = Pads()
    span: int = 1
    right: bool = False
    blank: bool = False
    bottom: bool = False  # content at the bottom of the row (ReportLab's default), else at the top

    @property
    def content_height(self) -> float:
        if self.blank:
            return BLANK_HEIGHT
        height = sum(item.height for item in self.content)
        return max(height, BLANK_HEIGHT) if self.span > 1 else height


@dataclass(frozen=True)
class Row:
    """The cells of one row, left to right (a spanning cell stands for the columns it covers);
    ``height`` fixes the row's height (else the tallest cell sets it)."""

    cells: tuple[Cell, ...]
    height: float | None = None

    @property
    def measured(self) -> float:
        if self.height is not None:
            return self.height
        return max((c.content_height + c.pads.top + c.pads.bottom for c in self.cells), default=0.0)


#: a rule: (side, first column, last column, first row, last row, width, colour); side is one of
#: "below", "above", "before", "after", "box"; negative indexes count from the end
Rule = tuple[str, int, int, int, int, float, Any]
#: a fill: (first column, last column, first row, last row, colour)
Fill = tuple[int, int, int, int, Any]


@dataclass(frozen=True)
class Grid:
    """A table of ``rows`` in columns ``widths`` wide, with ``fills`` under and ``rules`` over it."""

    widths: tuple[float, ...]
    rows: tuple[Row, ...]
    fills: tuple[Fill, ...] = ()
    rules: tuple[Rule, ...] = ()
    heights: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "heights", tuple(row.measured for row in self.rows))

    @property
    def width(self) -> float:
        return sum(self.widths)

    @property
    def height(self) -> float:
        return sum(self.heights)

    def part(self, indexes: Sequence[int], repeat: int = 0) -> Grid:
        """The rows at ``indexes`` (ascending) as a grid of their own, fills and rules cut to them.

        When the first ``repeat`` of them are repeated titles over rows that continue from an earlier
        page, the rule below the row before the continuation is drawn below the titles, as ReportLab
        does when it splits a table.
        """
        count = len(self.rows)
        resumed = None
        if len(indexes) > repeat > 0 and indexes[repeat] - 1 >= repeat:
            resumed = indexes[repeat] - 1

        def cut(first: int, last: int) -> tuple[int, int] | None:
            first, last = first % count, last % count
            kept = [n for n, index in enumerate(indexes) if first <= index <= last]
            return (kept[0], kept[-1]) if kept else None

        fills = []
        for c0, c1, r0, r1, color in self.fills:
            if (rows := cut(r0, r1)) is not None:
                fills.append((c0, c1, *rows, color))
        rules = []
        for side, c0, c1, r0, r1, width, color in self.rules:
            if side == "below" and resumed is not None and r0 % count == r1 % count == resumed:
                rules.append((side, c0, c1, repeat - 1, repeat - 1, width, color))
            elif (rows := cut(r0, r1)) is not None:
                rules.append((side, c0, c1, *rows, width, color))
        return Grid(self.widths, tuple(self.rows[i] for i in indexes), tuple(fills), tuple(rules))

    def draw(self, pen: Pen, x: float, top: float) -> None:
        """Fills, then the cells row by row, then the rules (ReportLab's order)."""
        columns = [x]
        for width in self.widths:
            columns.append(columns[-1] + width)
        tops = [top]
        for height in self.heights:
            tops.append(tops[-1] - height)
        ncols, nrows = len(self.widths), len(self.rows)
        for c0, c1, r0, r1, color in self.fills:
            c0, c1, r0, r1 = c0 % ncols, c1 % ncols, r0 % nrows, r1 % nrows
            pen.fill(color, columns[c0], tops[r1 + 1], columns[c1 + 1] - columns[c0], tops[r0] - tops[r1 + 1])
        for row, row_top, height in zip(self.rows, tops, self.heights, strict=False):
            column = 0
            for cell in row.cells:
                left, right = columns[column], columns[column + cell.span]
                y = row_top - cell.pads.top
                if cell.bottom:
                    y = row_top - height + cell.pads.bottom + cell.content_height
                for item in cell.content:
                    shift = 0.0
                    if cell.right:
                        shift = max(0.0, right - cell.pads.right - left - cell.pads.left - item.width)
                    if isinstance(item, Text):
                        pen.text(item, left + cell.pads.left + shift, y)
                    else:
                        item.draw(pen, left + cell.pads.left + shift, y)
                    y -= item.height
                column += cell.span
        for side, c0, c1, r0, r1, width, color in self.rules:
            c0, c1, r0, r1 = c0 % ncols, c1 % ncols, r0 % nrows, r1 % nrows
            x0, x1, y0, y1 = columns[c0], columns[c1 + 1], tops[r0], tops[r1 + 1]
            if side in ("above", "box"):
                pen.line(color, width, x0, y0, x1, y0)
            if side in ("below", "box"):
                pen.line(color, width, x0, y1, x1, y1)
            if side in ("before", "box"):
                pen.line(color, width, x0, y0, x0, y1)
            if side in ("after", "box"):
                pen.line(color, width, x1, y0, x1, y1)


def inner_width(widths: Sequence[float], column: int, pads: Pads, span: int = 1) -> float:
    """The width left for text in a cell starting at ``column``, ``span`` columns wide."""
    return sum(widths[column : column + span]) - pads.left - pads.right
