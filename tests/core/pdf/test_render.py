"""Superbill PDFs read back with pypdf: content, pagination, wrapping, fonts and reproducibility."""

from __future__ import annotations

import re
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from core.pdf.render import render_superbills
from core.pdf.theme import FONT, FONT_BOLD, FONT_BOLD_ITALIC, FONT_ITALIC, MARGIN, PAGE_WIDTH
from core.superbill.model import LesionDetail, Superbill
from tests.core.superbill.samples import ak_superbill, big_superbill

_FONT_BY_FILE = {
    "DejaVuSansCondensed": FONT,
    "DejaVuSansCondensed-Bold": FONT_BOLD,
    "DejaVuSansCondensed-Oblique": FONT_ITALIC,
    "DejaVuSansCondensed-BoldOblique": FONT_BOLD_ITALIC,
}


def _render(*superbills: Superbill) -> tuple[bytes, int]:
    out = BytesIO()
    pages = render_superbills(list(superbills), out)
    return out.getvalue(), pages


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_one_visit_prints_on_one_page_with_everything_a_biller_needs() -> None:
    superbill = ak_superbill()
    pdf, pages = _render(superbill)
    assert pages == 1
    (text,) = _page_texts(pdf)
    flat = _squash(text)
    for expected in (
        "Riverside Dermatology Associates, PLLC",
        "Phone (217) 555-0142",
        "Tax ID 12-3456789",
        "Group NPI 1558598797",
        "Dana Whitfield, MD",
        "NPI 1234567893",
        "Place of service 11 – Office",
        "Lovelace, Ada",
        "DOB 12/10/1950",
        "Sex F",
        "12 St James's Square",
        "Chart / account no. A1001",
        "Medicare Part B",
        "Member ID 1EG4TE5MK73",
        "Relationship to subscriber self",
        "Document no. SB-2026-000041",
        "Date of service 11/27/2026",
        "Issued 11/28/2026",
        "ICD-10-CM",
        "L57.0",
        "Actinic keratosis",
        "L82.1",
        "Provider signature",
        "Page 1 of 1",
        f"Content hash {superbill.content_hash}",
    ):
        assert expected in flat, expected
    for cpt in ("17000", "17003", "17004", "17110"):
        assert cpt in flat
    # amounts: right-aligned cells, two decimals, the line, unit and totals
    for amount in ("$125.00", "$11.00", "$143.00", "$300.00", "$150.00", "$718.00", "$40.00", "$678.00"):
        assert amount in flat, amount


def test_service_line_row_reads_in_column_order_with_its_pointer_and_detail() -> None:
    flat = _squash(_page_texts(_render(ak_superbill())[0])[0])
    assert "17003 — Destruction of premalignant lesions, 2 to 14, each A 13 $11.00 $143.00" in flat
    assert "17110 XS Destruction of benign lesions, up to 14 B 1 $150.00 $150.00" in flat
    assert "Lesions: 2 benign lesions · back · cryosurgery" in flat
    assert "Why this code: Up to 14 benign lesions are billed once with 17110" in flat


def test_amounts_are_right_aligned_in_their_column() -> None:
    page = PdfReader(BytesIO(_render(ak_superbill())[0])).pages[0]
    edges: dict[str, list[int]] = {}
    for text, _, x1, _ in _text_runs(page):
        edges.setdefault(text.strip(), []).append(round(x1))
    unit_column, charge_column = sorted(edges["$150.00"])  # 17110: unit charge = line charge
    assert edges["$11.00"] == [unit_column]  # 17003 unit charge
    assert edges["$143.00"] == [charge_column]  # 17003 line charge
    assert unit_column < charge_column


def test_paid_in_full_is_said_only_when_nothing_is_owed() -> None:
    base = ak_superbill()
    assert "PAID IN FULL" not in _page_texts(_render(base)[0])[0]
    paid = ak_superbill(totals=replace(base.totals, paid_cents=base.totals.charges_cents))
    flat = _squash(_page_texts(_render(paid)[0])[0])
    assert "PAID IN FULL" in flat
    assert "Balance $0.00" in flat


def test_self_pay_and_missing_group_npi_read_plainly() -> None:
    superbill = ak_superbill(insurance=None, practice=replace(ak_superbill().practice, group_npi=None))
    flat = _squash(_page_texts(_render(superbill)[0])[0])
    assert "No insurance on file (self-pay)." in flat
    assert "Group NPI" not in flat


def test_twelve_diagnoses_and_sixty_lines_paginate_with_header_on_every_page() -> None:
    superbill = big_superbill(12, 60)
    pdf, pages = _render(superbill)
    texts = _page_texts(pdf)
    assert pages == len(texts) > 1
    for number, text in enumerate(texts, start=1):
        flat = _squash(text)
        assert f"Page {number} of {pages}" in flat
        assert "Riverside Dermatology Associates, PLLC" in flat
        assert "Document no. SB-2026-000099" in flat
        assert "Patient Lovelace, Ada" in flat
        assert superbill.content_hash in flat
        if number > 1:
            assert "Unit charge" in flat  # the column titles repeat
    everything = _squash(" ".join(texts))
    for diagnosis in superbill.diagnoses:
        assert f"{diagnosis.letter} {diagnosis.code} {diagnosis.description}" in everything
    for index in range(1, 61):
        assert f"trunk, line {index} " in everything
        assert everything.count(f"Line {index}: a malignant lesion") == 1  # no line printed twice
    assert "$13,770.00" in texts[-1]  # totals on the last page...
    assert "trunk, line 60 " in _squash(texts[-1])  # ...never without the last line above them
    assert "Provider signature" in texts[-1]


