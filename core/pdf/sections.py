"""What a superbill says, as measured boxes built from a ``Superbill`` (drawn by ``core.pdf.pages``).

Every piece of text is wrapped inside its box (``core.pdf.text``), so long names and addresses wrap
instead of running over. The service-line table repeats its column titles on each page and keeps a line
together with its lesion detail and "why" sentence. The geometry (column widths, paddings, rules) is
the one the superbill had when it was built from ReportLab flowables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from core.money import format_cents
from core.pdf import looks
from core.pdf.grid import Block, Cell, Fill, Gap, Grid, Pads, Row, Rule, inner_width
from core.pdf.text import Text, TextStyle, labelled, wrap, wrap_runs
from core.pdf.theme import (
    CONTENT_WIDTH,
    FOOTER_HEIGHT,
    HEADER_GAP,
    INK,
    MARGIN,
    PAGE_HEIGHT,
    RULE,
    SHADE,
    ZEBRA,
)
from core.superbill.model import (
    Diagnosis,
    InsuranceBlock,
    LesionDetail,
    ProviderBlock,
    ServiceLine,
    Superbill,
    Totals,
)

#: A line with more lesion entries than this may break between them (else it is kept on one page).
KEEP_WHOLE_DETAIL_ROWS = 24
#: Totals + signature taller than this (points) follow the table instead of riding with its last line,
#: so a long practice note moves on alone; a page's body is about 600 points high.
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
_FIXED = sum(width for _, width, _ in _LINE_COLUMNS)
LINE_WIDTHS = tuple(width or CONTENT_WIDTH - _FIXED for _, width, _ in _LINE_COLUMNS)

_BOXED = Pads(top=2.5, right=4, bottom=3, left=4)  # the padding of boxed sections and table cells
_NONE = Pads(0, 0, 0, 0)


@dataclass(frozen=True)
class Rows:
    """A table that may break across pages between rows, never before a row in ``unbreakable``; the
    first ``repeat`` rows (the column titles) start every page it continues on."""

    grid: Grid
    unbreakable: frozenset[int]
    repeat: int = 1


#: what flows down a superbill's pages, in order
Item = Block | Gap | Rows


@dataclass(frozen=True)
class Sheet:
    """One superbill, laid out: the header of every page, the flowing body and the footer text."""

    header: Grid
    body: tuple[Item, ...]
    footer: str


def us_date(day: date) -> str:
    """Dates as US forms print them: ``11/27/2026``."""
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def sheet(superbill: Superbill) -> Sheet:
    """Everything one superbill shows."""
    top = header(superbill)
    return Sheet(
        header=top,
        body=body(superbill, PAGE_HEIGHT - 2 * MARGIN - top.height - HEADER_GAP - FOOTER_HEIGHT),
        footer=(
            f"Document {superbill.document_number}  ·  Content hash {superbill.content_hash}"
            f"  ·  {NOT_A_CLAIM}"
        ),
    )


def header(superbill: Superbill) -> Grid:
    """Practice identity on the left; title, document number, dates and patient on the right."""
    widths = (CONTENT_WIDTH * 0.58, CONTENT_WIDTH * 0.42)
    left_pads, right_pads = Pads(3, 6, 5, 0), Pads(3, 0, 5, 6)
    lw, rw = inner_width(widths, 0, left_pads), inner_width(widths, 1, right_pads)
    practice = superbill.practice
    ids = [f"Phone {practice.phone}", f"Tax ID {practice.tax_id}"]
    if practice.group_npi:
        ids.append(f"Group NPI {practice.group_npi}")
    left = [
        wrap(practice.name, looks.PRACTICE_NAME, lw),
        *(wrap(line, looks.BODY, lw) for line in practice.address_lines),
        wrap("   ·   ".join(ids), looks.BODY, lw),
    ]
    patient = superbill.patient
    field = looks.HEADER_FIELD
    right = [
        wrap("SUPERBILL", looks.TITLE, rw),
        labelled("Document no.", superbill.document_number, field, rw),
        wrap_runs(
            (
                ("Date of service", True),
                (f" {us_date(superbill.date_of_service)}   ", False),
                ("Issued", True),
                (f" {us_date(superbill.date_issued)}", False),
            ),
            field,
            rw,
        ),
        wrap_runs(
            (
                ("Patient", True),
                (f" {patient.name}   ", False),
                ("DOB", True),
                (f" {us_date(patient.date_of_birth)}", False),
            ),
            field,
            rw,
        ),
    ]
    row = Row((Cell(tuple(left), left_pads), Cell(tuple(right), right_pads)))
    return Grid(widths, (row,), rules=(("below", 0, -1, 0, 0, 1.6, INK),))


def parties(superbill: Superbill) -> Grid:
    """Rendering provider and place of service, patient, insurance: three boxes side by side."""
    gap = 6
    box = (CONTENT_WIDTH - 2 * gap) / 3
    widths = (box, gap, box, gap, box)
    width = inner_width(widths, 0, _BOXED)

    provider = superbill.provider
    pos = superbill.place_of_service
    name = f"{provider.name}, {provider.credentials}" if provider.credentials else provider.name
    provider_body = [wrap(name, looks.STRONG, width), labelled("NPI", provider.npi, looks.BODY, width)]
    if provider.taxonomy:
        provider_body.append(labelled("Taxonomy", provider.taxonomy, looks.BODY, width))
    if provider.license_number:
        provider_body.append(labelled("Licence", provider.license_number, looks.BODY, width))
    provider_body.append(labelled("Place of service", f"{pos.code} – {pos.name}", looks.BODY, width))

    patient = superbill.patient
    # sex as the record says it (F, M); nothing when it is not known, never a code the patient must decode
    born: list[tuple[str, bool]] = [("DOB", True), (f" {us_date(patient.date_of_birth)}", False)]
    if patient.sex in ("F", "M"):
        born += [("    ", False), ("Sex", True), (f" {patient.sex}", False)]
    patient_body = [
        wrap(patient.name, looks.STRONG, width),
        wrap_runs(born, looks.BODY, width),
        *(wrap(line, looks.BODY, width) for line in patient.address_lines),
        labelled("Chart / account no.", patient.chart_number, looks.BODY, width),
    ]

    insurance: list[Text | Block]
    if superbill.insurance is None:
        insurance = [wrap("No insurance on file (self-pay).", looks.BODY, width)]
    else:
        insurance = list(_coverage(superbill.insurance, width))
    if superbill.secondary_insurance is not None:
        insurance += [
            Gap(3),
            wrap("SECOND INSURANCE", looks.LABEL, width),
            *_coverage(superbill.secondary_insurance, width),
        ]

    titles = ("RENDERING PROVIDER", "PATIENT", "INSURANCE")
    blank = Cell(pads=_BOXED, blank=True)
    title_row = Row(
        (
            Cell((wrap(titles[0], looks.LABEL, width),), _BOXED),
            blank,
            Cell((wrap(titles[1], looks.LABEL, width),), _BOXED),
            blank,
            Cell((wrap(titles[2], looks.LABEL, width),), _BOXED),
        )
    )
    body_row = Row(
        (
            Cell(tuple(provider_body), _BOXED),
            blank,
            Cell(tuple(patient_body), _BOXED),
            blank,
            Cell(tuple(insurance), _BOXED),
        )
    )
    fills: list[Fill] = []
    rules: list[Rule] = []
    for column in (0, 2, 4):
        fills.append((column, column, 0, 0, SHADE))
        rules += [("box", column, column, 0, 1, 0.8, RULE), ("below", column, column, 0, 0, 0.6, RULE)]
    return Grid(widths, (title_row, body_row), tuple(fills), tuple(rules))


def _coverage(insurance: InsuranceBlock, width: float) -> list[Text]:
    """One coverage: the plan and where its claims go, then the member's details."""
    body = [wrap(insurance.payer_name, looks.STRONG, width)]
    if insurance.payer_id:
        body.append(labelled("Payer ID", insurance.payer_id, looks.BODY, width))
    if insurance.claims_address_lines:
        body.append(wrap("Claims: " + ", ".join(insurance.claims_address_lines), looks.SMALL, width))
    return [
        *body,
        labelled("Member ID", insurance.member_id, looks.BODY, width),
        labelled("Group no.", insurance.group_number or "—", looks.BODY, width),
        labelled("Subscriber", insurance.subscriber_name, looks.BODY, width),
        labelled("Relationship to subscriber", insurance.relationship, looks.BODY, width),
    ]


