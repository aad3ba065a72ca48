"""The ICD-10-CM code set: known codes, headings, 7th characters, normalisation, search."""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import icd10


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    """Each test reads the index for its own data folder, and leaves no loaded index behind."""
    icd10.forget_loaded_index()
    yield
    icd10.forget_loaded_index()


BILLABLE = {
    "L57.0": "Actinic keratosis",
    "C44.311": "Basal cell carcinoma of skin of nose",
    "L82.1": "Other seborrheic keratosis",
    "L82.0": "Inflamed seborrheic keratosis",
    "S01.01XA": "Laceration without foreign body of scalp, initial encounter",
    "D18.01": "Hemangioma of skin and subcutaneous tissue",
    "I78.1": "Nevus, non-neoplastic",
    "L91.8": "Other hypertrophic disorders of the skin",
    "B07.9": "Viral wart, unspecified",
    "A63.0": "Anogenital (venereal) warts",
    "Z00.00": "Encounter for general adult medical examination without abnormal findings",
    "B20": "Human immunodeficiency virus [HIV] disease",  # a billable 3-character category
}
HEADINGS = ["L57", "C44", "C44.31", "S01", "S01.0", "S01.01", "L82", "D18", "D18.0", "B07", "Z00.0"]
NOT_CODES = ["S01.01X", "L57.7", "A00-A09", "", "X", "L5", "99213", "L57.00", "ZZZ.Z"]


@pytest.mark.parametrize(("code", "description"), sorted(BILLABLE.items()))
def test_known_billable_codes(code: str, description: str) -> None:
    found = icd10.lookup(code)
    assert found == icd10.Icd10Code(code, description, True)
    assert icd10.is_billable(code)
    assert icd10.is_billable(code.replace(".", "").lower())


@pytest.mark.parametrize("code", HEADINGS)
def test_headings_are_in_the_code_set_but_not_billable(code: str) -> None:
    found = icd10.lookup(code)
    assert found is not None
    assert found.code == code
    assert not found.billable
    assert found.description
    assert not icd10.is_billable(code)


@pytest.mark.parametrize("code", NOT_CODES)
def test_codes_outside_the_code_set(code: str) -> None:
    assert icd10.lookup(code) is None
    assert not icd10.is_billable(code)


def test_seventh_character_codes_follow_the_tabular_list() -> None:
    # S01.01 takes A/D/S with the placeholder X; the 6-character form without 7th character is not a code.
    assert [c.code for c in icd10.search("S01.01X")] == ["S01.01XA", "S01.01XD", "S01.01XS"]
    # A 3-character category with 7th characters is padded with three placeholders (T71 is not; T78 subcats).
    assert icd10.is_billable("T78.40XA")
    assert not icd10.is_billable("T78.40X")
    # Fracture extensions beyond A/D/S exist only where the tabular list defines them.
    assert icd10.is_billable("S52.501B")
    assert not icd10.is_billable("S01.01XB")


def test_release_and_counts_of_the_shipped_index() -> None:
    assert icd10.release() == "ICD-10-CM FY2026, April 1, 2026 update"
    active = icd10.active_index()
    assert active.origin == "shipped"
    assert active.problem is None
    assert active.data.counts() == (98_186, 74_719)


def test_all_codes_are_in_code_order_and_normalised() -> None:
    codes = list(icd10.all_codes())
    assert len(codes) == 98_186
    bare = [c.code.replace(".", "") for c in codes]
    assert bare == sorted(bare)
    assert sum(c.billable for c in codes) == 74_719
    assert all(icd10.normalize(c.code) == c.code and c.description for c in codes)
    # no chapters or blocks
    assert not any("-" in c.code for c in codes)


