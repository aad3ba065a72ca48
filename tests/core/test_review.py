"""The biller's review sheet: what the checks found, who acknowledged it and why; drafts; totals."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

import main
from core import visit
from core.coding import LesionGroup, LesionKind
from core.coding.model import Severity
from core.errors import InputError
from core.pdf.review import render_review
from core.review import build_review
from core.store import EncounterRecord, Store
from tests.signing_in import open_signed_in

DAY = date(2026, 11, 27)
AK = LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0")
SK = LesionGroup(LesionKind.BENIGN, 2, "trunk", "cryosurgery", "L82.1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_signed_in(tmp_path / "superbill.db", user="dana") as opened:
        yield opened


def _draft(store: Store, chart: str, *lesions: LesionGroup, em_code: str | None = None) -> EncounterRecord:
    patient = store.patient_by_chart_number(chart)
    provider = store.default_provider()
    assert patient is not None and patient.id is not None and provider.id is not None
    return store.save_draft(
        EncounterRecord(patient.id, provider.id, DAY, "11", em_code=em_code, lesions=lesions)
    )


def _day(store: Store) -> tuple[EncounterRecord, EncounterRecord, EncounterRecord]:
    with_em = _draft(store, "DEMO-2", AK, SK, em_code="99213")
    coded = visit.code_stored(store, with_em)
    warnings = visit.check_final(coded).warnings
    assert warnings and all(w.severity is Severity.WARNING for w in warnings)
    final = visit.finalize(store, with_em, coded, dict.fromkeys(warnings, "separate problem documented"))
    plain = visit.finalize_unattended(store, _draft(store, "DEMO-1", AK), "looked at")
    draft = _draft(store, "DEMO-3", SK)
    return final, plain, draft


def _text(sheet_pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet_pdf)).pages)


def test_the_day_sheet_names_each_acknowledged_warning_with_who_and_why(store: Store) -> None:
    final, plain, draft = _day(store)
    sheet = build_review(store, DAY)
    assert [e.encounter_id for e in sheet.billed] == [final.id, plain.id]
    assert [e.encounter_id for e in sheet.drafts] == [draft.id]
    (warning,) = [n for n in sheet.billed[0].notes if n.severity == "warning"]
    assert (warning.rule, warning.who, warning.reason) == (
        "EM_SAME_DAY",
        "dana",
        "separate problem documented",
    )
    assert sum(t.charge_cents for t in sheet.by_code) == final.total_cents + plain.total_cents
    assert sum(t.encounters for t in sheet.by_payer) == 2

    out = io.BytesIO()
    render_review(sheet, out)
    text = _text(out.getvalue())
    for expected in (
        "For staff only",
        "EM_SAME_DAY",
        "Acknowledged by dana",
        "separate problem documented",
        "Visits still in draft",
        "Testcase, Riley",
        "By payer",
    ):
        assert expected in text, expected


def test_print_review_from_the_command_line_marks_nothing_printed(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    final = _day(store)[0]
    db = store.path
    store.close()
    target = tmp_path / "review.pdf"
    assert (
        main.main(["--db", str(db), "print", "--date", DAY.isoformat(), "--review", "-o", str(target)]) == 0
    )
    assert str(target) in capsys.readouterr().out
    assert "EM_SAME_DAY" in _text(target.read_bytes())
    assert main.main(["--db", str(db), "print", str(final.id), "--review", "-o", str(tmp_path)]) == 0
    assert (tmp_path / f"review-{final.document_number}.pdf").exists()
    with open_signed_in(db, seed_demo=False) as check:
        assert check.get_encounter(final.id or 0).status.value == "final"  # not marked printed


def test_a_day_without_visits_says_so(store: Store) -> None:
    with pytest.raises(InputError, match="nothing to review"):
        build_review(store, date(2026, 1, 5))


def test_a_draft_shows_what_it_would_bill(store: Store) -> None:
    draft = _day(store)[2]
    sheet = build_review(store, DAY)
    (row,) = sheet.drafts
    assert row.encounter_id == draft.id and row.codes == ("17110",) and row.charge_cents > 0
    out = io.BytesIO()
    render_review(sheet, out)
    assert "would bill 17110" in _text(out.getvalue())
