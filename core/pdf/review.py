"""Draw the biller's review sheet (``core.review.ReviewSheet``) as a Letter-size PDF for staff.

Plain tables, no layout tricks: a heading that says whom the sheet is for, the day's totals by code and
by payer, the acknowledged warnings of each final encounter (who, when, why), the visits still in draft
and the void ones. Deterministic output for the same sheet (ReportLab invariant mode, no clock).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.dates import shown_date, shown_moment
from core.money import format_cents
from core.pdf.styles import box_commands, styles
from core.review import ReviewedEncounter, ReviewNote, ReviewSheet
from core.text import counted

#: the text width of a Letter page with 0.6 inch margins
_WIDTH = LETTER[0] - 1.2 * inch


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), getattr(styles(), style))


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], numeric: Sequence[int] = ()) -> Table:
    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=1)
    commands = [*box_commands(), ("INNERGRID", (0, 1), (-1, -1), 0.25, "#bbbbbb")]
    table.setStyle(TableStyle(commands))
    return table


def _section(title: str, flowables: Sequence[Flowable]) -> list[Flowable]:
    return [Spacer(1, 10), _p(title, "strong"), Spacer(1, 4), *flowables]


def _when(note: ReviewNote) -> str:
    if note.at is None:
        return ""
    return shown_moment(note.at)


def _totals(sheet: ReviewSheet) -> list[Flowable]:
    by_code = [
        [
            _p("Code", "cell_head"),
            _p("Service", "cell_head"),
            _p("Units", "cell_head_right"),
            _p("Charges", "cell_head_right"),
        ]
    ]
    by_code += [
        [
            _p(t.cpt),
            _p(t.description, "small"),
            _p(str(t.units), "body_right"),
            _p(format_cents(t.charge_cents), "body_right"),
        ]
        for t in sheet.by_code
    ]
    by_code.append([_p("Total", "strong"), "", "", _p(format_cents(sheet.charge_cents), "total_strong")])
    by_payer = [
        [
            _p("Payer", "cell_head"),
            _p("Visits", "cell_head_right"),
            _p("Charges", "cell_head_right"),
            _p("Paid at the desk", "cell_head_right"),
        ]
    ]
    by_payer += [
        [
            _p(t.payer),
            _p(str(t.encounters), "body_right"),
            _p(format_cents(t.charge_cents), "body_right"),
            _p(format_cents(t.paid_cents), "body_right"),
        ]
        for t in sheet.by_payer
    ]
    return [
        *_section(
            "Billed on this day, by code", [_table(by_code, [0.8 * inch, 3.9 * inch, 0.8 * inch, 1.3 * inch])]
        ),
        *_section("By payer", [_table(by_payer, [3.3 * inch, 0.8 * inch, 1.3 * inch, 1.4 * inch])]),
    ]


def _encounter_heading(e: ReviewedEncounter) -> Paragraph:
    document = f"{e.document_number} · " if e.document_number else ""
    codes = ", ".join(e.codes) if e.codes else "nothing to bill"
    if e.status == "draft" and e.codes:
        codes = f"would bill {codes}"
    return _p(
        f"{document}{e.patient} (chart {e.chart_number}) · {e.payer} · {e.status} · {codes} · "
        f"{format_cents(e.charge_cents)}",
        "cell_head",
    )


def _findings(sheet: ReviewSheet) -> list[Flowable]:
    if not any(e.notes for e in sheet.billed):
        return _section(
            "What the checks found", [_p("Nothing: no warning or note on a final visit of this day.")]
        )
    flowables: list[Flowable] = []
    for encounter in sheet.billed:
        if not encounter.notes:
            continue
        rows: list[list[Any]] = [[_encounter_heading(encounter), "", ""]]
        for note in encounter.notes:
            if note.severity == "warning":
                who = f"Acknowledged by {note.who}, {_when(note)}"
                if note.reason:
                    who += f". Why: {note.reason}"
                rows.append(
                    [
                        _p("Warning", "warning_title"),
                        _p(f"{note.text} [{note.rule}]", "small"),
                        _p(who, "small"),
                    ]
                )
            else:
                rows.append([_p("Note", "small"), _p(f"{note.text} [{note.rule}]", "small"), ""])
        table = Table(rows, colWidths=[0.8 * inch, 3.9 * inch, 2.1 * inch])
        table.setStyle(TableStyle([*box_commands(), ("SPAN", (0, 0), (-1, 0))]))
        flowables += [KeepTogether([table]), Spacer(1, 6)]
    return _section("What the checks found on the final visits (acknowledged at “Save as final”)", flowables)


def _open(title: str, encounters: Sequence[ReviewedEncounter], empty: str) -> list[Flowable]:
    if not encounters:
        return _section(title, [_p(empty)])
    rows: list[list[Any]] = [[_p("Visit", "cell_head"), _p("What is open", "cell_head")]]
    rows += [[_encounter_heading(e), _p(" ".join(e.open_points), "small")] for e in encounters]
    return _section(title, [_table(rows, [3.6 * inch, 3.2 * inch])])


def review_story(sheet: ReviewSheet) -> list[Flowable]:
    """The sheet's flowables, top to bottom."""
    heading = [
        _p(sheet.practice, "practice_name"),
        _p(f"Biller's review sheet · {sheet.day:%A} {shown_date(sheet.day)}", "strong"),
        _p(
            "For staff only: not for the patient or the insurer. "
            f"Printed {shown_date(sheet.issued)}. {counted(len(sheet.billed), 'final visit')}, "
            f"{counted(len(sheet.drafts), 'draft')}, {len(sheet.void)} void; "
            f"{counted(sheet.acknowledged_warnings, 'acknowledged warning')}; "
            f"charges {format_cents(sheet.charge_cents)}.",
            "small",
        ),
    ]
    return [
        *heading,
        *_totals(sheet),
        *_findings(sheet),
        *_open(
            "Visits still in draft (on no superbill yet)",
            sheet.drafts,
            "None: every visit of this day is saved as final.",
        ),
        *_open("Void visits", sheet.void, "None."),
    ]


def render_review(sheet: ReviewSheet, out: Path | BinaryIO) -> None:
    """Write the review sheet as a PDF to ``out`` (a path or a binary file)."""
    target = str(out) if isinstance(out, Path) else out
    doc = SimpleDocTemplate(
        target,
        pagesize=LETTER,
        leftMargin=0.6 * inch,
        rightMargin=0.6 * inch,
        topMargin=0.6 * inch,
        bottomMargin=0.6 * inch,
        title=f"Review sheet {shown_date(sheet.day)}",
        author=sheet.practice,
        invariant=1,
    )
    doc.build(review_story(sheet))
