"""The official CMS tables: the shipped files are the shared extracts, and the engine uses their values.

How "resources equal the extracts" is checked without reading ../shared at run time (the project must
stand alone): the four extract files and their provenance were copied byte for byte into
``resources/cms/``, and ``EXTRACT_SHA256`` below pins the sha256 of each as computed from
``../shared/domain/cms/`` when they were copied. Any edit to a shipped value fails here; a newer shared
extract is taken by copying it again and updating the digest on purpose. The rest of this module checks
that what the engine answers (global days, multiple-procedure indicators, RVUs, MUEs, PTP edits) equals
those files row by row, read here with the plain ``csv`` module rather than the program's reader.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from core.coding import CodingSettings, checks, cms, code_encounter, rules, tables
from core.coding.families import DraftLine
from core.coding.model import PriorService
from core.coding.reimbursement import medicare_benchmark
from tests.core.cms_layouts import ccipra_text, mue_text, shipped_rows, write
from tests.core.coding.builders import FakeIcd10, encounter, lesion

#: sha256 of ../shared/domain/cms/* when they were copied into resources/cms (README.md → PROVENANCE.md)
EXTRACT_SHA256 = {
    "pfs-rvu-2026.csv": "ff0baa19214fa35556dde13cbb23c33eea742221aa530538df5ea406d847f23c",
    "pfs-rvu-2025.csv": "30611e8ad9ab456e215dbba1ce304c7848a9b714e8388de6aa757f1f4f40aa8b",
    "mue-practitioner.csv": "e074c3e08aadd6b0f1b66d3961130c6dc8327ea29ced13cde0af89f1e684c313",
    "ptp-practitioner.csv": "a40bc9caba284ba82003d5fe8559e12e4359df8daa6514f2973f80042193791d",
    "PROVENANCE.md": "2724c914630244881f177b562c7a860c5f1bba74dd838b47560acfaf50ce1e44",
}
ROWS = {
    "pfs-rvu-2026.csv": 37,
    "pfs-rvu-2025.csv": 37,
    "mue-practitioner.csv": 37,
    "ptp-practitioner.csv": 94,
}
FOLDER = Path(__file__).resolve().parents[3] / "resources" / "cms"
DOS = date(2026, 11, 27)


def _csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((FOLDER / name).read_text(encoding="utf-8"))))


@pytest.mark.parametrize("name", sorted(EXTRACT_SHA256))
def test_shipped_files_are_the_shared_extracts(name: str) -> None:
    assert hashlib.sha256((FOLDER / name).read_bytes()).hexdigest() == EXTRACT_SHA256[name]
    if name in ROWS:
        assert len(_csv(name)) == ROWS[name]


def test_the_manifest_names_every_extract_and_its_release() -> None:
    manifest = json.loads(resources.files("resources.cms").joinpath("releases.json").read_text("utf-8"))
    assert {r["file"] for r in manifest["releases"]} == set(ROWS)
    provenance = (FOLDER / "PROVENANCE.md").read_text(encoding="utf-8")
    for release, words in zip(manifest["releases"], ("RVU26C", "RVU25D", "2026 Q2", "v32.2"), strict=True):
        assert words in release["release"] and words in provenance
        assert release["read_from"]


def test_all_37_codes_are_billable_codes_and_covered() -> None:
    codes = set(tables.cpt_table())
    for name in ROWS:
        column = "column1" if name.startswith("ptp") else "hcpcs"
        found = {row[column] for row in _csv(name)}
        assert found <= codes
        if not name.startswith("ptp"):
            assert found == codes


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_engine_uses_the_rvu_file_of_the_year(year: int) -> None:
    schedule = tables.fee_schedule(year)
    assert schedule is not None and schedule.year == year
    for row in _csv(f"pfs-rvu-{year}.csv"):
        code = row["hcpcs"]
        assert schedule.conversion_factor == Decimal(row["conversion_factor"])
        priced = schedule.rows[code]
        assert priced.total_non_facility == Decimal(row["nonfac_total_rvu"])
        assert priced.total_facility == Decimal(row["facility_total_rvu"])
        assert priced.mult_proc == row["mult_proc_ind"]
        assert (priced.confidence_facility, priced.confidence_non_facility) == ("HIGH", "HIGH")
        assert tables.global_days(code, date(year, 3, 1)) == row["global_days"]
        assert tables.rvu_total(code, year, facility=True) == Decimal(row["facility_total_rvu"])
    assert f"RVU{str(year)[2:]}" in schedule.source


def test_the_facts_the_issue_names() -> None:
    for year in (2025, 2026):
        day = date(year, 6, 1)
        assert tables.global_days("11200", day) == "010"
        assert [tables.global_days(c, day) for c in ("17106", "17107", "17108")] == ["090"] * 3
        assert tables.fee_schedule(year).rows["17004"].mult_proc == "0"  # type: ignore[union-attr]
        assert tables.multiple_procedure_exempt("17004", year)
        assert not tables.multiple_procedure_exempt("17000", year)
    # a year no CMS file covers takes the nearest year's global period and indicator, never a guess
    assert tables.global_days("11200", date(2024, 6, 1)) == "010"
    assert tables.global_days("17106", date(2031, 6, 1)) == "090"
    assert tables.multiple_procedure_exempt("17004", 2024)
    assert not tables.multiple_procedure_exempt("17000", None)
    assert tables.fee_schedule(2024) is None  # amounts change every year: none is borrowed
    assert tables.global_days("99999", DOS) is None and not tables.multiple_procedure_exempt("99999", 2026)


def test_global_days_and_indicators_are_the_same_in_both_shipped_years() -> None:
    """Why borrowing the nearest year's global period and indicator is safe: they did not change."""
    kept = ("hcpcs", "status_code", "pctc_ind", "global_days", "mult_proc_ind")
    years = [{tuple(row[c] for c in kept) for row in _csv(f"pfs-rvu-{y}.csv")} for y in (2025, 2026)]
    assert years[0] == years[1]