def test_a_billable_code_never_has_codes_below_it() -> None:
    bare = [(c.code.replace(".", ""), c.billable) for c in icd10.all_codes()]
    for (code, billable), (after, _) in itertools.pairwise(bare):
        has_child = after.startswith(code)
        assert billable != has_child, code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("l570 ", "L57.0"),
        ("C44311", "C44.311"),
        ("L57", "L57"),
        (" s01.01xa", "S01.01XA"),
        ("l 57.0", "L57.0"),
        ("", ""),
        ("l5", "L5"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert icd10.normalize(raw) == expected


CODE_SHAPE = re.compile(r"[A-Za-z][0-9][0-9A-Za-z]([0-9A-Za-z]{1,4})?", re.ASCII)
code_like = st.from_regex(CODE_SHAPE, fullmatch=True)


@settings(max_examples=200)
@given(code_like, st.sampled_from(["", " ", "\t"]), st.booleans())
def test_normalize_is_canonical(code: str, padding: str, dotted: bool) -> None:
    variant = f"{padding}{code[:3]}.{code[3:]}{padding}" if dotted and len(code) > 3 else padding + code
    result = icd10.normalize(variant)
    assert result == icd10.normalize(code.upper())
    assert icd10.normalize(result) == result
    assert result.replace(".", "") == code.upper()
    assert ("." in result) == (len(code) > 3)
    if len(code) > 3:
        assert result.index(".") == 3


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_lookup_ignores_how_a_real_code_is_written(data: st.DataObject) -> None:
    codes = _sample_codes()
    code = data.draw(st.sampled_from(codes))
    bare = code.replace(".", "")
    variants = [bare, bare.lower(), f" {code.lower()} ", code]
    found = {icd10.lookup(v) for v in variants}
    assert len(found) == 1
    record = found.pop()
    assert record is not None
    assert record.code == code


@functools.cache
def _sample_codes() -> list[str]:
    return [c.code for i, c in enumerate(icd10.all_codes()) if i % 97 == 0]


def test_search_by_code_prefix_lists_billable_codes_first() -> None:
    found = icd10.search("l57")
    expected = ["L57.0", "L57.1", "L57.2", "L57.3", "L57.4", "L57.5", "L57.8", "L57.9", "L57"]
    assert [c.code for c in found] == expected


def test_search_by_words_needs_every_word() -> None:
    found = icd10.search("actinic KERATOSIS")
    assert "L57.0" in [c.code for c in found]
    assert all("actinic" in c.description.lower() and "keratosis" in c.description.lower() for c in found)
    billable_flags = [c.billable for c in icd10.search("seborrheic keratosis", limit=50)]
    assert billable_flags == sorted(billable_flags, reverse=True)


def test_search_limits_and_empty_queries() -> None:
    assert len(icd10.search("S", limit=7)) == 7
    assert icd10.search("   ") == []
    assert icd10.search("l57", limit=0) == []
    assert icd10.search("no such words anywhere zzq") == []


HAS_PACKAGE = importlib.util.find_spec("simple_icd_10_cm") is not None


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the package uses importlib.resources.read_text
@pytest.mark.skipif(not HAS_PACKAGE, reason="simple-icd-10-cm not installed")
def test_billable_codes_match_the_package_is_leaf() -> None:
    import simple_icd_10_cm as cm  # type: ignore[import-untyped]

    ours = {c.code: c.billable for c in icd10.all_codes()}
    theirs = [code for code in cm.get_all_codes(with_dots=True) if not cm.is_chapter(code)]
    blocks = {code for code in theirs if cm.is_block(code)}
    package_codes = {code for code in theirs if code not in blocks}
    package_leaves = {code for code in package_codes if cm.is_leaf(code)}
    assert package_codes <= set(ours)
    assert package_leaves == {code for code in package_codes if ours[code]}
    # The package files a code that shares its name with a one-category block (B20, F99, ...) under
    # the block; ours keeps the code. Those are the only differences.
    assert set(ours) - package_codes <= blocks
    assert {code for code in blocks if ours.get(code)} == {"B20", "F99", "P84", "R99", "Z66"}
