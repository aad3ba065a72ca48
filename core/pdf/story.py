"""What a superbill says, as ReportLab flowables built from a ``Superbill`` (looks come from ``styles``).

Every piece of text goes into a ``Paragraph`` (escaped), so long names and addresses wrap inside their
box instead of running over. The service-line table repeats its column titles on each page and keeps
a line together with its lesion detail and "why" sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from core.money import format_cents
from core.pdf.styles import (
    BODY_SIZE,
    CONTENT_WIDTH,
    FONT,
    INK,
    PAGE_HEIGHT,
    RULE,
    SHADE,
    ZEBRA,
    PageChrome,
    box_commands,
    styles,
)
from core.superbill.model import Diagnosis, InsuranceBlock, LesionDetail, ServiceLine, Superbill

#: A line with more lesion entries than this may break between them (else it is kept on one page).
KEEP_WHOLE_DETAIL_ROWS = 24
#: Totals + warnings + signature taller than this (points) follow the table instead of riding with
#: its last line, so they can break across pages; a page's frame is about 600 points high.
CLOSING_INLINE_LIMIT = 320

#: Footer statement: a superbill is not a claim (coding-rules §6.1).
NOT_A_CLAIM = "Statement of services for insurance filing — not a claim form."

# Service-line columns: title, width in points (the description takes what is left), right-aligned?
_LINE_COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("Date", 54, False),
    ("CPT", 38, False),
    ("Modifiers", 50, False),
    ("Description", 0, False),
    ("Dx pointer", 44, False),
    ("Units", 32, True),
    ("Unit charge", 58, True),
    ("Charge", 62, True),
)


def us_date(day: date) -> str:
    """Dates as US forms print them: ``11/27/2026``."""
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def _p(text: str, style_name: str = "body") -> Paragraph:
    return Paragraph(escape(text), getattr(styles(), style_name))


def _labelled(label: str, value: str, style_name: str = "body") -> Paragraph:
    return Paragraph(f"<b>{escape(label)}</b> {escape(value)}", getattr(styles(), style_name))


def chrome_for(superbill: Superbill) -> PageChrome:
    """The header drawn on every page and the footer text of this superbill."""
    return PageChrome(
        key=f"{superbill.encounter_id}-{superbill.document_number}",
        header=header(superbill),
        footer_text=(
            f"Document {superbill.document_number}  ·  Content hash {superbill.content_hash}"
            f"  ·  {NOT_A_CLAIM}"
        ),
    )


def header(superbill: Superbill) -> Table:
    """Practice identity on the left; title, document number, dates and patient on the right."""
    practice = superbill.practice
    ids = [f"Phone {practice.phone}", f"Tax ID {practice.tax_id}"]
    if practice.group_npi:
        ids.append(f"Group NPI {practice.group_npi}")
    left: list[Flowable] = [_p(practice.name, "practice_name")]
    left += [_p(line) for line in practice.address_lines]
    left.append(_p("   ·   ".join(ids)))
    patient = superbill.patient
    right: list[Flowable] = [
        _p("SUPERBILL", "title"),
        Paragraph(f"<b>Document no.</b> {escape(superbill.document_number)}", styles().header_field),
        Paragraph(
            f"<b>Date of service</b> {us_date(superbill.date_of_service)}"
            f"   <b>Issued</b> {us_date(superbill.date_issued)}",
            styles().header_field,
        ),
        Paragraph(
            f"<b>Patient</b> {escape(patient.name)}   <b>DOB</b> {us_date(patient.date_of_birth)}",
            styles().header_field,
        ),
    ]
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.58, CONTENT_WIDTH * 0.42])
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 0), (-1, 0), 1.6, INK),
            ]
        )
    )
    return table


def parties(superbill: Superbill) -> Table:
    """Rendering provider and place of service, patient, insurance: three boxes side by side."""
    provider = superbill.provider
    pos = superbill.place_of_service
    provider_body: list[Flowable] = [
        _p(f"{provider.name}, {provider.credentials}" if provider.credentials else provider.name, "strong"),
        _labelled("NPI", provider.npi),
    ]
    if provider.taxonomy:
        provider_body.append(_labelled("Taxonomy", provider.taxonomy))
    if provider.license_number:
        provider_body.append(_labelled("Licence", provider.license_number))
    provider_body.append(_labelled("Place of service", f"{pos.code} – {pos.name}"))

    patient = superbill.patient
    # sex as the record says it (F, M); nothing when it is not known, never a code the patient must decode
    sex = f"    <b>Sex</b> {escape(patient.sex)}" if patient.sex in ("F", "M") else ""
    patient_body: list[Flowable] = [
        _p(patient.name, "strong"),
        Paragraph(f"<b>DOB</b> {us_date(patient.date_of_birth)}{sex}", styles().body),
    ]
    patient_body += [_p(line) for line in patient.address_lines]
    patient_body.append(_labelled("Chart / account no.", patient.chart_number))

    insurance = superbill.insurance
    if insurance is None:
        insurance_body: list[Flowable] = [_p("No insurance on file (self-pay).")]
    else:
        insurance_body = _coverage(insurance)
    if superbill.secondary_insurance is not None:
        insurance_body += [
            Spacer(1, 3),
            _p("SECOND INSURANCE", "label"),
            *_coverage(superbill.secondary_insurance),
        ]

    gap = 6
    width = (CONTENT_WIDTH - 2 * gap) / 3
    titles = ["Rendering provider", "Patient", "Insurance"]
    bodies = [provider_body, patient_body, insurance_body]
    table = Table(
        [
            [
                _p(titles[0].upper(), "label"),
                "",
                _p(titles[1].upper(), "label"),
                "",
                _p(titles[2].upper(), "label"),
            ],
            [bodies[0], "", bodies[1], "", bodies[2]],
        ],
        colWidths=[width, gap, width, gap, width],
    )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for column in (0, 2, 4):
        commands += [
            ("BOX", (column, 0), (column, 1), 0.8, RULE),
            ("BACKGROUND", (column, 0), (column, 0), SHADE),
            ("LINEBELOW", (column, 0), (column, 0), 0.6, RULE),
        ]
    table.setStyle(_style(commands))
    return table


def _coverage(insurance: InsuranceBlock) -> list[Flowable]:
    """One coverage: the plan and where its claims go, then the member's details."""
    body: list[Flowable] = [_p(insurance.payer_name, "strong")]
    if insurance.payer_id:
        body.append(_labelled("Payer ID", insurance.payer_id))
    if insurance.claims_address_lines:
        body.append(_p("Claims: " + ", ".join(insurance.claims_address_lines), "small"))
    return [
        *body,
        _labelled("Member ID", insurance.member_id),
        _labelled("Group no.", insurance.group_number or "—"),
        _labelled("Subscriber", insurance.subscriber_name),
        _labelled("Relationship to subscriber", insurance.relationship),
    ]


