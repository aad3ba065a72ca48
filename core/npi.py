"""National Provider Identifier (NPI) checks: ten digits, first digit 1 or 2, and a Luhn check digit.

CMS computes the check digit as if the card-issuer prefix ``80840`` stood before the NPI; that prefix
adds a constant 24 to the Luhn sum of the ten digits, so the total (with the 24) must end in 0.
Test vectors from the CMS example: ``1234567893`` is valid, ``1234567890`` is not.
"""

from __future__ import annotations

from core.errors import InputError

#: what the ``80840`` prefix contributes to the Luhn sum of an NPI
PREFIX_LUHN_CONSTANT = 24


def _luhn_sum(digits: str) -> int:
    """Luhn sum: from the right, every second digit (left of the check digit) is doubled."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def npi_problem(npi: str) -> str | None:
    """Why ``npi`` is not a valid NPI, in plain words, or ``None`` when it is valid."""
    text = npi.strip()
    if not text:
        return "the NPI is empty; type the provider's 10-digit NPI"
    if not text.isascii() or not text.isdigit():
        return f"“{npi}” is not an NPI: an NPI is 10 digits, with no letters, spaces or dashes"
    if len(text) != 10:
        return f"“{npi}” has {len(text)} digits; an NPI has exactly 10"
    if text[0] not in "12":
        return f"“{npi}” is not an NPI: an NPI starts with 1 or 2"
    if (_luhn_sum(text) + PREFIX_LUHN_CONSTANT) % 10 != 0:
        return f"“{npi}” fails the NPI check digit; one of the digits is probably mistyped"
    return None


def is_valid_npi(npi: str) -> bool:
    """True when ``npi`` is 10 digits, starts with 1 or 2 and has the right check digit."""
    return npi_problem(npi) is None


def check_digit(first_nine: str) -> str:
    """The check digit that completes the nine digits ``first_nine`` into a valid NPI."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("need exactly nine digits")
    total = _luhn_sum(first_nine + "0") + PREFIX_LUHN_CONSTANT
    return str((10 - total % 10) % 10)


def validate_npi(npi: str, *, field: str = "npi") -> str:
    """Return the NPI without surrounding spaces, or raise ``InputError`` naming ``field``."""
    problem = npi_problem(npi)
    if problem is not None:
        raise InputError(f"{field}: {problem}. Check it on the provider's NPI letter.", field=field)
    return npi.strip()