#: what each CMS file publishes, by the names the old code tables gave those facts
PUBLISHED = {
    "global_days",
    "multiple_procedure_exempt",
    "mult_proc",
    "max_units",
    "adjudication_indicator",
    "work",
    "total_facility",
    "total_non_facility",
    "conversion_factor",
}


def test_no_code_table_keeps_or_leaves_unconfirmed_a_fact_cms_publishes() -> None:
    """Official data wins and has one place: no table under resources/codes holds a fact the CMS files
    publish for a code they cover (global days, multiple-procedure indicator, RVUs, MUE value and MAI),
    nor calls such a fact unconfirmed; a code pair the shipped PTP extract covers is decided there only."""
    covered = {row["hcpcs"] for name in ROWS if not name.startswith("ptp") for row in _csv(name)}
    codes_folder = Path(__file__).resolve().parents[3] / "resources" / "codes"
    for path in sorted(codes_folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for row in data.get("rows", []) if isinstance(data, dict) else []:
            if not isinstance(row, dict) or row.get("code") not in covered:
                continue
            assert not PUBLISHED & set(row), f"{path.name} {row['code']}: {PUBLISHED & set(row)}"
            words = f"{row.get('notes', '')} {row.get('confidence', '')}".lower()
            for fact in ("global", "mue", "rvu", "multiple-procedure", "multiple procedure"):
                assert not (fact in words and "unconfirmed" in words), f"{path.name} {row['code']}: {words}"
        assert not (set(data) & {"unconfirmed_codes_without_rows"}), path.name
    (shipped,) = cms.shipped().ptp
    for edit in tables.secondary_ptp_edits():
        assert not shipped.covers(edit.column1, edit.column2), (edit.column1, edit.column2)
    assert not (codes_folder / "mue.json").exists()


def test_the_engine_uses_the_mue_table() -> None:
    for row in _csv("mue-practitioner.csv"):
        limit = tables.mue(row["hcpcs"])
        assert limit is not None
        assert (limit.max_units, limit.adjudication_indicator) == (int(row["mue_value"]), int(row["mai"]))
        assert row["mai_text"] in limit.notes and "2026-04-01" in limit.source


def test_the_engine_uses_the_ptp_extract() -> None:
    (shipped,) = cms.shipped().ptp
    rows = _csv("ptp-practitioner.csv")
    assert {
        (p.column1, p.column2, p.effective.isoformat(), p.deletion.isoformat() if p.deletion else "")
        for p in shipped.pairs
    } == {(r["column1"], r["column2"], r["effective_date"], r["deletion_date"]) for r in rows}
    in_force = {(e.column1, e.column2): e.modifier_indicator for e in tables.ptp_edits(DOS)}
    for row in rows:
        if not row["deletion_date"]:
            assert in_force[(row["column1"], row["column2"])] == row["modifier_indicator"]


# -- behaviour -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cpt", "days_before", "days"),
    [("11200", 10, 10), ("11201", 3, 10), ("17106", 90, 90), ("17107", 45, 90), ("17108", 1, 90)],
)
def test_visits_inside_the_cms_global_period(icd: FakeIcd10, cpt: str, days_before: int, days: int) -> None:
    prior = (PriorService(DOS - timedelta(days=days_before), cpt),)
    result = code_encounter(encounter(lesion("premalignant", 1), prior=prior), icd=icd)
    found = [m for m in result.messages if m.rule in (rules.IN_GLOBAL_PERIOD, rules.GLOBAL_PERIOD_UNKNOWN)]
    assert [m.rule for m in found] == [rules.IN_GLOBAL_PERIOD]
    assert f"inside the {days}-day global period of {cpt}" in found[0].text
    for modifier in ("24", "79", "58", "78"):
        assert modifier in found[0].text