def test_a_day_restarts_page_numbers_for_each_patient() -> None:
    big, small = big_superbill(12, 60), ak_superbill()
    pdf, pages = _render(big, small)
    big_pages = _render(big)[1]
    texts = [_squash(t) for t in _page_texts(pdf)]
    assert pages == big_pages + 1
    assert all("SB-2026-000099" in t for t in texts[:big_pages])
    assert f"Page {big_pages} of {big_pages}" in texts[big_pages - 1]
    assert "Document no. SB-2026-000041" in texts[-1]
    assert "SB-2026-000099" not in texts[-1]
    assert "Page 1 of 1" in texts[-1]


@pytest.mark.parametrize(
    "long_name",
    [
        "Bartholomew-Alexander Montgomery-Fitzwilliam Vanderbilt-Rockefeller de la Cruz y Saavedra "
        "Oppenheimer-Worthington III Jr.",
        "X" * 120,  # one unbroken word still may not run off the page
    ],
)
def test_a_120_character_name_wraps_inside_the_page(long_name: str) -> None:
    assert len(long_name) >= 120
    base = ak_superbill()
    superbill = ak_superbill(
        patient=replace(base.patient, name=long_name, address_lines=(long_name, *base.patient.address_lines)),
        practice=replace(base.practice, name=long_name),
    )
    pdf, pages = _render(superbill)
    assert pages == 1
    page = PdfReader(BytesIO(pdf)).pages[0]
    runs = _text_runs(page)
    assert runs
    for text, x0, x1, _ in runs:
        assert x0 >= MARGIN - 0.5, text
        assert x1 <= PAGE_WIDTH - MARGIN + 0.5, text
    flat = _squash(page.extract_text()).replace(" ", "")
    assert flat.count(long_name.replace(" ", "")) >= 3  # header, practice, patient box (wrapped)


def test_same_superbills_give_identical_bytes(tmp_path: Path) -> None:
    first, _ = _render(ak_superbill(), big_superbill(12, 20))
    second, _ = _render(ak_superbill(), big_superbill(12, 20))
    assert first == second
    path = tmp_path / "day.pdf"
    render_superbills([ak_superbill(), big_superbill(12, 20)], path)
    assert path.read_bytes() == first


def test_a_different_issue_date_changes_only_what_is_printed_not_the_hash() -> None:
    reprint = ak_superbill(date_issued=ak_superbill().date_issued.replace(day=30))
    flat = _squash(_page_texts(_render(reprint)[0])[0])
    assert "Issued 11/30/2026" in flat
    assert f"Content hash {ak_superbill().content_hash}" in flat


def test_only_embedded_truetype_fonts_are_used() -> None:
    reader = PdfReader(BytesIO(_render(ak_superbill(), big_superbill(12, 30))[0]))
    seen: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(str(font["/BaseFont"]).split("+", 1)[-1])
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
    assert seen <= set(_FONT_BY_FILE)
    assert {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"} <= seen


def test_nothing_to_render_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        render_superbills([], BytesIO())


def _text_runs(page: object) -> list[tuple[str, float, float, float]]:
    """(text, left x, right x, y) of every text run drawn on ``page``, in page coordinates."""
    runs: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip() or font is None:
            return
        base = str(font["/BaseFont"]).split("+", 1)[-1]  # type: ignore[index]
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        width = pdfmetrics.stringWidth(text.strip(), _FONT_BY_FILE[base], size) * tm[0] * cm[0]
        runs.append((text, x, x + width, y))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return runs


def test_markup_characters_in_data_print_literally() -> None:
    base = ak_superbill()
    superbill = ak_superbill(
        patient=replace(base.patient, name="O'Brien & <b>Sons</b>, Zoë"),
        practice=replace(base.practice, name="Skin & Co. <Dermatology>"),
    )
    flat = _squash(_page_texts(_render(superbill)[0])[0])
    assert "O'Brien & <b>Sons</b>, Zoë" in flat
    assert "Skin & Co. <Dermatology>" in flat


# soft hyphens (Cf) are invisible by design, so they are left out
_NAME_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_categories=("Cc", "Cf", "Zs")),
    min_size=1,
    max_size=40,
)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(_NAME_TEXT, min_size=1, max_size=4).map(" ".join),
    st.lists(_NAME_TEXT, min_size=1, max_size=6).map(" ".join),
)
def test_any_latin_name_and_description_print_readably(name: str, description: str) -> None:
    base = ak_superbill()
    first = base.lines[0]
    lines = (replace(first, line=replace(first.line, description=description)), *base.lines[1:])
    superbill = ak_superbill(patient=replace(base.patient, name=name), lines=lines)
    pdf, pages = _render(superbill)
    assert pages == 1
    flat = _squash(_page_texts(pdf)[0]).replace(" ", "")
    assert name.replace(" ", "") in flat
    assert description.replace(" ", "") in flat


def test_a_line_with_very_many_lesion_entries_breaks_across_pages() -> None:
    base = ak_superbill()
    many = tuple(LesionDetail(1, "benign", (f"site {i}",), "cryosurgery") for i in range(120))
    superbill = ak_superbill(lines=(*base.lines[:-1], replace(base.lines[-1], lesions=many)))
    pdf, pages = _render(superbill)
    texts = [_squash(t) for t in _page_texts(pdf)]
    assert pages == len(texts) > 1
    everything = " ".join(texts)
    assert all(f"· site {i} ·" in everything for i in range(120))
    assert "$678.00" in texts[-1] and "site 119" in texts[-1]