def diagnoses(superbill: Superbill) -> Grid:
    """Diagnoses A–L in two columns (A–F down the left, G–L down the right), code then description."""
    return _diagnoses(superbill.diagnoses)


@lru_cache(maxsize=256)  # the boxes below are made once per run for the same content (a day repeats it)
def _diagnoses(found: tuple[Diagnosis, ...]) -> Grid:
    rows_needed = max(1, (len(found) + 1) // 2)
    half = CONTENT_WIDTH / 2
    widths = (16, 56, half - 72, 16, 56, half - 72)
    title = wrap_runs(
        (("DIAGNOSES", True), (" — ICD-10-CM (ICD Ind. 0); service lines point at these letters", False)),
        looks.LABEL,
        inner_width(widths, 0, _BOXED, span=6),
    )
    rows = [Row((Cell((title,), _BOXED, span=6),))]
    if not found:
        text = wrap("No diagnosis recorded.", looks.BODY, inner_width(widths, 0, _BOXED, span=6))
        rows.append(Row((Cell((text,), _BOXED, span=6),)))
    for row in range(rows_needed if found else 0):
        cells: list[Cell] = []
        for diagnosis in (_at(found, row), _at(found, row + rows_needed)):
            cells += _diagnosis_cells(diagnosis, widths)
        rows.append(Row(tuple(cells)))
    return Grid(
        widths,
        tuple(rows),
        fills=((0, -1, 0, 0, SHADE),),
        rules=(
            ("box", 0, -1, 0, -1, 0.8, RULE),
            ("below", 0, -1, 0, 0, 0.6, RULE),
            ("before", 3, 3, 1, -1, 0.4, RULE),
        ),
    )


def _at(items: Sequence[Diagnosis], index: int) -> Diagnosis | None:
    return items[index] if index < len(items) else None


def _diagnosis_cells(diagnosis: Diagnosis | None, widths: Sequence[float]) -> list[Cell]:
    if diagnosis is None:
        return [Cell(pads=_BOXED, blank=True)] * 3
    return [
        Cell((wrap(diagnosis.letter, looks.STRONG, inner_width(widths, 0, _BOXED)),), _BOXED),
        Cell((wrap(diagnosis.code, looks.STRONG, inner_width(widths, 1, _BOXED)),), _BOXED),
        Cell((wrap(diagnosis.description, looks.BODY, inner_width(widths, 2, _BOXED)),), _BOXED),
    ]


def service_lines(superbill: Superbill, closing: Sequence[Text | Block] = ()) -> Rows:
    """The billed codes; under each destruction line the lesions behind it and why it was coded so.

    ``closing`` (totals, signature) goes in one last borderless row that may not be split from the last
    service line, so the totals never stand alone on a page without a line above them, and a page that
    continues the lines starts with the column titles again.
    """
    widths = LINE_WIDTHS
    head = tuple(
        Cell((wrap(name, looks.CELL_HEAD_RIGHT if right else looks.CELL_HEAD, widths[n] - 8),), _BOXED)
        for n, (name, _, right) in enumerate(_LINE_COLUMNS)
    )
    rows = [Row(head)]
    fills: list[Fill] = [(0, -1, 0, 0, SHADE)]
    rules: list[Rule] = [("above", 0, -1, 0, 0, 0.8, RULE), ("below", 0, -1, 0, 0, 0.8, INK)]
    together: list[tuple[int, int]] = []  # row ranges kept on one page
    detail_width = inner_width(widths, 1, _BOXED, span=7)
    last_line_start = 1
    for number, line in enumerate(superbill.lines):
        first = last_line_start = len(rows)
        rows.append(Row(_line_cells(line)))
        # one row per lesion entry and one for the why, so a line with very many entries can still
        # break between rows; a usual line is kept whole on one page
        detail = _line_detail(line, detail_width)
        for index, text in enumerate(detail):
            pads = Pads(0, 4, 4 if index == len(detail) - 1 else 0.5, 4)
            rows.append(Row((Cell(pads=pads, blank=True), Cell((text,), pads, span=7))))
        last = len(rows) - 1
        if len(detail) <= KEEP_WHOLE_DETAIL_ROWS:
            together.append((first, last))
        else:
            together.append((first, first + 1))
            last_line_start = max(first, last - 2)  # the closing keeps only the line's end with it
        if number % 2 == 1:
            fills.append((0, -1, first, last, ZEBRA))
        thickness = 0.3 if number < len(superbill.lines) - 1 else 0.8
        rules.append(("below", 0, -1, last, last, thickness, RULE))
    if not superbill.lines:
        text = wrap("No services billed.", looks.BODY, detail_width)
        rows.append(Row((Cell(pads=_BOXED, blank=True), Cell((text,), _BOXED, span=7))))
        rules.append(("below", 0, -1, 1, 1, 0.8, RULE))
    lines_end = len(rows) - 1
    rules += [("before", 0, 0, 0, lines_end, 0.8, RULE), ("after", -1, -1, 0, lines_end, 0.8, RULE)]
    if closing:
        rows.append(Row((Cell(tuple(closing), Pads(6, 0, 0, 0), span=8),)))
        together.append((last_line_start, len(rows) - 1))
    unbreakable = frozenset(row for first, last in together for row in range(first + 1, last + 1))
    return Rows(Grid(widths, tuple(rows), tuple(fills), tuple(rules)), unbreakable)


@lru_cache(maxsize=1024)
def _line_cells(line: ServiceLine) -> tuple[Cell, ...]:
    texts: list[tuple[str, TextStyle]] = [
        (us_date(line.date_of_service), looks.BODY),
        (line.cpt, looks.STRONG),
        (" ".join(line.modifiers) or "—", looks.BODY),
        (line.description, looks.BODY),
        (" ".join(line.diagnosis_pointers) or "—", looks.STRONG),
        (str(line.units), looks.BODY_RIGHT),
        (format_cents(line.unit_charge_cents), looks.BODY_RIGHT),
        (format_cents(line.line_charge_cents), looks.BODY_RIGHT),
    ]
    return tuple(
        Cell((wrap(text, style, LINE_WIDTHS[n] - 8),), _BOXED) for n, (text, style) in enumerate(texts)
    )


@lru_cache(maxsize=1024)
def _line_detail(line: ServiceLine, width: float) -> tuple[Text, ...]:
    parts = [labelled("Lesions:", lesion_text(lesion), looks.DETAIL, width) for lesion in line.lesions]
    if line.why:
        parts.append(wrap(f"Why this code: {line.why}", looks.WHY, width))
    return tuple(parts)


def lesion_text(lesion: LesionDetail) -> str:
    """``12 premalignant lesions · face · cryosurgery · 1.2 cm`` (size only when it matters)."""
    noun = "lesion" if lesion.count == 1 else "lesions"
    words = [f"{lesion.count} {lesion.kind} {noun}", ", ".join(lesion.sites), lesion.method]
    if lesion.size:
        words.append(lesion.size)
    return "  ·  ".join(word for word in words if word)


def totals_and_payment(superbill: Superbill, *, with_note: bool = True) -> Grid:
    """Total charges, paid today and balance, right-aligned, next to a note for the patient (and the
    practice's note, unless ``with_note`` is false)."""
    return _totals(superbill.totals, superbill.note if with_note else "")


@lru_cache(maxsize=256)
def _totals(totals: Totals, practice_note: str) -> Grid:
    figures_widths = (110.0, 84.0)
    pads = Pads(2.5, 6, 3, 6)

    def figure(label: str, cents: int, style: TextStyle) -> Row:
        return Row(
            (
                Cell((wrap(label, style, figures_widths[0] - 12),), pads),
                Cell((wrap(format_cents(cents), style, figures_widths[1] - 12),), pads),
            )
        )

    figures = Grid(
        figures_widths,
        (
            figure("Total charges", totals.charges_cents, looks.TOTAL),
            figure("Paid today", totals.paid_cents, looks.TOTAL),
            figure("Balance", totals.balance_cents, looks.TOTAL_STRONG),
        ),
        fills=((0, -1, 2, 2, ZEBRA),),
        rules=(("box", 0, -1, 0, -1, 0.8, RULE), ("above", 0, -1, 2, 2, 0.8, INK)),
    )
    widths = (CONTENT_WIDTH - 200, 200.0)
    note_width = widths[0] - 12
    note: list[Text | Block] = [
        wrap(
            "Amounts are the practice's full charges in US dollars. Patients filing for out-of-network "
            "reimbursement: send this superbill with your claim form to your insurer.",
            looks.SMALL,
            note_width,
        )
    ]
    if totals.paid_cents > 0 and totals.balance_cents <= 0:
        note += [Gap(4), wrap("PAID IN FULL — no balance is due from the patient.", looks.STRONG, note_width)]
    if practice_note:
        note += [Gap(4), wrap(practice_note, looks.BODY, note_width)]
    row = Row((Cell(tuple(note), Pads(0, 12, 0, 0)), Cell((figures,), _NONE, right=True)))
    return Grid(widths, (row,))


def signature(superbill: Superbill) -> Grid:
    """Provider signature and date lines, with the provider's printed name underneath."""
    return _signature(superbill.provider)


@lru_cache(maxsize=64)
def _signature(provider: ProviderBlock) -> Grid:
    name = f"{provider.name}, {provider.credentials}" if provider.credentials else provider.name
    widths = (CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.08, CONTENT_WIDTH * 0.30)
    blank = Cell(pads=_NONE, blank=True)
    under = Pads(2, 0, 0, 0)
    rows = (
        Row((blank, blank, blank), height=26),
        Row(
            (
                Cell((wrap(f"Provider signature — {name}", looks.SMALL, widths[0]),), under, bottom=True),
                Cell(pads=under, blank=True),
                Cell((wrap("Date", looks.SMALL, widths[2]),), under, bottom=True),
            )
        ),
    )
    return Grid(widths, rows, rules=(("below", 0, 0, 0, 0, 0.8, INK), ("below", 2, 2, 0, 0, 0.8, INK)))


def practice_note(superbill: Superbill) -> Rows:
    """The practice's note on its own, one row per line, free to break across pages anywhere."""
    widths = (CONTENT_WIDTH - 200, 200.0)
    text = wrap(superbill.note, looks.BODY, widths[0] - 12)
    rows = tuple(
        Row((Cell((Text((line,), text.style, text.width),), Pads(0, 12, 0, 0)), Cell(pads=_NONE)))
        for line in text.lines
    )
    return Rows(Grid(widths, rows), frozenset(), repeat=0)


def body(superbill: Superbill, room: float) -> tuple[Item, ...]:
    """Everything below the repeated header, in reading order; ``room`` is the height of a page's body.

    The totals and signature ride with the last service line; after the table when the practice's note
    makes them tall; and when even that would not fit on a page, the note flows line by line between
    the totals and the signature.
    """
    items: list[Item] = [parties(superbill), Gap(7), diagnoses(superbill), Gap(7)]
    # what the checks found is for staff (the review sheet, core.review), never on the patient's paper
    totals = totals_and_payment(superbill)
    closing: list[Block] = [totals, Gap(12), signature(superbill)]
    if sum(block.height for block in closing) <= CLOSING_INLINE_LIMIT:
        items.append(service_lines(superbill, closing))
    elif totals.height <= room:  # a long practice note: let it flow after the table instead
        items += [service_lines(superbill), Gap(6), *closing]
    else:
        short = totals_and_payment(superbill, with_note=False)
        items += [service_lines(superbill), Gap(6), short, Gap(4), practice_note(superbill), *closing[1:]]
    return tuple(items)
