"""Cents to text and back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InputError
from core.money import format_cents, parse_dollars


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "$0.00"), (5, "$0.05"), (24500, "$245.00"), (123456789, "$1,234,567.89"), (-500, "-$5.00")],
)
def test_format(cents: int, text: str) -> None:
    assert format_cents(cents) == text


@pytest.mark.parametrize("bad", ["", "abc", "-5", "1.234", "nan", "inf"])
def test_parse_rejects_with_field_name(bad: str) -> None:
    with pytest.raises(InputError) as info:
        parse_dollars(bad, field="Fee for 17000")
    assert "Fee for 17000" in str(info.value)


@given(st.integers(min_value=0, max_value=10**12))
def test_round_trip(cents: int) -> None:
    assert parse_dollars(format_cents(cents)) == cents