def diagnoses(superbill: Superbill) -> Table:
    """Diagnoses A–L in two columns (A–F down the left, G–L down the right), code then description."""
    found = superbill.diagnoses
    rows_needed = max(1, (len(found) + 1) // 2)
    half = CONTENT_WIDTH / 2
    col_widths = [16, 56, half - 72, 16, 56, half - 72]
    title = Paragraph(
        "<b>DIAGNOSES</b> — ICD-10-CM (ICD Ind. 0); service lines point at these letters",
        styles().label,
    )
    data: list[list[Any]] = [[title, "", "", "", "", ""]]
    for row in range(rows_needed):
        cells: list[Any] = []
        for diagnosis in (_at(found, row), _at(found, row + rows_needed)):
            cells += _diagnosis_cells(diagnosis)
        data.append(cells)
    if not found:
        data[1][0] = _p("No diagnosis recorded.")
    table = Table(data, colWidths=col_widths, repeatRows=1)
    commands = [*box_commands(), ("SPAN", (0, 0), (-1, 0)), ("LINEBEFORE", (3, 1), (3, -1), 0.4, RULE)]
    if not found:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(_style(commands))
    return table


def _at(items: Sequence[Diagnosis], index: int) -> Diagnosis | None:
    return items[index] if index < len(items) else None


def _diagnosis_cells(diagnosis: Diagnosis | None) -> list[Any]:
    if diagnosis is None:
        return ["", "", ""]
    return [_p(diagnosis.letter, "strong"), _p(diagnosis.code, "strong"), _p(diagnosis.description)]


def service_lines(superbill: Superbill, closing: Sequence[Flowable] = ()) -> Table:
    """The billed codes; under each destruction line the lesions behind it and why it was coded so.

    ``closing`` (totals, warnings, signature) goes in one last borderless row that may not be split
    from the last service line, so the totals never stand alone on a page without a line above them,
    and a page that continues the lines starts with the column titles again.
    """
    fixed = sum(width for _, width, _ in _LINE_COLUMNS)
    col_widths = [width or CONTENT_WIDTH - fixed for _, width, _ in _LINE_COLUMNS]
    head = [_p(name, "cell_head_right" if right else "cell_head") for name, _, right in _LINE_COLUMNS]
    data: list[list[Any]] = [head]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
    ]
    last_line_start = 1
    for number, line in enumerate(superbill.lines):
        first = last_line_start = len(data)
        data.append(_line_cells(line))
        # one row per lesion entry and one for the why, so a line with very many entries can still
        # break between rows; a usual line is kept whole on one page
        detail = _line_detail(line)
        for paragraph in detail:
            data.append(["", paragraph, "", "", "", "", "", ""])
            row = len(data) - 1
            commands += [
                ("SPAN", (1, row), (-1, row)),
                ("TOPPADDING", (0, row), (-1, row), 0),
                ("BOTTOMPADDING", (0, row), (-1, row), 4 if paragraph is detail[-1] else 0.5),
            ]
        last = len(data) - 1
        if len(detail) <= KEEP_WHOLE_DETAIL_ROWS:
            commands.append(("NOSPLIT", (0, first), (-1, last)))
        else:
            commands.append(("NOSPLIT", (0, first), (-1, first + 1)))
            last_line_start = max(first, last - 2)  # the closing keeps only the line's end with it
        if number % 2 == 1:
            commands.append(("BACKGROUND", (0, first), (-1, last), ZEBRA))
        thickness = 0.3 if number < len(superbill.lines) - 1 else 0.8
        commands.append(("LINEBELOW", (0, last), (-1, last), thickness, RULE))
    if not superbill.lines:
        data.append(["", _p("No services billed."), "", "", "", "", "", ""])
        commands += [("SPAN", (1, 1), (-1, 1)), ("LINEBELOW", (0, 1), (-1, 1), 0.8, RULE)]
    lines_end = len(data) - 1
    commands += [
        ("LINEBEFORE", (0, 0), (0, lines_end), 0.8, RULE),
        ("LINEAFTER", (-1, 0), (-1, lines_end), 0.8, RULE),
    ]
    if closing:
        data.append([list(closing), "", "", "", "", "", "", ""])
        row = len(data) - 1
        commands += [
            ("SPAN", (0, row), (-1, row)),
            ("LEFTPADDING", (0, row), (-1, row), 0),
            ("RIGHTPADDING", (0, row), (-1, row), 0),
            ("TOPPADDING", (0, row), (-1, row), 6),
            ("BOTTOMPADDING", (0, row), (-1, row), 0),
            ("NOSPLIT", (0, last_line_start), (-1, row)),
        ]
    table = Table(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(_style(commands))
    return table


def _line_cells(line: ServiceLine) -> list[Any]:
    return [
        _p(us_date(line.date_of_service)),
        _p(line.cpt, "strong"),
        _p(" ".join(line.modifiers) or "—"),
        _p(line.description),
        _p(" ".join(line.diagnosis_pointers) or "—", "strong"),
        _p(str(line.units), "body_right"),
        _p(format_cents(line.unit_charge_cents), "body_right"),
        _p(format_cents(line.line_charge_cents), "body_right"),
    ]


def _line_detail(line: ServiceLine) -> list[Flowable]:
    parts: list[Flowable] = [
        Paragraph(f"<b>Lesions:</b> {escape(lesion_text(lesion))}", styles().detail)
        for lesion in line.lesions
    ]
    if line.why:
        parts.append(Paragraph(f"Why this code: {escape(line.why)}", styles().why))
    return parts


def lesion_text(lesion: LesionDetail) -> str:
    """``12 premalignant lesions · face · cryosurgery · 1.2 cm`` (size only when it matters)."""
    noun = "lesion" if lesion.count == 1 else "lesions"
    words = [f"{lesion.count} {lesion.kind} {noun}", ", ".join(lesion.sites), lesion.method]
    if lesion.size:
        words.append(lesion.size)
    return "  ·  ".join(word for word in words if word)


def totals_and_payment(superbill: Superbill) -> Table:
    """Total charges, paid today and balance, right-aligned, next to a note for the patient."""
    totals = superbill.totals
    s = styles()
    figures = Table(
        [
            [Paragraph("Total charges", s.total), Paragraph(format_cents(totals.charges_cents), s.total)],
            [Paragraph("Paid today", s.total), Paragraph(format_cents(totals.paid_cents), s.total)],
            [
                Paragraph("Balance", s.total_strong),
                Paragraph(format_cents(totals.balance_cents), s.total_strong),
            ],
        ],
        colWidths=[110, 84],
    )
    figures.setStyle(
        _style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                ("LINEABOVE", (0, 2), (-1, 2), 0.8, INK),
                ("BACKGROUND", (0, 2), (-1, 2), ZEBRA),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    note: list[Flowable] = [
        _p(
            "Amounts are the practice's full charges in US dollars. Patients filing for out-of-network "
            "reimbursement: send this superbill with your claim form to your insurer.",
            "small",
        )
    ]
    if totals.paid_cents > 0 and totals.balance_cents <= 0:
        note += [Spacer(0, 4), _p("PAID IN FULL — no balance is due from the patient.", "strong")]
    if superbill.note:
        note += [Spacer(0, 4), _p(superbill.note)]
    table = Table([[note, figures]], colWidths=[CONTENT_WIDTH - 200, 200])
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                *_no_padding(),
                ("RIGHTPADDING", (0, 0), (0, 0), 12),
            ]
        )
    )
    return table


