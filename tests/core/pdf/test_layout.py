"""The superbill's own layout (core.pdf.text, core.pdf.sections, core.pdf.pages): wrapping, page edges,
pagination and totals, checked on what would be drawn, before any PDF is written."""

from __future__ import annotations

import re
from dataclasses import replace
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from core.money import format_cents
from core.pdf import looks
from core.pdf.pages import Page, draw_page, paginate
from core.pdf.pen import Pen
from core.pdf.render import render_superbills
from core.pdf.sections import CLOSING_INLINE_LIMIT, Sheet, sheet
from core.pdf.text import text_width, wrap
from core.pdf.theme import CONTENT_WIDTH, FOOTER_HEIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from core.superbill.model import InsuranceBlock, Superbill
from tests.core.superbill.samples import ak_superbill, big_superbill

LONG = (
    "Bartholomew-Alexander Montgomery-Fitzwilliam Vanderbilt-Rockefeller de la Cruz y Saavedra "
    "Oppenheimer-Worthington III Jr."
)
_WORDS = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x2FF, blacklist_categories=("Cc", "Cf", "Zs")),
    min_size=1,
    max_size=60,
)


def _pens(superbill: Superbill) -> tuple[Sheet, list[Page], list[Pen]]:
    laid_out = sheet(superbill)
    pages = paginate(laid_out)
    pens = []
    for number, page in enumerate(pages, start=1):
        pen = Pen()
        draw_page(pen, laid_out, page, number, len(pages))
        pens.append(pen)
    return laid_out, pages, pens


def _lines(pen: Pen) -> list[tuple[float, float, float, str]]:
    """(left x, right x, baseline y, text) of every line of text on a page."""
    found = []
    for x, y, size, _, pieces in pen.texts:
        width = sum(text_width(text, font, size) for font, text in pieces)
        found.append((x, x + width, y, "".join(text for _, text in pieces)))
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=30), st.floats(min_value=20, max_value=300))
def test_wrapped_lines_keep_every_word_in_order_and_stay_in_their_box(words: list[str], width: float) -> None:
    text = wrap("  ".join(words), looks.BODY, width)
    assert text.height == len(text.lines) * looks.BODY.leading
    joined = " ".join("".join(piece for _, piece in line.pieces) for line in text.lines)
    assert joined.replace(" ", "") == "".join(words)
    spaces = text_width(" ", looks.BODY.font, looks.BODY.size)
    for line in text.lines:
        measured = sum(text_width(piece, font, looks.BODY.size) for font, piece in line.pieces)
        assert line.width == pytest.approx(measured)
        words_on_line = "".join(piece for _, piece in line.pieces).count(" ") + 1
        single_character = len("".join(piece for _, piece in line.pieces)) == 1
        # ReportLab's space shrinkage lets a line be 5 % of its spaces' width too long; nothing more
        assert single_character or line.width <= width + 0.05 * spaces * words_on_line + 1e-6


def test_an_unbroken_word_is_cut_into_lines_no_wider_than_the_box() -> None:
    text = wrap("X" * 300, looks.STRONG, 100)
    assert len(text.lines) > 3
    assert all(line.width <= 100 for line in text.lines)
    assert "".join(line.pieces[0][1] for line in text.lines) == "X" * 300


def test_a_label_is_bold_and_its_value_plain() -> None:
    from core.pdf.text import labelled
    from core.pdf.theme import FONT, FONT_BOLD

    (line,) = labelled("Member ID", "1EG4TE5MK73", looks.BODY, 200).lines
    assert line.pieces == ((FONT_BOLD, "Member ID"), (FONT, " 1EG4TE5MK73"))


def _everything_long() -> Superbill:
    base = ak_superbill()
    payer = InsuranceBlock(
        payer_name=f"{LONG} Mutual Health Insurance Company of the Greater Midwest",
        member_id="M" * 60,
        group_number="G" * 50,
        subscriber_name=LONG,
        relationship="self",
        payer_id="P" * 40,
        claims_address_lines=(f"PO Box 1234, {LONG}", "Springfield, IL 62701-1234"),
    )
    first = base.lines[0]
    lines = (
        replace(
            first,
            line=replace(first.line, description=f"{LONG} " * 2, why=f"{LONG} " * 4),
        ),
        *base.lines[1:],
    )
    return ak_superbill(
        practice=replace(base.practice, name=LONG, address_lines=(LONG, LONG)),
        provider=replace(base.provider, name=LONG, license_number="L" * 80, taxonomy="T" * 50),
        patient=replace(base.patient, name=LONG, address_lines=(LONG, "Z" * 120)),
        insurance=payer,
        secondary_insurance=replace(payer, payer_name="Y" * 130),
        lines=lines,
        note=f"{LONG} " * 6,
    )


