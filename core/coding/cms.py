"""The official CMS Medicare tables in use: fee-schedule RVUs (per year), MUEs and NCCI PTP edits.

Two places hold them. ``resources/cms/`` ships extracts of the official files for the codes the
program bills (``releases.json`` names each release; ``PROVENANCE.md`` says where each was read).
``superbill tables load`` stores a newer official file, reduced to those codes, as JSON in the user
data folder (``<data folder>/cms/``); a stored table is read in preference to the shipped one of the
same kind (for the RVUs: of the same year). Both use one row layout — the columns of the shipped CSV
files — and pass the same checks here, so a value is either the official one or refused.

A stored file that cannot be read never stops coding: it is logged, named by ``superbill tables
info``, and the shipped table is used. The tables are read once per process and data folder;
:func:`forget` drops them (after a load).

Nothing here knows a CMS number: every value comes from a file.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core import packaged
from core.record import Record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any

SHIPPED_PACKAGE = "resources.cms"
MANIFEST = "releases.json"
USER_FOLDER = "cms"
FORMAT = "superbill-cms-table"
FORMAT_VERSION = 1

RVU = "rvu"
MUE = "mue"
PTP = "ptp"
KINDS = (RVU, MUE, PTP)

#: the columns of the shipped extracts, and of the rows a loaded table stores
RVU_COLUMNS = (
    "hcpcs",
    "mod",
    "status_code",
    "work_rvu",
    "nonfac_pe_rvu",
    "facility_pe_rvu",
    "mp_rvu",
    "nonfac_total_rvu",
    "facility_total_rvu",
    "pctc_ind",
    "global_days",
    "mult_proc_ind",
    "conversion_factor",
)
MUE_COLUMNS = ("hcpcs", "mue_value", "mai", "mai_text", "mue_rationale")
PTP_COLUMNS = ("column1", "column2", "effective_date", "deletion_date", "modifier_indicator", "ncci_versions")
COLUMNS = {RVU: RVU_COLUMNS, MUE: MUE_COLUMNS, PTP: PTP_COLUMNS}

_CODE = re.compile(r"[0-9A-Z]{5}")
_GLOBAL = re.compile(r"\d{3}|[A-Z]{3}")
_MAI = ("1", "2", "3")
_PTP_INDICATORS = ("0", "1", "9")


class CmsTableError(ValueError):
    """A row or file of a CMS table does not have the shape the program expects."""


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class Release(Record):
    """Which release a table is, and where it came from (``origin`` is ``shipped`` or ``loaded``)."""

    kind: str
    name: str
    origin: str
    source: str
    confidence: str
    year: int | None = None
    path: Path | None = None


class RvuFacts(Record):
    """One code's row of a Physician Fee Schedule Relative Value File (the global service)."""

    code: str
    status: str
    work: Decimal
    pe_non_facility: Decimal
    pe_facility: Decimal
    mp: Decimal
    total_non_facility: Decimal
    total_facility: Decimal
    pctc: str
    global_days: str
    mult_proc: str
    conversion_factor: Decimal


class RvuTable(Record, eq=False):
    """One year's RVUs for the program's codes (compared and hashed by identity)."""

    release: Release
    year: int
    conversion_factor: Decimal
    rows: dict[str, RvuFacts]


class MueFacts(Record):
    """A practitioner MUE: the value, the adjudication indicator (1, 2 or 3) and CMS's words."""

    code: str
    value: int
    mai: int
    mai_text: str
    rationale: str


class MueTable(Record, eq=False):
    """The practitioner MUE table for the program's codes (compared and hashed by identity)."""

    release: Release
    rows: dict[str, MueFacts]


class PtpPair(Record):
    """An NCCI PTP edit: ``column2`` with ``column1`` on one day, and its modifier indicator."""

    column1: str
    column2: str
    effective: date
    deletion: date | None
    modifier_indicator: str

    def in_force(self, day: date | None) -> bool:
        """In force on ``day`` (the deletion date is the last day); ``None``: not deleted in the file."""
        if day is None:
            return self.deletion is None
        return self.effective <= day and (self.deletion is None or day <= self.deletion)


