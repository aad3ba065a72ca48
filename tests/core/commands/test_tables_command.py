"""`superbill tables load|info` driven through the dispatcher, with small files in CMS's own layouts."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import main
from core.coding import CodingSettings, cms, code_encounter, tables
from tests.core.cms_layouts import ccipra_text, mue_text, pprrvu_text, shipped_rows, write
from tests.core.coding.builders import FakeIcd10, encounter, lesion

Capture = pytest.CaptureFixture[str]


def _snapshot() -> dict[str, bytes]:
    folder = cms.user_folder()
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.is_dir() else {}


def _run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    status = main.main(["tables", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_info_names_the_shipped_releases(capsys: Capture) -> None:
    status, out, _ = _run(capsys, "info")
    assert status == 0
    assert "Fee-schedule RVUs 2025: CMS 2025 National Physician Fee Schedule Relative Value File" in out
    assert "RVU26C" in out and "RVU25D" in out
    assert "MUEs: CMS NCCI Practitioner Services MUE table, effective 2026-04-01" in out
    assert "PTP edits: CMS NCCI practitioner PTP edits v32.2/v32.3" in out and "partial" in out
    assert out.count("From: the tables built into the program") == 4
    assert "pairs among 17000, 17003, 17004, 99202" in out and "ptp_edits.json" in out


def test_a_pprrvu_file_round_trips(tmp_path: Path, capsys: Capture) -> None:
    rows = shipped_rows(cms.RVU, 2026)
    changed = [dict(r, mult_proc_ind="2") if r["hcpcs"] == "17004" else r for r in rows]
    path = write(tmp_path, "PPRRVU2026_Oct_nonQPP.csv", pprrvu_text(2026, changed, month="October"))
    status, out, err = _run(capsys, "load", str(path))
    assert (status, err) == (0, "")
    assert out.startswith(
        "Loaded CMS 2026 National Physician Fee Schedule Relative Value File, October release"
    )
    assert "37 rows" in out and str(cms.stored_file(cms.RVU, 2026)) in out
    stored = json.loads(cms.stored_file(cms.RVU, 2026).read_text(encoding="utf-8"))
    assert stored["rows"] == sorted(changed, key=lambda r: r["hcpcs"])  # only our codes, as in the file
    schedule = tables.fee_schedule(2026)
    assert schedule is not None and "October release" in schedule.source
    for row in changed:
        assert schedule.rows[row["hcpcs"]].total_facility == Decimal(row["facility_total_rvu"])
        assert schedule.rows[row["hcpcs"]].mult_proc == row["mult_proc_ind"]
    assert tables.fee_schedule(2025).source.startswith("CMS 2025")  # type: ignore[union-attr]
    # 17004 now has indicator 2 in the loaded file, so it takes 51 like any other procedure
    enc = encounter(lesion("premalignant", 20), lesion("benign", 2, site="trunk"), payer="aetna")
    result = code_encounter(enc, CodingSettings(modifier_51=True), icd=FakeIcd10())
    assert [(line.cpt, line.modifiers) for line in result.lines] == [("17004", ()), ("17110", ("51",))]
    status, out, _ = _run(capsys, "info")
    assert "Fee-schedule RVUs 2026: CMS 2026 National Physician Fee Schedule Relative Value File, Oct" in out
    assert f"From: a loaded file, {cms.stored_file(cms.RVU, 2026)}" in out and "delete that file" in out
    assert out.count("built into the program") == 3


def test_a_new_year_is_added(tmp_path: Path, capsys: Capture) -> None:
    rows = [dict(r, conversion_factor="34.0000") for r in shipped_rows(cms.RVU, 2026)]
    path = write(tmp_path, "PPRRVU2027_Jan_nonQPP.csv", pprrvu_text(2027, rows))
    assert _run(capsys, "load", str(path))[0] == 0
    assert tables.fee_schedule(2027).conversion_factor == Decimal("34.0000")  # type: ignore[union-attr]
    assert "RVU26C" in tables.fee_schedule(2026).source  # type: ignore[union-attr]
    assert "Fee-schedule RVUs 2027" in _run(capsys, "info")[1]


def test_an_mue_file_round_trips(tmp_path: Path, capsys: Capture) -> None:
    rows = [dict(r, mue_value="9") if r["hcpcs"] == "17003" else r for r in shipped_rows(cms.MUE)]
    path = write(tmp_path, "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv", mue_text(rows))
    status, out, _ = _run(capsys, "load", str(path))
    assert status == 0 and "Practitioner Services MUE table, effective 2026-10-01" in out
    assert json.loads(cms.stored_file(cms.MUE).read_text("utf-8"))["rows"] == rows
    assert tables.mue("17003").max_units == 9  # type: ignore[union-attr]
    assert "effective 2026-10-01" in tables.mue("17000").source  # type: ignore[union-attr]
    assert "MUEs: CMS NCCI Practitioner Services MUE table, effective 2026-10-01" in _run(capsys, "info")[1]


def test_ptp_parts_of_one_version_add_up_and_a_new_version_replaces_them(
    tmp_path: Path, capsys: Capture
) -> None:
    first = write(
        tmp_path,
        "ccipra-v323r0-f1.txt",
        ccipra_text([("11042", "97597", "20130101", "*", "1"), ("17000", "17110", "20260101", "*", "0")]),
    )
    second = write(
        tmp_path,
        "ccipra-v323r0-f4.txt",
        ccipra_text([("99213", "17110", "20260101", "*", "1"), ("G0101", "99211", "20260101", "*", "9")]),
    )
    assert _run(capsys, "load", str(first))[0] == 0
    status, out, _ = _run(capsys, "load", str(second))
    assert status == 0 and "v32.3 r0 (parts f1, f4)" in out
    stored = json.loads(cms.stored_file(cms.PTP).read_text("utf-8"))
    assert [(r["column1"], r["column2"], r["modifier_indicator"]) for r in stored["rows"]] == [
        ("17000", "17110", "0"),
        ("99213", "17110", "1"),
    ]
    edits = {(e.column1, e.column2): e.modifier_indicator for e in tables.ptp_edits()}
    assert edits[("17000", "17110")] == "0" and edits[("99213", "17110")] == "1"
    # part f1 covers column-1 codes 11042-17000 only: 17004's pairs are still decided elsewhere
    assert edits[("17004", "17000")] == "0"  # the shipped extract
    assert edits[("17004", "17110")] is None  # ptp_edits.json: unconfirmed
    info = _run(capsys, "info")[1]
    assert "column-1 codes 11042–17000, 99213–G0101" in info
    newer = write(tmp_path, "ccipra-v330r0-f1.txt", ccipra_text([("17004", "17111", "20270101", "*", "1")]))
    assert _run(capsys, "load", str(newer))[0] == 0
    stored = json.loads(cms.stored_file(cms.PTP).read_text("utf-8"))
    assert list(stored["parts"]) == ["f1"] and stored["release"].startswith(
        "CMS NCCI practitioner PTP edits v33.0"
    )


# -- refusals: exit 2, a plain message, nothing changed --------------------------------------------------


def _pprrvu(year: int = 2026) -> str:
    return pprrvu_text(year, shipped_rows(cms.RVU, year))


def _cut_mid_row(text: str) -> str:
    return text[: text.index("17106,") + 20]


def _cut_at_line(text: str) -> str:
    return text[: text.index("99202,")]


def _bad_number(text: str) -> str:
    return text.replace("17110,,Placeholder,A,,0.68", "17110,,Placeholder,A,,O.68")


def _not_adding_up(text: str) -> str:
    return text.replace("17110,,Placeholder,A,,0.68", "17110,,Placeholder,A,,0.69")


BAD: list[tuple[str, Callable[[], str], str]] = [
    ("PPRRVU2026_Oct_nonQPP.csv", lambda: _cut_mid_row(_pprrvu()), "cut off"),
    ("PPRRVU2026_Oct_nonQPP.csv", lambda: _cut_at_line(_pprrvu()), "99202, 99203"),
    ("PPRRVU2026_Oct_nonQPP.csv", lambda: _bad_number(_pprrvu()), "not a number"),
    ("PPRRVU2026_Oct_nonQPP.csv", lambda: _not_adding_up(_pprrvu()), "work + PE + MP"),
    ("PPRRVU2026_Oct_QPP.csv", _pprrvu, "qualifying-APM"),
    ("PPRRVU2026_Oct_nonQPP.csv", lambda: _pprrvu().replace("Relative Value File", "Something"), "title"),
    (
        "GPCI2026.csv",
        lambda: "Medicare Administrative Contractor,Locality,PW GPCI\r\n01112,05,1.017\r\n",
        "not one of",
    ),
    ("empty.csv", lambda: "", "not one of"),
    (
        "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv",
        lambda: mue_text(shipped_rows(cms.MUE)[:20]),
        "no MUE",
    ),
    (
        "MCR_MUE_OutpatientHospitalServices_Eff_10-01-2026.csv",
        lambda: mue_text(shipped_rows(cms.MUE), services="Outpatient Hospital Services"),
        "not the practitioner one",
    ),
    (
        "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv",
        lambda: mue_text(shipped_rows(cms.MUE)).replace("2 Date of Service Edit: Policy,Code", "7 Date,Code"),
        "adjudication indicator",
    ),
    ("ccioph-v323r0-f1.txt", lambda: ccipra_text([("17000", "17110", "20260101", "*", "1")]), "hospital"),
    ("my-edits.txt", lambda: ccipra_text([("17000", "17110", "20260101", "*", "1")]), "Keep the name"),
    ("ccipra-v323r0-f1.txt", lambda: ccipra_text([("17000", "17110", "2026-01-01", "*", "1")]), "not a date"),
    ("ccipra-v323r0-f1.txt", lambda: ccipra_text([("17000", "17110", "20260101", "*", "2")]), "0, 1 or 9"),
    (
        "ccipra-v323r0-f1.txt",
        lambda: ccipra_text([("17000", "17110", "20260101", "*", "1")])[:-30],
        "cut off",
    ),
    ("ccipra-v323r0-f1.txt", lambda: ccipra_text([]), "no edits"),
]


@pytest.mark.parametrize(("name", "make", "words"), BAD, ids=[f"{i}-{b[2]}" for i, b in enumerate(BAD)])
def test_a_bad_or_foreign_file_changes_nothing(
    tmp_path: Path, capsys: Capture, name: str, make: Callable[[], str], words: str
) -> None:
    # something loaded already, so "nothing changed" covers a loaded table too
    good = shipped_rows(cms.MUE)
    assert (
        _run(
            capsys,
            "load",
            str(write(tmp_path, "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", mue_text(good))),
        )[0]
        == 0
    )
    before, schedule, mue = _snapshot(), tables.fee_schedule(2026), tables.mue("17000")
    bad = tmp_path / "bad"
    bad.mkdir()
    status, out, err = _run(capsys, "load", str(write(bad, name, make())))
    assert status == 2 and out == ""
    assert err.startswith("superbill: ") and words in err and "Nothing was changed." in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    cms.forget()
    assert _snapshot() == before
    assert tables.fee_schedule(2026).rows == schedule.rows  # type: ignore[union-attr]
    assert tables.mue("17000") == mue


def test_missing_file_and_folder(tmp_path: Path, capsys: Capture) -> None:
    status, _, err = _run(capsys, "load", str(tmp_path / "PPRRVU2026_Oct_nonQPP.csv"))
    assert status == 2 and "does not exist" in err
    status, _, err = _run(capsys, "load", str(tmp_path))
    assert status == 2 and "is a folder" in err
    assert _snapshot() == {}


def test_a_damaged_stored_table_is_named_and_the_shipped_one_used(capsys: Capture) -> None:
    path = cms.stored_file(cms.MUE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": "superbill-cms-table", "version": 1, "kind": "mue", "rows": 3}')
    cms.forget()
    assert "2026-04-01" in tables.mue("17000").source  # type: ignore[union-attr]
    status, out, _ = _run(capsys, "info")
    assert status == 0 and f"Note: the loaded table {path} cannot be used" in out
    assert out.count("built into the program") == 4


def test_the_docs_name_the_command_and_the_files() -> None:
    root = Path(__file__).resolve().parents[3]
    cli = (root / "docs" / "cli.md").read_text(encoding="utf-8")
    section = cli.split("## `superbill tables`", 1)[1].split("\n## ", 1)[0]
    actions = main.build_parser()._subparsers._group_actions[0].choices["tables"]  # type: ignore[union-attr]
    for action in actions._subparsers._group_actions[0].choices:  # type: ignore[union-attr]
        assert f"superbill tables {action}" in section
    for name in ("PPRRVU", "MCR_MUE_PractitionerServices_Eff_", "ccipra-v", "Nothing was changed."):
        assert name in section
    assert "EDIT_NOT_BYPASSABLE" in cli
    # the benchmark example: 17004 and 2 warts at POS 22 in 2026
    from core.coding.reimbursement import medicare_benchmark

    enc = encounter(lesion("premalignant", 20), lesion("benign", 2, site="trunk"), payer="medicare", pos="22")
    bench = medicare_benchmark(enc, code_encounter(enc, icd=FakeIcd10()))
    assert [line.amount_cents for line in bench.lines] == [8283, 6246] and bench.total_cents == 14529
    assert "$82.83" in (root / "docs" / "benchmark.md").read_text(encoding="utf-8")
    assert "total $145.29" in (root / "docs" / "benchmark.md").read_text(encoding="utf-8")