def test_the_global_period_of_the_year_billed(icd: FakeIcd10, tmp_path: Path) -> None:
    """A 2025 procedure is judged by the 2025 file: load a 2025 file giving 17106 10 days to see it."""
    from core.coding.cms_files import load_file
    from tests.core.cms_layouts import pprrvu_text

    rows = [dict(r, global_days="010") if r["hcpcs"] == "17106" else r for r in shipped_rows(cms.RVU, 2025)]
    text = pprrvu_text(2025, rows, month="October", pric=False)  # the 2025 layout: no PRIC IND
    assert text.splitlines()[8].startswith("HCPCS,MOD,DESCRIPTION") and text.splitlines()[8].count(",") == 30
    load_file(write(tmp_path, "PPRRVU2025_Oct.csv", text))
    visit = date(2026, 1, 5)
    prior = (PriorService(date(2025, 12, 20), "17106"),)
    result = code_encounter(
        replace(encounter(lesion("premalignant", 1), prior=prior), date_of_service=visit), icd=icd
    )
    assert rules.IN_GLOBAL_PERIOD not in {m.rule for m in result.messages}  # 16 days > 10
    prior = (PriorService(date(2026, 1, 1), "17106"),)
    result = code_encounter(
        replace(encounter(lesion("premalignant", 1), prior=prior), date_of_service=visit), icd=icd
    )
    assert any("90-day" in m.text for m in result.messages if m.rule == rules.IN_GLOBAL_PERIOD)


def test_17004_indicator_0_is_never_reduced_and_never_takes_51(icd: FakeIcd10) -> None:
    enc = encounter(lesion("premalignant", 20), lesion("benign", 2, site="trunk"), payer="aetna", pos="22")
    result = code_encounter(enc, CodingSettings(modifier_51=True), icd=icd)
    assert [(line.cpt, line.modifiers) for line in result.lines] == [("17004", ()), ("17110", ())]
    bench = medicare_benchmark(enc, result)
    assert bench.complete  # both facility totals come from RVU26C
    first, benign = bench.lines
    assert first.reduction_cents == 0 and "never reduced" in first.note
    assert benign.reduction_cents == 0 and "only procedure" in benign.note


def _over(line: DraftLine) -> str:
    (message,) = checks.units_over_mue(encounter(lesion("premalignant", 1)), [line])
    assert message.rule == rules.UNITS_OVER_MUE and message.severity.value == "warning"
    return message.text