class PtpTable(Record, eq=False):
    """PTP pairs and what they cover: a pair outside the coverage is not decided by this table.

    The shipped extract covers pairs whose both codes are in ``codes``; a loaded CMS part file covers
    the pairs whose column-1 code lies in one of ``column1_ranges`` (a part holds a range of them).
    Compared and hashed by identity.
    """

    release: Release
    pairs: tuple[PtpPair, ...]
    codes: frozenset[str] | None = None
    column1_ranges: tuple[tuple[str, str], ...] = ()

    def covers(self, column1: str, column2: str) -> bool:
        """True when this table decides whether ``column1``/``column2`` is an edit."""
        if self.codes is not None:
            return column1 in self.codes and column2 in self.codes
        return any(low <= column1 <= high for low, high in self.column1_ranges)


class ActiveTables(Record):
    """The tables in use: RVUs by year, the MUE table, PTP tables (loaded first), and any problem."""

    rvu: dict[int, RvuTable]
    mue: MueTable
    ptp: tuple[PtpTable, ...]
    problems: tuple[str, ...] = ()


# -- rows ---------------------------------------------------------------------------------------------


def _decimal(row: dict[str, str], column: str) -> Decimal:
    try:
        value = Decimal(row[column])
    except (InvalidOperation, KeyError) as err:
        raise CmsTableError(f"{column} {row.get(column)!r} is not a number") from err
    if not value.is_finite() or value < 0:
        raise CmsTableError(f"{column} {row[column]!r} is not a number of 0 or more")
    return value


def _code(value: str, column: str) -> str:
    if not _CODE.fullmatch(value):
        raise CmsTableError(f"{column} {value!r} is not a HCPCS/CPT code")
    return value


def rvu_facts(row: dict[str, str]) -> RvuFacts:
    """One RVU row, checked: numbers are numbers and work + PE + MP equals both totals."""
    code = _code(row["hcpcs"], "hcpcs")
    if row["mod"]:
        raise CmsTableError(f"{code}: only the global service (no modifier) is used, not {row['mod']!r}")
    facts = RvuFacts(
        code=code,
        status=row["status_code"],
        work=_decimal(row, "work_rvu"),
        pe_non_facility=_decimal(row, "nonfac_pe_rvu"),
        pe_facility=_decimal(row, "facility_pe_rvu"),
        mp=_decimal(row, "mp_rvu"),
        total_non_facility=_decimal(row, "nonfac_total_rvu"),
        total_facility=_decimal(row, "facility_total_rvu"),
        pctc=row["pctc_ind"],
        global_days=row["global_days"],
        mult_proc=row["mult_proc_ind"],
        conversion_factor=_decimal(row, "conversion_factor"),
    )
    if not re.fullmatch(r"[A-Z]", facts.status):
        raise CmsTableError(f"{code}: status code {facts.status!r} is not one letter")
    if not _GLOBAL.fullmatch(facts.global_days):
        raise CmsTableError(f"{code}: global days {facts.global_days!r} is not 000, 010, 090, XXX, ZZZ…")
    if not re.fullmatch(r"\d", facts.mult_proc) or not re.fullmatch(r"\d", facts.pctc):
        raise CmsTableError(f"{code}: the multiple-procedure and PC/TC indicators must be one digit")
    for label, total, pe in (
        ("non-facility", facts.total_non_facility, facts.pe_non_facility),
        ("facility", facts.total_facility, facts.pe_facility),
    ):
        if facts.work + pe + facts.mp != total:
            raise CmsTableError(f"{code}: work + PE + MP is not the {label} total ({total})")
    if facts.conversion_factor <= 0:
        raise CmsTableError(f"{code}: the conversion factor is missing")
    return facts


