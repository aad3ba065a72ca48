"""Reading JSON that comes from outside the program (``superbill code``, ``superbill import``) safely.

``load_json`` is the one guard both commands use: it refuses, in plain words, what Python's ``json``
module would otherwise accept or choke on — ``NaN``/``Infinity`` and numbers too large to be finite,
numbers with more digits than any real value has (Python refuses 4300 digits only, and slowly), and
values nested deeper than any real input (which would otherwise end in a ``RecursionError``).
``lone_surrogate`` finds text that is not text (a ``"\\ud800"`` escape), which SQLite and UTF-8 output
cannot hold, so each command can refuse it naming the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

#: most levels of nested objects and lists (``{"encounters": [{"lesions": [{}]}]}`` is 5 levels)
MAX_DEPTH = 20
#: most digits in one JSON number (a count, a size): 64-bit integers have 19, doubles 17 significant
MAX_NUMBER_DIGITS = 30


class JsonInputError(ValueError):
    """The text cannot be read as JSON; ``text`` is the full sentence saying why."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _NumberError(ValueError):
    """A number the guard refuses (raised from inside the parser's hooks)."""


def load_json(
    text: str,
    *,
    subject: str = "The input",
    max_depth: int = MAX_DEPTH,
    max_digits: int = MAX_NUMBER_DIGITS,
) -> object:
    """The JSON value in ``text``, or ``JsonInputError`` saying (about ``subject``) why it is refused.

    Refused: empty text, malformed JSON, ``NaN``/``Infinity`` (and numbers such as ``1e999`` that are
    infinite), a number with more than ``max_digits`` digits, nesting deeper than ``max_depth``.
    """
    if not text.strip():
        raise JsonInputError(f"{subject} is empty. Give the data as one JSON object.")

    def whole(literal: str) -> int:
        _check_digits(literal, max_digits)
        return int(literal)

    def decimal(literal: str) -> float:
        _check_digits(literal, max_digits)
        value = float(literal)
        if not math.isfinite(value):
            raise _NumberError(
                f"holds the number {literal[:20]}, too large to be a real value. Check the numbers."
            )
        return value

    def constant(name: str) -> object:
        raise _NumberError(f"contains {name}, which is not a number. Write a plain number instead.")

    try:
        value = json.loads(text, parse_int=whole, parse_float=decimal, parse_constant=constant)
    except json.JSONDecodeError as err:
        raise JsonInputError(
            f"{subject} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})."
        ) from None
    except _NumberError as err:
        raise JsonInputError(f"{subject} {err}") from None
    except RecursionError:
        raise JsonInputError(_too_deep(subject, max_depth)) from None
    if depth(value) > max_depth:
        raise JsonInputError(_too_deep(subject, max_depth))
    return value


def _check_digits(literal: str, max_digits: int) -> None:
    digits = sum(ch.isdigit() for ch in literal)
    if digits > max_digits:
        raise _NumberError(
            f"holds a number too long to be read ({digits} digits, at most {max_digits}): "
            f"{literal[:12]}…. Check the numbers."
        )


def _too_deep(subject: str, max_depth: int) -> str:
    return (
        f"{subject} is nested too deeply: more than {max_depth} levels of {{…}} and […] inside each "
        "other, which no real data has."
    )


def _children(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        yield from value.values()
    elif isinstance(value, list):
        yield from value


def depth(value: object) -> int:
    """Levels of objects and lists: 0 for a number or text, 1 for ``[]`` or ``{}``, 2 for ``[[]]``…"""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in _children(item))
    return deepest


def has_lone_surrogate(text: str) -> bool:
    """True when ``text`` holds half of a UTF-16 pair (``"\\ud800"`` in JSON): not a character at all."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def field_name(key: str) -> str:
    """A key as it may be shown in a message: broken characters written as ``\\ud800`` escapes."""
    return json.dumps(key)[1:-1] if has_lone_surrogate(key) else key


def lone_surrogate(value: object, where: str = "") -> str | None:
    """The path (``lesions[0].site``) of the first key or text in ``value`` holding a lone surrogate.

    ``where`` is the path of ``value`` itself; ``""`` for the top. Returns ``None`` when there is none.
    """
    stack = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if has_lone_surrogate(item):
                return path or "(the value)"
        elif isinstance(item, dict):
            names = {key: f"{path}.{field_name(key)}" if path else field_name(key) for key in item}
            broken = next((names[key] for key in item if has_lone_surrogate(key)), None)
            if broken is not None:
                return broken
            stack.extend((child, names[key]) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in reversed(list(enumerate(item))))
    return None
