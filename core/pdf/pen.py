"""One page's drawing, collected first and then written to a ReportLab canvas in two passes.

Fills and rules go first, then every piece of text in one PDF text object (fewer operators than one text
object per string, and text is never hidden under a fill). Text is kept in the order it was drawn, which
is the order a PDF reader extracts it in, so it is drawn in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.rl_accel import fp_str

from core.pdf.text import Text
from core.pdf.theme import register_font


@dataclass
class Pen:
    """What one page shows: shapes and text, in page coordinates (points, origin bottom left)."""

    #: ("fill", colour, x, y, width, height) or ("line", colour, width, x0, y0, x1, y1, cap)
    shapes: list[tuple[Any, ...]] = field(default_factory=list)
    #: (x, baseline y, size, colour, pieces)
    texts: list[tuple[float, float, float, Any, tuple[tuple[str, str], ...]]] = field(default_factory=list)

    def fill(self, color: Any, x: float, y: float, width: float, height: float) -> None:
        """A filled rectangle without outline; ``y`` is its bottom."""
        self.shapes.append(("fill", color, x, y, width, height))

    def line(
        self, color: Any, width: float, x0: float, y0: float, x1: float, y1: float, *, round_caps: bool = True
    ) -> None:
        """A straight rule, with round caps (as ReportLab's tables draw them) or square-cut ends."""
        self.shapes.append(("line", color, width, x0, y0, x1, y1, 1 if round_caps else 0))

    def text(self, text: Text, x: float, top: float) -> None:
        """``text`` with the top of its box at ``top`` and its box's left edge at ``x``."""
        style = text.style
        baseline = top - style.size  # ReportLab puts the first baseline one font size below the top
        for line in text.lines:
            left = x + text.width - line.width if style.right else x
            self.texts.append((left, baseline, style.size, style.color, line.pieces))
            baseline -= style.leading

    def string(self, x: float, baseline: float, size: float, color: Any, font: str, text: str) -> None:
        """One string in one font, its start at ``x``."""
        self.texts.append((x, baseline, size, color, ((font, text),)))

    def paint(self, canvas: Any, codes: dict[tuple[Any, ...], tuple[str, int]]) -> None:
        """Write the page to ``canvas`` (ReportLab ``Canvas``); the page is not ended here.

        ``codes`` remembers, for one document, the PDF operators ReportLab wrote for a string in a font
        (the glyph codes of the embedded subset and the subset it ended in), and those of a rule, a
        fill or a text position: a day's superbills repeat most strings at the same places, and
        formatting them again is most of the time spent writing a page.
        """
        code = canvas._code  # the operators are the ones ReportLab's own calls would append
        key: tuple[Any, ...]
        canvas.saveState()
        canvas.setLineJoin(1)
        fill_color = stroke_color = line_width = line_cap = None
        for shape in self.shapes:
            if shape[0] == "fill":
                _, color, x, y, width, height = shape
                if color is not fill_color:
                    canvas.setFillColor(color)
                    fill_color = color
                key = ("re", x, y, width, height)
                if (op := codes.get(key)) is None:
                    op = codes[key] = (f"n {fp_str(x, y, width, height)} re f*", 0)  # Canvas.rect, fill only
                code.append(op[0])
            else:
                _, color, width, x0, y0, x1, y1, cap = shape
                if cap != line_cap:
                    canvas.setLineCap(cap)
                    line_cap = cap
                if color is not stroke_color:
                    canvas.setStrokeColor(color)
                    stroke_color = color
                if width != line_width:
                    canvas.setLineWidth(width)
                    line_width = width
                key = ("l", x0, y0, x1, y1)
                if (op := codes.get(key)) is None:
                    op = codes[key] = (f"n {fp_str(x0, y0)} m {fp_str(x1, y1)} l S", 0)  # Canvas.line
                code.append(op[0])
        canvas.restoreState()
        if not self.texts:
            return
        out = canvas.beginText()
        font = size = color = None
        for index, (x, y, text_size, text_color, pieces) in enumerate(self.texts):
            if index:  # each string a text object of its own (font and colour carry over), so a PDF
                out._code.append("ET BT")  # reader sees separate strings, as ReportLab's tables wrote them
            key = ("Tm", x, y)
            if (op := codes.get(key)) is None:
                op = codes[key] = (f"1 0 0 1 {fp_str(x, y)} Tm", 0)  # TextObject.setTextOrigin
            out._code.append(op[0])
            if text_color is not color:
                out.setFillColor(text_color)
                color = text_color
            for piece_font, piece in pieces:
                if piece_font != font or text_size != size:
                    register_font(piece_font)
                    out.setFont(piece_font, text_size)
                    font, size = piece_font, text_size
                # ReportLab's own encoding (TrueType subsets), replayed from the state it started in
                key = (piece_font, text_size, piece, out._curSubset)
                code = codes.get(key)
                if code is None:
                    code = codes[key] = (out._formatText(piece), out._curSubset)
                out._code.append(code[0])
                out._curSubset = code[1]
        canvas.drawText(out)