def mue_facts(row: dict[str, str]) -> MueFacts:
    """One MUE row, checked: a whole value and an adjudication indicator of 1, 2 or 3."""
    code = _code(row["hcpcs"], "hcpcs")
    if not row["mue_value"].isdigit():
        raise CmsTableError(f"{code}: MUE value {row['mue_value']!r} is not a whole number")
    if row["mai"] not in _MAI or not row["mai_text"].startswith(row["mai"]):
        raise CmsTableError(f"{code}: adjudication indicator {row['mai_text']!r} is not 1, 2 or 3")
    return MueFacts(code, int(row["mue_value"]), int(row["mai"]), row["mai_text"], row["mue_rationale"])


def _iso(value: str, column: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise CmsTableError(f"{column} {value!r} is not a date") from err


def ptp_pair(row: dict[str, str]) -> PtpPair:
    """One PTP row, checked: two codes, real dates in order, an indicator of 0, 1 or 9."""
    pair = PtpPair(
        column1=_code(row["column1"], "column1"),
        column2=_code(row["column2"], "column2"),
        effective=_iso(row["effective_date"], "effective_date"),
        deletion=_iso(row["deletion_date"], "deletion_date") if row["deletion_date"] else None,
        modifier_indicator=row["modifier_indicator"],
    )
    if pair.modifier_indicator not in _PTP_INDICATORS:
        raise CmsTableError(f"{pair.column1}/{pair.column2}: modifier indicator must be 0, 1 or 9")
    if pair.deletion is not None and pair.deletion < pair.effective:
        raise CmsTableError(f"{pair.column1}/{pair.column2}: deleted before it took effect")
    return pair


def _unique(codes: list[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise CmsTableError(f"{what} {code} is listed twice")
        seen.add(code)


def rvu_table(release: Release, year: int, rows: list[dict[str, str]]) -> RvuTable:
    """An RVU table from rows; every row must carry the same conversion factor."""
    facts = [rvu_facts(row) for row in rows]
    _unique([f.code for f in facts], "code")
    factors = {f.conversion_factor for f in facts}
    if len(factors) != 1:
        raise CmsTableError("the rows do not share one conversion factor")
    return RvuTable(release, year, factors.pop(), {f.code: f for f in facts})


def mue_table(release: Release, rows: list[dict[str, str]]) -> MueTable:
    """An MUE table from rows."""
    facts = [mue_facts(row) for row in rows]
    _unique([f.code for f in facts], "code")
    return MueTable(release, {f.code: f for f in facts})


# -- reading --------------------------------------------------------------------------------------------


def read_csv_rows(text: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV file in the extract layout; its header must be exactly ``columns``."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header) != columns:
        raise CmsTableError(f"the header is not {', '.join(columns)}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if len(cells) != len(columns):
            raise CmsTableError(f"line {number} has {len(cells)} columns, not {len(columns)}")
        rows.append(dict(zip(columns, cells, strict=True)))
    return rows


def _manifest() -> list[dict[str, Any]]:
    text = packaged.read_text(SHIPPED_PACKAGE, MANIFEST)
    releases: list[dict[str, Any]] = json.loads(text)["releases"]
    return releases


def _shipped_text(name: str) -> str:
    return packaged.read_text(SHIPPED_PACKAGE, name)


@functools.cache
def shipped() -> ActiveTables:
    """The tables that ship in ``resources/cms`` (a broken shipped file is a bug: it raises)."""
    rvu: dict[int, RvuTable] = {}
    mue: MueTable | None = None
    ptp: list[PtpTable] = []
    for entry in _manifest():
        kind = entry["kind"]
        release = Release(
            kind=kind,
            name=entry["release"],
            origin="shipped",
            source=f"resources/cms/{entry['file']}, read from {entry['read_from']}",
            confidence=entry["confidence"],
            year=entry.get("year"),
        )
        rows = read_csv_rows(_shipped_text(entry["file"]), COLUMNS[kind])
        if kind == RVU:
            rvu[int(entry["year"])] = rvu_table(release, int(entry["year"]), rows)
        elif kind == MUE:
            mue = mue_table(release, rows)
        else:
            pairs = tuple(ptp_pair(row) for row in rows)
            ptp.append(PtpTable(release, pairs, codes=frozenset(entry["covers_codes"])))
    if mue is None:
        raise CmsTableError("resources/cms/releases.json names no MUE table")
    return ActiveTables(rvu, mue, tuple(ptp))


def user_folder() -> Path:
    """Where ``superbill tables load`` keeps the tables it stored (the folder need not exist)."""
    from core.paths import data_dir

    return data_dir() / USER_FOLDER


def stored_file(kind: str, year: int | None = None) -> Path:
    """The file a loaded table of ``kind`` (and ``year`` for RVUs) is stored in."""
    return user_folder() / (f"{kind}-{year}.json" if kind == RVU else f"{kind}.json")


def stored_release(data: dict[str, Any], path: Path) -> Release:
    """The release a stored table describes."""
    return Release(
        kind=data["kind"],
        name=data["release"],
        origin="loaded",
        source=f"CMS file {data['file']} (sha256 {data['sha256'][:12]}…), loaded {data['loaded_on']}",
        confidence="HIGH",
        year=data.get("year"),
        path=path,
    )


def read_stored(path: Path) -> dict[str, Any]:
    """A stored table's JSON, checked for our format (raises :class:`CmsTableError` otherwise)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CmsTableError(f"it cannot be read ({err})") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("kind") not in KINDS:
        raise CmsTableError("it is not a table stored by this program")
    if data.get("version") != FORMAT_VERSION:
        raise CmsTableError(f"it was stored by another version of the program (format {data.get('version')})")
    rows = data.get("rows")
    columns = COLUMNS[data["kind"]]
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and all(isinstance(r.get(c), str) for c in columns) for r in rows
    ):
        raise CmsTableError("its rows are damaged")
    return data


def table_from_stored(data: dict[str, Any], path: Path) -> RvuTable | MueTable | PtpTable:
    """The checked table a stored JSON holds."""
    release = stored_release(data, path)
    rows: list[dict[str, str]] = data["rows"]
    if data["kind"] == RVU:
        return rvu_table(release, int(data["year"]), rows)
    if data["kind"] == MUE:
        return mue_table(release, rows)
    ranges = tuple((str(p["column1_range"][0]), str(p["column1_range"][1])) for p in data["parts"].values())
    return PtpTable(release, tuple(ptp_pair(row) for row in rows), column1_ranges=ranges)


@functools.cache
def _active(data_dir_setting: str | None) -> ActiveTables:
    """The tables for one data-folder setting (``SUPERBILL_DATA_DIR``; the tests give each its own)."""
    folder = user_folder()
    base = shipped()
    rvu = dict(base.rvu)
    mue = base.mue
    ptp: list[PtpTable] = []
    problems: list[str] = []
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for path in paths:
        try:
            table = table_from_stored(read_stored(path), path)
        except (CmsTableError, KeyError, TypeError, ValueError) as err:
            problem = f"the loaded table {path} cannot be used ({err}); the built-in one is used instead"
            import logging  # only when a loaded table is refused

            logging.getLogger(__name__).warning(problem)
            problems.append(problem)
            continue
        if isinstance(table, RvuTable):
            rvu[table.year] = table
        elif isinstance(table, MueTable):
            mue = table
        else:
            ptp.append(table)
    return ActiveTables(rvu, mue, (*ptp, *base.ptp), tuple(problems))


def active() -> ActiveTables:
    """The tables in use: the loaded ones where there are any, else the shipped ones."""
    from core.paths import DATA_DIR_ENV

    return _active(os.environ.get(DATA_DIR_ENV))


def forget() -> None:
    """Read the tables again at the next question (after ``tables load``, and in tests)."""
    _active.cache_clear()


def rvu(year: int) -> RvuTable | None:
    """The RVU table for dates of service in ``year``, or ``None`` when there is none."""
    return active().rvu.get(year)


def mue() -> MueTable:
    """The practitioner MUE table in use."""
    return active().mue


def ptp() -> tuple[PtpTable, ...]:
    """The PTP tables in use, the one that decides a pair first."""
    return active().ptp