@pytest.mark.parametrize("superbill", [ak_superbill(), big_superbill(12, 60), _everything_long()])
def test_every_line_of_text_lies_inside_the_page_margins(superbill: Superbill) -> None:
    _, _, pens = _pens(superbill)
    body_bottom = MARGIN + FOOTER_HEIGHT
    for pen in pens:
        lines = _lines(pen)
        body, footer = lines[:-2], lines[-2:]
        for left, right, y, text in body:
            assert left >= MARGIN - 1e-6, text
            assert right <= PAGE_WIDTH - MARGIN + 0.5, text  # ReportLab's space shrinkage at most
            assert body_bottom <= y <= PAGE_HEIGHT - MARGIN, text
        for left, right, y, text in footer:
            assert left >= MARGIN - 1e-6 and right <= PAGE_WIDTH - MARGIN + 1e-6, text
            assert 0 < y < body_bottom, text


def test_long_names_payers_and_descriptions_print_whole() -> None:
    superbill = _everything_long()
    out = BytesIO()
    pages = render_superbills([superbill], out)
    flat = re.sub(r"\s+", "", " ".join(p.extract_text() for p in PdfReader(BytesIO(out.getvalue())).pages))
    assert pages >= 1
    payer = superbill.insurance.payer_name if superbill.insurance else ""
    for expected in (LONG, payer, "Y" * 130, "Z" * 120):
        assert expected.replace(" ", "") in flat


@pytest.mark.parametrize("line_count", [1, 8, 14, 15, 16, 17, 30, 44, 45, 46, 90])
def test_lines_spill_onto_next_pages_under_repeated_titles_and_the_totals_close_the_last(
    line_count: int,
) -> None:
    superbill = big_superbill(12, line_count)
    _, pages, pens = _pens(superbill)
    texts = [" ".join(text for *_, text in _lines(pen)) for pen in pens]
    everything = " ".join(texts)
    for index in range(1, line_count + 1):
        assert everything.count(f"Line {index}: a malignant lesion") == 1
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Unit charge" in text  # the column titles start every page with lines on it
        assert "SB-2026-000099" in text  # the header too
    assert f"trunk, line {line_count}" in texts[-1]
    assert "Total charges" in texts[-1] and "Provider signature" in texts[-1]
    assert all("Total charges" not in text for text in texts[:-1])
    charges = sum(line.line_charge_cents for line in superbill.lines)
    assert format_cents(charges) in texts[-1]
    # each page's boxes stay above the footer
    for page in pages:
        for block, top in page.placed:
            assert top - block.height >= MARGIN + FOOTER_HEIGHT - 1e-6


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=200_000))
def test_totals_read_charges_paid_today_and_balance(paid_cents: int) -> None:
    base = ak_superbill()
    superbill = ak_superbill(totals=replace(base.totals, paid_cents=paid_cents))
    _, _, pens = _pens(superbill)
    lines = [text.strip() for *_, text in _lines(pens[-1])]
    charges = base.totals.charges_cents
    figures = (("Total charges", charges), ("Paid today", paid_cents), ("Balance", charges - paid_cents))
    for label, cents in figures:
        at = lines.index(label)
        assert lines[at + 1] == format_cents(cents)
    assert ("PAID IN FULL — no balance is due from the patient." in lines) == (
        paid_cents > 0 and paid_cents >= charges
    )


def test_a_long_practice_note_moves_the_totals_after_the_lines() -> None:
    note = " ".join(["A long practice note that goes on and on about payment terms."] * 60)
    superbill = ak_superbill(note=note)
    laid_out, pages, pens = _pens(superbill)
    assert sum(getattr(item, "height", 0) for item in laid_out.body[-3:]) > CLOSING_INLINE_LIMIT
    texts = [" ".join(text for *_, text in _lines(pen)) for pen in pens]
    assert len(pages) == 2
    assert "17110" in texts[0] and "Total charges" not in texts[0]
    assert "Total charges" in texts[1] and "Provider signature" in texts[1]


def test_the_patients_paper_shows_no_staff_findings() -> None:
    _, _, pens = _pens(ak_superbill())
    text = " ".join(t for pen in pens for *_, t in _lines(pen)).lower()
    for staff_only in ("acknowledged", "warning", "review sheet", "biller"):
        assert staff_only not in text


def test_a_practice_note_longer_than_a_page_flows_line_by_line_to_the_signature() -> None:
    note = " ".join(f"Payment term number {n} of the practice, said at some length." for n in range(150))
    superbill = ak_superbill(note=note)
    _, pages, pens = _pens(superbill)
    assert len(pages) >= 3
    texts = [" ".join(text for *_, text in _lines(pen)) for pen in pens]
    assert "Total charges" in texts[0]  # the figures stay with the last lines
    wrapped = wrap(note, looks.BODY, CONTENT_WIDTH - 212).lines
    note_lines = ["".join(piece for _, piece in line.pieces) for line in wrapped]
    drawn = [text for pen in pens for *_, text in _lines(pen)]
    assert [text for text in drawn if text in note_lines] == note_lines  # each line once, in order
    assert "Provider signature" in texts[-1]
    for pen in pens:
        for _, _, y, text in _lines(pen)[:-2]:
            assert y >= MARGIN + FOOTER_HEIGHT, text
