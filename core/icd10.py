"""The ICD-10-CM code set: is a diagnosis code real, is it billable, what does it mean.

The full code set ships as a small compressed index in ``resources/icd10cm/`` (built by
``python -m core.icd10_build``). A newer CMS release loaded with ``superbill icd10 load`` is kept in
the user data folder and takes precedence. The active index is read once, on the first question.

Codes are compared without their dot and written with it (``L570`` = ``l57.0 `` → ``L57.0``).
Category headings and other codes with subdivisions are in the code set but not billable: a claim
must carry a complete code (``L57`` is a heading, ``L57.0`` is billable; ``S01.01XA`` is billable,
``S01.01`` needs its 7th character).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from core import packaged
from core.icd10_index import IndexData, IndexFormatError, IndexRow, PartialIndex, decode
from core.record import Record

SHIPPED_PACKAGE = "resources.icd10cm"
SHIPPED_FILE = "icd10cm_index.tsv.gz"
USER_FOLDER = "icd10cm"
USER_FILE = "icd10cm_index.tsv.gz"


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class Icd10Code(Record):
    """One code of the code set: ``code`` with its dot; ``billable`` False for a heading."""

    code: str
    description: str
    billable: bool


class ActiveIndex(Record):
    """The index in use and where it came from.

    ``origin`` is ``"shipped"`` or ``"loaded"``; ``path`` is the user file for a loaded release;
    ``problem`` says why a loaded release could not be used (the shipped one is used instead).
    """

    data: IndexData
    origin: str
    path: Path | None
    problem: str | None = None


def _undotted(code: str) -> str:
    return "".join(code.split()).replace(".", "").upper()


def normalize(code: str) -> str:
    """The written form of a code: no spaces, upper case, a dot after the 3rd character if longer.

    ``"l570 "`` → ``"L57.0"``, ``"C44311"`` → ``"C44.311"``, ``"L57"`` → ``"L57"``. The result is not
    checked against the code set (use :func:`lookup` for that).
    """
    bare = _undotted(code)
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


def user_index_path() -> Path:
    """Where a loaded newer release is kept (it need not exist)."""
    from core.paths import data_dir

    return data_dir() / USER_FOLDER / USER_FILE


def _read_shipped() -> IndexData:
    return decode(packaged.read_bytes(SHIPPED_PACKAGE, SHIPPED_FILE))


@functools.cache
def active_index() -> ActiveIndex:
    """The index in use: a loaded release if there is a readable one, else the shipped one.

    A damaged user file never stops coding: it is logged, reported by ``superbill icd10 info``,
    and the shipped code set is used.
    """
    path = user_index_path()
    if path.is_file():
        try:
            return ActiveIndex(decode(path.read_bytes()), "loaded", path)
        except (OSError, IndexFormatError) as err:
            problem = f"the loaded ICD-10-CM file {path} cannot be read ({err}); using the built-in code set"
            import logging  # only when a loaded release is refused

            logging.getLogger(__name__).warning(problem)
            return ActiveIndex(_read_shipped(), "shipped", None, problem)
    return ActiveIndex(_read_shipped(), "shipped", None)


def forget_loaded_index() -> None:
    """Drop the cached index so the next question reads the files again (after a load, in tests)."""
    active_index.cache_clear()
    _partial_shipped.cache_clear()


@functools.cache
def _partial_shipped() -> PartialIndex | None:
    """The shipped index read only as far as lookups need, or None when a loaded release exists."""
    if user_index_path().is_file():
        return None
    return PartialIndex(packaged.read_bytes(SHIPPED_PACKAGE, SHIPPED_FILE))


def _find(code: str) -> IndexRow | None:
    """The row of ``code`` in the index in use.

    Until something needs the whole index (a search, the release name), a lookup in the shipped
    code set decompresses it only as far as the code: one ``superbill code`` call asks about a few
    codes and should not pay for the ~98,000 others.
    """
    bare = _undotted(code)
    if active_index.cache_info().currsize == 0:
        partial = _partial_shipped()
        if partial is not None:
            return partial.find(bare)
    return active_index().data.find(bare)


def _record(row: IndexRow) -> Icd10Code:
    return Icd10Code(code=normalize(row.code), description=row.description, billable=row.billable)


def lookup(code: str) -> Icd10Code | None:
    """The code's record, or None when it is not in the code set at all (headings are included)."""
    row = _find(code)
    return None if row is None else _record(row)


def is_billable(code: str) -> bool:
    """True only for a complete code that may go on a claim."""
    row = _find(code)
    return row is not None and row.billable


def release() -> str:
    """The release in use, e.g. ``ICD-10-CM FY2026, April 1, 2026 update``."""
    return active_index().data.release


def all_codes() -> Iterator[Icd10Code]:
    """Every code of the code set in code order, headings included."""
    return (_record(row) for row in active_index().data.rows())


def search(query: str, limit: int = 20) -> list[Icd10Code]:
    """Codes that start with ``query`` (``l57`` finds L57.0), else codes whose description holds
    every word of it (``actinic keratosis``); billable codes first, each group in code order.
    An empty query finds nothing.
    """
    words = query.lower().split()
    if not words or limit <= 0:
        return []
    data = active_index().data
    matches = list(data.rows_with_prefix(_undotted(query)))
    if not matches:
        matches = list(data.rows_describing(words))
    ordered = [row for row in matches if row.billable] + [row for row in matches if not row.billable]
    return [_record(row) for row in ordered[:limit]]
