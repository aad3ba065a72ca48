"""`superbill icd10 lookup|load|info` driven through the dispatcher like a user would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import main
from core import icd10

FIXTURE = Path(__file__).parent / "icd10_data" / "icd10cm_order_2027.txt"


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    icd10.forget_loaded_index()
    yield
    icd10.forget_loaded_index()


@pytest.fixture
def full_order_file(tmp_path: Path) -> Path:
    """The shipped code set written out as a CMS order file, plus one new code and one dropped code."""
    lines = []
    rows = [(c.code.replace(".", ""), c.billable, c.description) for c in icd10.all_codes()]
    rows = [row for row in rows if row[0] != "L571"] + [("L57A", True, "A made-up code for this test")]
    for number, (code, billable, description) in enumerate(rows, start=1):
        lines.append(f"{number:05d} {code:<7} {int(billable)} {description[:60]:<60} {description}")
    path = tmp_path / "icd10cm_order_2027.txt"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="ascii", errors="replace")
    icd10.forget_loaded_index()
    return path


def test_lookup_prints_each_code(capsys: pytest.CaptureFixture[str]) -> None:
    status = main.main(["icd10", "lookup", "l570", "C44311", "S01.01XA"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out == [
        "L57.0: billable - Actinic keratosis",
        "C44.311: billable - Basal cell carcinoma of skin of nose",
        "S01.01XA: billable - Laceration without foreign body of scalp, initial encounter",
    ]


def test_lookup_explains_headings_incomplete_and_unknown_codes(capsys: pytest.CaptureFixture[str]) -> None:
    status = main.main(["icd10", "lookup", "L57.0", "L57", "S01.01X", "Q99.99"])
    out = capsys.readouterr().out.splitlines()
    assert status == 2
    assert out[0].startswith("L57.0: billable")
    assert out[1].startswith("L57: a heading, not billable") and "L57.0, L57.1" in out[1]
    assert (
        out[2] == "S01.01X: incomplete code, not billable. Complete codes that start with it: "
        "S01.01XA, S01.01XD, S01.01XS."
    )
    assert out[3].startswith("Q99.99: not an ICD-10-CM code (ICD-10-CM FY2026, April 1, 2026 update)")


def test_info_names_the_shipped_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["icd10", "info"]) == 0
    out = capsys.readouterr().out
    assert "Release: ICD-10-CM FY2026, April 1, 2026 update" in out
    assert "built into the program" in out
    assert "Codes: 98,186 (74,719 billable)" in out


def test_load_a_full_release_then_use_it(full_order_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["icd10", "load", str(full_order_file)]) == 0
    out = capsys.readouterr().out
    assert "Loaded ICD-10-CM FY2027: 98,186 codes, 74,719 billable" in out
    assert main.main(["icd10", "lookup", "L57.A"]) == 0
    assert capsys.readouterr().out.strip() == "L57.A: billable - A made-up code for this test"
    assert main.main(["icd10", "lookup", "L57.1"]) == 2
    capsys.readouterr()
    assert main.main(["icd10", "info"]) == 0
    info = capsys.readouterr().out
    assert "Release: ICD-10-CM FY2027" in info
    assert str(icd10.user_index_path()) in info
    assert "delete that file" in info


def test_a_bad_file_is_refused_and_the_loaded_release_kept(
    full_order_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(["icd10", "load", str(full_order_file)]) == 0
    before = icd10.user_index_path().read_bytes()
    damaged = tmp_path / "icd10cm_order_2028.txt"
    damaged.write_text(full_order_file.read_text().replace("00002 A000 ", "00002 A0 00"))
    capsys.readouterr()
    assert main.main(["icd10", "load", str(damaged)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "Nothing was changed" in err and "Traceback" not in err
    assert main.main(["icd10", "load", str(FIXTURE)]) == 2
    assert "lists only 14 codes" in capsys.readouterr().err
    assert main.main(["icd10", "load", str(tmp_path / "missing.txt")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert icd10.user_index_path().read_bytes() == before
    assert icd10.release() == "ICD-10-CM FY2027"
