"""What a search says about a new patient: only "Last, First" and a date of birth (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.typed_names import capitalised, read_search


@pytest.mark.parametrize(
    ("typed", "first", "last", "born"),
    [
        ("sam", "", "", None),  # one word: first or last? not guessed
        ("o'brien-smith tom", "", "", None),  # the search takes any order: not guessed either
        ("o'brien-smith, tom", "Tom", "O'Brien-Smith", None),
        ("McDonald, Ann 03/14/1948", "Ann", "McDonald", date(1948, 3, 14)),
        ("de la cruz, maria", "Maria", "de la Cruz", None),
        ("1948-03-14", "", "", date(1948, 3, 14)),
        (", ann", "", "", None),
    ],
)
def test_only_what_is_unambiguous_is_taken(typed: str, first: str, last: str, born: date | None) -> None:
    taken = read_search(typed)
    assert (taken.first_name, taken.last_name, taken.date_of_birth) == (first, last, born)
    assert bool(taken.said) == bool(last or born)


def test_capitals_typed_are_kept() -> None:
    assert capitalised("McDonald") == "McDonald"
    assert capitalised("van der berg") == "van der Berg"
    assert capitalised("anna-maria") == "Anna-Maria"


@given(st.text(alphabet="abcdefghij -'", max_size=30))
def test_capitalising_changes_only_letter_case_and_spacing(name: str) -> None:
    assert capitalised(name).lower() == " ".join(name.split()).lower()