def signature(superbill: Superbill) -> Table:
    """Provider signature and date lines, with the provider's printed name underneath."""
    provider = superbill.provider
    name = f"{provider.name}, {provider.credentials}" if provider.credentials else provider.name
    data = [
        ["", "", ""],
        [
            _p(f"Provider signature — {name}", "small"),
            "",
            _p("Date", "small"),
        ],
    ]
    table = Table(
        data,
        colWidths=[CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.08, CONTENT_WIDTH * 0.30],
        rowHeights=[26, None],
    )
    table.setStyle(
        _style(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
                ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
                *_no_padding(),
                ("TOPPADDING", (0, 1), (-1, 1), 2),
            ]
        )
    )
    return table


def body(superbill: Superbill) -> list[Flowable]:
    """Everything below the repeated header, in reading order."""
    flowables: list[Flowable] = [parties(superbill), Spacer(0, 7), diagnoses(superbill), Spacer(0, 7)]
    # what the checks found is for staff (the review sheet, core.review), never on the patient's paper
    closing: list[Flowable] = [totals_and_payment(superbill), Spacer(0, 12), signature(superbill)]
    height = sum(f.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] for f in closing)
    if height <= CLOSING_INLINE_LIMIT:
        flowables.append(service_lines(superbill, closing))
    else:  # a long practice note: let it flow (and break) after the table instead
        flowables += [service_lines(superbill), Spacer(0, 6), *closing[:-1], KeepTogether(closing[-1:])]
    return flowables


def _style(commands: Iterable[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain cells (even empty ones) use the embedded font, never Helvetica."""
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE), *commands])


def _no_padding() -> Iterable[tuple[Any, ...]]:
    return [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