def test_mue_message_for_mai_2_and_3() -> None:
    policy = _over(DraftLine("17000", 2, (0,), ""))
    assert "limit (MUE) of 1 unit(s) per day" in policy
    assert "adjudication indicator is 2" in policy and "absolute" in policy and "appeals rarely" in policy
    assert "effective 2026-04-01" in policy
    clinical = _over(DraftLine("17260", 8, (0,), ""))
    assert "of 7 unit(s) per day" in clinical
    assert "adjudication indicator is 3" in clinical and "paid on appeal" in clinical


def test_mue_mai_3_through_the_engine(icd: FakeIcd10) -> None:
    result = code_encounter(encounter(lesion("skin_tag", 40, site="neck")), icd=icd)
    assert [(line.cpt, line.units) for line in result.lines] == [("11200", 1), ("11201", 3)]
    (found,) = [m for m in result.messages if m.rule == rules.UNITS_OVER_MUE]
    assert found.text.startswith("11201 × 3") and "indicator is 3" in found.text
    assert found.field == "lesions[0]"


def test_mue_mai_1_from_a_loaded_table(icd: FakeIcd10, tmp_path: Path) -> None:
    from core.coding.cms_files import load_file

    rows = shipped_rows(cms.MUE)
    rows = [dict(r, mai="1", mai_text="1 Line Edit") if r["hcpcs"] == "17260" else r for r in rows]
    load_file(write(tmp_path, "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", mue_text(rows)))
    result = code_encounter(encounter(lesion("malignant", 8, site="arm", diameter_cm=0.4)), icd=icd)
    (found,) = [m for m in result.messages if m.rule == rules.UNITS_OVER_MUE]
    assert "of 7 unit(s) on one claim line" in found.text and "indicator is 1, a line edit" in found.text
    assert "splitting them over several lines is not a fix" in found.text
    assert "effective 2026-07-01" in found.text


def test_ptp_indicator_0_and_1_from_a_loaded_file(icd: FakeIcd10, tmp_path: Path) -> None:
    """Official pairs decide what ptp_edits.json left unconfirmed (17000/17004 with 17110/17111)."""
    from core.coding.cms_files import load_file

    pairs = [
        ("17000", "17110", "20260101", "*", "0"),
        ("17004", "17110", "20260101", "*", "1"),
        ("17004", "17111", "20200101", "20251231", "1"),  # deleted before the visit
    ]
    load_file(write(tmp_path, "ccipra-v323r0-f1.txt", ccipra_text(pairs)))
    both = encounter(lesion("premalignant", 2), lesion("benign", 3, site="trunk"))
    result = code_encounter(both, icd=icd)
    assert [(line.cpt, line.modifiers) for line in result.lines] == [
        ("17000", ()),
        ("17003", ()),
        ("17110", ()),
    ]
    ids = [m.rule for m in result.messages]
    assert rules.EDIT_NOT_BYPASSABLE in ids and rules.EDIT_UNCONFIRMED not in ids
    (never,) = [m for m in result.messages if m.rule == rules.EDIT_NOT_BYPASSABLE]
    assert "modifier indicator 0" in never.text and "whatever" in never.text and "v32.3" in never.text
    assert never.field == "lesions[1]"

    result = code_encounter(encounter(lesion("premalignant", 20), lesion("benign", 3, site="trunk")), icd=icd)
    assert [(line.cpt, line.modifiers) for line in result.lines] == [("17004", ()), ("17110", ("59",))]
    (distinct,) = [m for m in result.messages if m.rule == rules.DISTINCT_PROCEDURE]
    assert "modifier indicator is 1" in distinct.text and "v32.3" in distinct.text

    result = code_encounter(
        encounter(lesion("premalignant", 20), lesion("benign", 20, site="trunk")), icd=icd
    )
    assert [(line.cpt, line.modifiers) for line in result.lines] == [("17004", ()), ("17111", ())]
    assert rules.EDIT_UNCONFIRMED not in {m.rule for m in result.messages}  # covered: no edit in force
