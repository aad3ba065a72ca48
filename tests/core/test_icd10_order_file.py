"""Reading a CMS ICD-10-CM order file (fixed width) and storing it as the index in use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core import icd10
from core.errors import InputError, NotFoundError
from core.icd10_index import IndexRow, decode
from core.icd10_order_file import load_order_file, parse_order_file, release_name

FIXTURE = Path(__file__).parent / "icd10_data" / "icd10cm_order_2027.txt"


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    icd10.forget_loaded_index()
    yield
    icd10.forget_loaded_index()


def order_line(number: int, code: str, billable: bool, short: str, long: str) -> str:
    return f"{number:05d} {code:<7} {int(billable)} {short[:60]:<60} {long}"


def test_the_fixture_is_read_column_by_column() -> None:
    rows = parse_order_file(FIXTURE.read_text(encoding="utf-8"))
    assert len(rows) == 14
    assert rows[0] == IndexRow("A00", False, "Cholera")
    assert IndexRow("L570", True, "Actinic keratosis") in rows
    # the long description is used, not the abbreviated short one
    assert IndexRow("S0101XD", True, "Laceration without foreign body of scalp, subsequent encounter") in rows
    assert sum(row.billable for row in rows) == 9


def test_a_line_without_long_description_uses_the_short_one() -> None:
    text = order_line(1, "A00", False, "Cholera", "") + "\n" + order_line(2, "A000", True, "Cholera x", "")
    assert parse_order_file(text)[1] == IndexRow("A000", True, "Cholera x")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("A00 Cholera", "too short"),
        ("0000A A00     0 Cholera" + " " * 60, "order number"),
        ("00001;A00     0 Cholera" + " " * 60, "columns"),
        ("00001  A00    0 Cholera" + " " * 60, "column 7"),
        ("00001 A0-0    0 Cholera" + " " * 60, "not an ICD-10-CM code"),
        ("00001 A00     2 Cholera" + " " * 60, "column 15"),
        ("00001 A00     0 " + " " * 70, "description is missing"),
    ],
)
def test_bad_lines_are_named(line: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as err:
        parse_order_file(line + "\n", source_name="The file x.txt")
    assert "line 1" in err.value.text
    assert "Nothing was changed" in err.value.text


def test_duplicate_codes_and_flags_that_contradict_the_tree_are_refused() -> None:
    twice = "\n".join([order_line(1, "A000", True, "x", "x"), order_line(2, "A000", True, "x", "x")])
    with pytest.raises(InputError, match="listed twice"):
        parse_order_file(twice)
    billable_parent = "\n".join([order_line(1, "L57", True, "x", "x"), order_line(2, "L570", True, "y", "y")])
    with pytest.raises(InputError, match="L57 is marked billable but has codes below it"):
        parse_order_file(billable_parent)
    lonely_heading = order_line(1, "L57", False, "x", "x")
    with pytest.raises(InputError, match="L57 is marked as a heading but has no codes below it"):
        parse_order_file(lonely_heading)


def test_only_the_first_problems_are_listed() -> None:
    text = "\n".join(f"bad line {n}" for n in range(10))
    with pytest.raises(InputError, match=r"\(and 7 more\)"):
        parse_order_file(text)


@pytest.mark.parametrize(
    ("name", "release"),
    [
        ("icd10cm_order_2027.txt", "ICD-10-CM FY2027"),
        ("icd10cm-order-April-2025.txt", "ICD-10-CM FY2025, April 1, 2025 update"),
        ("icd10cm_order_2026_april.txt", "ICD-10-CM FY2026, April 1, 2026 update"),
        ("icd10cm-order-October-2026.txt", "ICD-10-CM FY2027"),
        ("codes.txt", "ICD-10-CM (codes.txt)"),
    ],
)
def test_release_names_from_file_names(name: str, release: str) -> None:
    assert release_name(name) == release


def test_loading_stores_an_index_that_takes_precedence(tmp_path: Path) -> None:
    target = icd10.user_index_path()
    loaded = load_order_file(FIXTURE, target, min_codes=1)
    assert (loaded.release, loaded.codes, loaded.billable, loaded.path) == ("ICD-10-CM FY2027", 14, 9, target)
    assert decode(target.read_bytes()).find("L570") == IndexRow("L570", True, "Actinic keratosis")
    icd10.forget_loaded_index()
    assert icd10.release() == "ICD-10-CM FY2027"
    assert icd10.active_index().origin == "loaded"
    assert icd10.is_billable("S01.01XS")
    assert icd10.lookup("C44.311") is None  # the fixture does not list it: the loaded set is used alone


def test_a_short_file_is_refused_and_nothing_replaced() -> None:
    target = icd10.user_index_path()
    load_order_file(FIXTURE, target, min_codes=1)
    before = target.read_bytes()
    with pytest.raises(InputError, match="lists only 14 codes"):
        load_order_file(FIXTURE, target)
    assert target.read_bytes() == before


def test_a_missing_or_unreadable_file_is_a_known_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        load_order_file(tmp_path / "nope.txt", icd10.user_index_path())
    with pytest.raises(InputError, match="cannot be read"):
        load_order_file(tmp_path, icd10.user_index_path())
    assert not icd10.user_index_path().exists()


def test_a_damaged_loaded_index_falls_back_to_the_shipped_one() -> None:
    target = icd10.user_index_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"garbage")
    active = icd10.active_index()
    assert active.origin == "shipped"
    assert active.problem is not None and str(target) in active.problem
    assert icd10.is_billable("L57.0")


def test_windows_1252_text_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "icd10cm_order_2027.txt"
    lines = [
        order_line(1, "M14", False, "Charcôt", "Charcôt's arthropathy"),
        order_line(2, "M146", True, "x", "y"),
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    load_order_file(path, icd10.user_index_path(), min_codes=1)
    icd10.forget_loaded_index()
    found = icd10.lookup("M14")
    assert found is not None and found.description == "Charcôt's arthropathy"
