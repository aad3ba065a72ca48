"""NPI validation: the CMS check digit (Luhn with the 80840 prefix) and the plain-words messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InputError
from core.npi import check_digit, is_valid_npi, npi_problem, validate_npi


@pytest.mark.parametrize(
    ("npi", "valid"),
    [("1234567893", True), ("1234567890", False), ("1558598797", True), ("1558598798", False)],
)
def test_published_vectors(npi: str, valid: bool) -> None:
    assert is_valid_npi(npi) is valid


@pytest.mark.parametrize(
    ("npi", "words"),
    [
        ("", "empty"),
        ("123456789", "9 digits"),
        ("12345678933", "11 digits"),
        ("12345-6789", "no letters, spaces or dashes"),
        ("3234567893", "starts with 1 or 2"),
        ("1234567890", "check digit"),
    ],
)
def test_problems_are_explained(npi: str, words: str) -> None:
    problem = npi_problem(npi)
    assert problem is not None and words in problem


def test_validate_names_the_field_and_strips_spaces() -> None:
    assert validate_npi(" 1234567893 ") == "1234567893"
    with pytest.raises(InputError) as err:
        validate_npi("1234567890", field="provider_npi")
    assert err.value.field == "provider_npi"
    assert err.value.text.startswith("provider_npi:")


@given(st.sampled_from("12"), st.text("0123456789", min_size=8, max_size=8))
def test_check_digit_completes_a_valid_npi_and_every_other_digit_fails(first: str, rest: str) -> None:
    nine = first + rest
    good = check_digit(nine)
    assert is_valid_npi(nine + good)
    for other in "0123456789":
        if other != good:
            assert not is_valid_npi(nine + other)


@given(st.text("0123456789", min_size=10, max_size=10).filter(lambda s: s[0] in "12"), st.integers(0, 9))
def test_a_single_mistyped_digit_is_caught(npi: str, position: int) -> None:
    nine = npi[:9]
    valid = nine + check_digit(nine)
    changed = valid[:position] + str((int(valid[position]) + 1) % 10) + valid[position + 1 :]
    if changed[0] in "12":
        assert not is_valid_npi(changed)
