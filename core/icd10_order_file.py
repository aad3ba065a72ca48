"""Load a newer ICD-10-CM release from a CMS/CDC "order" file into the user data folder.

CMS and the CDC publish each release with a fixed-width file ``icd10cm_order_YYYY.txt`` (in the
"Code Descriptions in Tabular Order" download). Each line, by 1-based column:

======  ======  ===========================================================
column  length  content
======  ======  ===========================================================
1       5       order number, right-justified, zero-filled
6       1       blank
7       7       the code without its dot, left-justified, padded with blanks
14      1       blank
15      1       ``1`` if the code is valid on a claim, ``0`` for a heading
16      1       blank
17      60      short description
77      1       blank
78      ≤ 323   long description
======  ======  ===========================================================

The file is checked completely before anything is stored, and stored with one atomic file
replacement: a bad file changes nothing. The loaded index then takes precedence over the shipped one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from core.errors import InputError, NotFoundError
from core.icd10_index import IndexRow, encode, write_atomically

#: a real release lists about 98,000 codes (74,000+ billable); far fewer means the wrong file
MIN_CODES = 70_000
MAX_PROBLEMS_SHOWN = 3
_CODE = re.compile(r"[A-Z][0-9A-Z][0-9A-Z]([0-9A-Z]{1,4})?")
_MONTH = re.compile(
    r"(?<![a-z])(january|february|march|april|may|june|july|august|september|october|november|december)(?![a-z])"
)


@dataclass(frozen=True)
class LoadedRelease:
    """What :func:`load_order_file` stored: the release name, counts and the file written."""

    release: str
    codes: int
    billable: int
    path: Path


def release_name(file_name: str) -> str:
    """The release a CMS/CDC file name describes.

    ``icd10cm_order_2027.txt`` → ``ICD-10-CM FY2027``; ``icd10cm-order-April-2025.txt`` →
    ``ICD-10-CM FY2025, April 1, 2025 update``; a name without a year → ``ICD-10-CM (NAME)``.
    """
    lowered = file_name.lower()
    year = re.search(r"(?<!\d)(20\d\d)(?!\d)", lowered)
    if year is None:
        return f"ICD-10-CM ({file_name})"
    calendar_year = int(year.group(1))
    month = _MONTH.search(lowered)
    if month is None:  # CMS names the October release by its fiscal year
        return f"ICD-10-CM FY{calendar_year}"
    if month.group(1) in ("october", "november", "december"):
        return f"ICD-10-CM FY{calendar_year + 1}"
    return f"ICD-10-CM FY{calendar_year}, {month.group(1).capitalize()} 1, {calendar_year} update"


def _text_of(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise NotFoundError(f"The file {path} does not exist. Check the name and folder.") from err
    except OSError as err:
        raise InputError(f"The file {path} cannot be read ({err.strerror}).") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _problem(line: str) -> str | None:
    """Why ``line`` is not an order-file line, or None when it is one."""
    if len(line) < 17:
        return "the line is too short"
    if not line[:5].isdigit():
        return "columns 1-5 should hold the order number"
    if line[5] != " " or line[13] != " " or line[15] != " ":
        return "the columns are not where an order file has them"
    if line[6] == " ":
        return "the code does not start in column 7"
    if not _CODE.fullmatch(line[6:13].rstrip()):
        return f"{line[6:13].strip()!r} is not an ICD-10-CM code"
    if line[14] not in "01":
        return "column 15 should be 1 (billable) or 0 (heading)"
    if not line[16:].strip():
        return "the description is missing"
    return None


def parse_order_file(text: str, *, source_name: str = "the file") -> list[IndexRow]:
    """Every code of an order file, checked; raises :class:`InputError` naming the bad lines."""
    rows: list[IndexRow] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        problem = _problem(line)
        code = line[6:13].strip()
        if problem is None and code in seen:
            problem = f"code {code} is listed twice"
        if problem is not None:
            problems.append(f"line {number}: {problem}")
            continue
        seen.add(code)
        description = (line[77:] if len(line) > 77 else line[16:]).strip() or line[16:76].strip()
        rows.append(IndexRow(code, line[14] == "1", description))
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        extra = len(problems) - MAX_PROBLEMS_SHOWN
        more = f" (and {extra} more)" if extra > 0 else ""
        raise InputError(
            f"{source_name} is not a CMS ICD-10-CM order file: {shown}{more}. Use the file named "
            "like icd10cm_order_2027.txt from the CMS or CDC ICD-10-CM download. Nothing was changed."
        )
    problems = list(_hierarchy_problems(rows))
    if problems:
        raise InputError(
            f"{source_name} has codes whose billable flag does not fit the code tree: "
            f"{'; '.join(problems[:MAX_PROBLEMS_SHOWN])}. Nothing was changed."
        )
    return rows


def _hierarchy_problems(rows: list[IndexRow]) -> Iterator[str]:
    """A billable code has no subdivisions; a heading has at least one."""
    codes = sorted(row.code for row in rows)
    has_child = {a for a, b in pairwise(codes) if b.startswith(a)}
    for row in rows:
        if row.billable and row.code in has_child:
            yield f"{row.code} is marked billable but has codes below it"
        elif not row.billable and row.code not in has_child:
            yield f"{row.code} is marked as a heading but has no codes below it"


def load_order_file(path: Path, target: Path, *, min_codes: int = MIN_CODES) -> LoadedRelease:
    """Check the order file at ``path`` and store it as the index ``target`` (atomically).

    ``min_codes`` guards against loading a partial or wrong file that would make almost every
    diagnosis look invalid.
    """
    rows = parse_order_file(_text_of(path), source_name=f"The file {path.name}")
    if len(rows) < min_codes:
        raise InputError(
            f"The file {path.name} lists only {len(rows):,} codes; a complete ICD-10-CM release lists "
            f"about 98,000. Load the full icd10cm_order file. Nothing was changed."
        )
    release = release_name(path.name)
    loaded_on = datetime.now(UTC).date().isoformat()
    write_atomically(target, encode(release, f"CMS order file {path.name}, loaded {loaded_on}", rows))
    return LoadedRelease(release, len(rows), sum(row.billable for row in rows), target)
