"""Read the official CMS files as CMS publishes them, and store one as the table in use.

Three files are understood, told apart by their content (and, for the PTP file, its name):

- **PPRRVU** ``PPRRVUYYYY_<Mon>_nonQPP.csv`` (in the ``RVUYYx`` zip): the Physician Fee Schedule
  Relative Value File. Some title lines ("2026 National Physician Fee Schedule Relative Value File
  July Release", "RELEASED 06/30/2026"), a header spread over several lines that ends with the
  ``HCPCS,MOD,DESCRIPTION,…`` line, then one row per code and modifier. Columns are found by their
  header words (``WORK RVU``, ``NON-FACILITY TOTAL``, ``GLOB DAYS``, ``MULT PROC``, ``CONV FACTOR``…),
  so the 2025 layout and the 2026 one (which added ``PRIC IND``) both read.
- **MUE** ``MCR_MUE_PractitionerServices_Eff_MM-DD-YYYY.csv``: a copyright cell, then the header
  ``HCPCS/CPT Code, Practitioner Services MUE Values, MUE Adjudication Indicator, MUE Rationale``.
- **PTP** ``ccipra-vNNNrN-fN.txt`` (one part of the practitioner PTP edits): a copyright line, a
  tab-separated header (``Column 1``, ``Column 2``, ``*=in existence prior to 1996``, ``Effective
  Date``, ``Deletion Date *=no data``, ``Modifier 0=not allowed 1=allowed 9=not applicable``, ``PTP
  Edit Rationale``), then one tab-separated edit per line, dates as ``YYYYMMDD``.

Only the rows of the codes the program bills are kept. The whole file is checked before anything is
stored: a file that is not one of these, is the hospital or DME variant, lacks one of the program's
codes (RVU, MUE: a cut-off file), has a malformed row or a row whose RVUs do not add up, changes nothing.
The table is then written with one atomic file replacement (``core.icd10_index.write_atomically``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from core.coding import cms, tables
from core.errors import InputError, NotFoundError
from core.icd10_index import write_atomically

MAX_PROBLEMS_SHOWN = 3
_CODE = re.compile(r"[0-9A-Z]{5}")
_NOTHING = "Nothing was changed."
_TITLE = re.compile(r"(20\d\d) National Physician Fee Schedule Relative Value File(?: (\w+) Release)?", re.I)
_RELEASED = re.compile(r"RELEASED (\d\d/\d\d/\d{4})", re.I)
_PTP_NAME = re.compile(r"ccipra-v(\d+)(\d)r(\d+)-f(\d+)", re.I)
_MUE_DATE = re.compile(r"Eff_(\d\d)-(\d\d)-(\d{4})", re.I)

#: the PPRRVU header words of each column used (spaces collapsed, upper case), by extract column
_RVU_HEADERS = {
    "hcpcs": "HCPCS",
    "mod": "MOD",
    "status_code": "STATUS CODE",
    "work_rvu": "WORK RVU",
    "nonfac_pe_rvu": "NON-FAC PE RVU",
    "facility_pe_rvu": "FACILITY PE RVU",
    "mp_rvu": "MP RVU",
    "nonfac_total_rvu": "NON-FACILITY TOTAL",
    "facility_total_rvu": "FACILITY TOTAL",
    "pctc_ind": "PCTC IND",
    "global_days": "GLOB DAYS",
    "mult_proc_ind": "MULT PROC",
    "conversion_factor": "CONV FACTOR",
}


@dataclass(frozen=True)
class LoadedTable:
    """What :func:`load_file` stored: the kind, the release, how many rows, and where."""

    kind: str
    release: str
    rows: int
    path: Path


@dataclass(frozen=True)
class _Parsed:
    kind: str
    release: str
    rows: list[dict[str, str]]
    year: int | None = None
    part: str | None = None
    version: str | None = None
    column1_range: tuple[str, str] | None = None


def _refuse(file_name: str, problem: str) -> InputError:
    return InputError(f"The file {file_name} {problem} {_NOTHING}")


def _problems_text(problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
    extra = len(problems) - MAX_PROBLEMS_SHOWN
    return shown + (f" (and {extra} more)" if extra > 0 else "")


def _text_of(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise NotFoundError(f"The file {path} does not exist. Check the name and folder.") from err
    except IsADirectoryError as err:
        raise InputError(f"{path} is a folder, not a file. Name the CMS file itself.") from err
    except OSError as err:
        raise InputError(f"The file {path} cannot be read ({err.strerror}).") from err


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _known_codes() -> set[str]:
    return set(tables.cpt_table())


# -- PPRRVU ---------------------------------------------------------------------------------------------


def _header_words(rows: list[list[str]], header_at: int) -> list[str]:
    """Each column's header words: the HCPCS line and the header lines right above it, top to bottom."""
    start = header_at
    while start > 0 and not any(cell.strip() for cell in rows[start - 1][:3]):
        start -= 1
    width = max(len(row) for row in rows[start : header_at + 1])
    words = []
    for column in range(width):
        parts = [row[column].strip() for row in rows[start : header_at + 1] if column < len(row)]
        words.append(" ".join(" ".join(p for p in parts if p).upper().split()))
    return words


def parse_pprrvu(text: str, file_name: str, known: set[str]) -> _Parsed:
    """The rows of the program's codes in a CMS PPRRVU CSV file (raises :class:`InputError`)."""
    lines = list(csv.reader(io.StringIO(text)))
    header_at = next(
        (i for i, row in enumerate(lines) if [c.strip().upper() for c in row[:2]] == ["HCPCS", "MOD"]), None
    )
    if header_at is None:
        raise _refuse(file_name, "has no HCPCS,MOD,DESCRIPTION header line: it is not a CMS PPRRVU file.")
    if "qpp" in file_name.lower() and "nonqpp" not in file_name.lower():
        raise _refuse(
            file_name,
            "is the qualifying-APM (QPP) variant; the payment benchmark uses the non-QPP conversion "
            "factor. Load the PPRRVU…_nonQPP.csv file of the same release.",
        )
    preamble = " ".join(cell for row in lines[:header_at] for cell in row)
    title = _TITLE.search(preamble)
    if title is None:
        raise _refuse(file_name, "has no 'YYYY National Physician Fee Schedule Relative Value File' title.")
    year = int(title.group(1))
    words = _header_words(lines, header_at)
    columns = {}
    for name, header in _RVU_HEADERS.items():
        if words.count(header) != 1:
            raise _refuse(file_name, f"has no single column headed {header!r}: it is not a CMS PPRRVU file.")
        columns[name] = words.index(header)
    problems: list[str] = []
    kept: list[dict[str, str]] = []
    refused: set[str] = set()
    for number, row in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(words):
            problems.append(f"line {number} has {len(row)} columns, the header {len(words)} (cut off?)")
            continue
        code = row[0].strip()
        if not _CODE.fullmatch(code):
            problems.append(f"line {number}: {code!r} is not a HCPCS/CPT code")
            continue
        if code not in known or row[columns["mod"]].strip():
            continue
        values = {name: row[index].strip() for name, index in columns.items()}
        try:
            cms.rvu_facts(values)
        except cms.CmsTableError as err:
            problems.append(f"line {number}: {err}")
            refused.add(code)
            continue
        kept.append(values)
    problems += _missing(known - refused, [r["hcpcs"] for r in kept], "has no row")
    problems += _twice([r["hcpcs"] for r in kept])
    if len({r["conversion_factor"] for r in kept}) > 1:
        problems.append("the program's codes do not share one conversion factor")
    if problems:
        raise _refuse(file_name, f"cannot be used: {_problems_text(problems)}.")
    month = f", {title.group(2).capitalize()} release" if title.group(2) else ""
    released = _RELEASED.search(preamble)
    when = f", released {released.group(1)}" if released else ""
    release = f"CMS {year} National Physician Fee Schedule Relative Value File{month}{when} ({file_name})"
    return _Parsed(cms.RVU, release, sorted(kept, key=lambda r: r["hcpcs"]), year=year)


def _missing(known: set[str], found: Iterable[str], what: str) -> list[str]:
    absent = sorted(known - set(found))
    if not absent:
        return []
    return [f"{', '.join(absent[:5])}{' …' if len(absent) > 5 else ''} {what} (the file looks cut off)"]


def _twice(codes: list[str]) -> list[str]:
    return [f"{code} is listed twice" for code in sorted(set(codes)) if codes.count(code) > 1]


# -- MUE ------------------------------------------------------------------------------------------------


def parse_mue(text: str, file_name: str, known: set[str]) -> _Parsed:
    """The rows of the program's codes in a CMS practitioner MUE CSV file."""
    lines = list(csv.reader(io.StringIO(text)))
    header_at = next(
        (i for i, row in enumerate(lines) if len(row) >= 3 and "MUE VALUES" in row[1].upper()), None
    )
    if header_at is None:
        raise _refuse(file_name, "has no 'MUE Values' header: it is not a CMS MUE table.")
    header = [" ".join(cell.split()) for cell in lines[header_at]]
    if header[1].lower() != "practitioner services mue values":
        raise _refuse(
            file_name,
            f"is the {header[1]!r} table, not the practitioner one. Load the "
            "MCR_MUE_PractitionerServices_Eff_….csv file.",
        )
    if len(header) < 4 or "adjudication" not in header[2].lower():
        raise _refuse(file_name, "does not have the MUE table's four columns.")
    problems: list[str] = []
    kept: list[dict[str, str]] = []
    refused: set[str] = set()
    for number, row in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 4:
            problems.append(f"row {number} has {len(row)} columns, not 4 (cut off?)")
            continue
        code = row[0].strip()
        if not _CODE.fullmatch(code):
            problems.append(f"row {number}: {code!r} is not a HCPCS/CPT code")
            continue
        if code not in known:
            continue
        mai_text = " ".join(row[2].split())
        values = {
            "hcpcs": code,
            "mue_value": row[1].strip(),
            "mai": mai_text[:1],
            "mai_text": mai_text,
            "mue_rationale": " ".join(row[3].split()),
        }
        try:
            cms.mue_facts(values)
        except cms.CmsTableError as err:
            problems.append(f"row {number}: {err}")
            refused.add(code)
            continue
        kept.append(values)
    problems += _missing(known - refused, [r["hcpcs"] for r in kept], "has no MUE")
    problems += _twice([r["hcpcs"] for r in kept])
    if problems:
        raise _refuse(file_name, f"cannot be used: {_problems_text(problems)}.")
    effective = _MUE_DATE.search(file_name)
    when = (
        f", effective {effective.group(3)}-{effective.group(1)}-{effective.group(2)}"
        if effective
        else " (no effective date in the file name)"
    )
    release = f"CMS NCCI Practitioner Services MUE table{when} ({file_name})"
    return _Parsed(cms.MUE, release, sorted(kept, key=lambda r: r["hcpcs"]))


# -- PTP ------------------------------------------------------------------------------------------------


def _yyyymmdd(value: str) -> str:
    """``20260101`` → ``2026-01-01``; raises ValueError for anything else."""
    if not re.fullmatch(r"\d{8}", value):
        raise ValueError(value)
    return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()


def _ptp_row(fields: list[str], version: str) -> dict[str, str]:
    """One ccipra line's edit in the extract layout; raises ValueError when it is not one."""
    if len(fields) < 6:
        raise ValueError(f"it has {len(fields)} tab-separated fields, not 7 (cut off?)")
    column1, column2, prior, effective, deletion, indicator = (f.strip() for f in fields[:6])
    if not _CODE.fullmatch(column1) or not _CODE.fullmatch(column2):
        raise ValueError(f"{column1!r}/{column2!r} are not HCPCS/CPT codes")
    if prior not in ("", "*"):
        raise ValueError(f"the 1996 flag is {prior!r}, not * or blank")
    try:
        effective_iso = _yyyymmdd(effective)
        deletion_iso = "" if deletion == "*" else _yyyymmdd(deletion)
    except ValueError as err:
        raise ValueError(f"{err} is not a date (YYYYMMDD, or * for no deletion date)") from err
    row = {
        "column1": column1,
        "column2": column2,
        "effective_date": effective_iso,
        "deletion_date": deletion_iso,
        "modifier_indicator": indicator,
        "ncci_versions": version,
    }
    try:
        cms.ptp_pair(row)
    except cms.CmsTableError as err:
        raise ValueError(str(err)) from err
    return row


def parse_ccipra(text: str, file_name: str, known: set[str]) -> _Parsed:
    """The edits between the program's codes in one part of the CMS practitioner PTP edits."""
    name = _PTP_NAME.match(file_name)
    if file_name.lower().startswith(("ccioph", "ccidme")):
        raise _refuse(file_name, "holds the hospital or DME edits; load the practitioner file (ccipra-…).")
    if name is None:
        raise _refuse(
            file_name,
            "is not named like a CMS practitioner PTP file (ccipra-v322r0-f1.txt). Keep the name CMS "
            "gave it: the version and part are read from it.",
        )
    version = f"{int(name.group(1))}.{name.group(2)}"
    part = f"f{int(name.group(4))}"
    lines = text.splitlines()
    header_at = next(
        (
            i
            for i, line in enumerate(lines)
            if [f.strip().lower() for f in line.split("\t")[:2]] == ["column 1", "column 2"]
        ),
        None,
    )
    if header_at is None:
        raise _refuse(file_name, "has no 'Column 1<TAB>Column 2' header: it is not a CMS PTP edit file.")
    problems: list[str] = []
    kept: list[dict[str, str]] = []
    column1s: list[str] = []
    started = False
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if not started and not _CODE.fullmatch(fields[0].strip()):
            continue  # the rest of a header spread over two lines
        started = True
        try:
            row = _ptp_row(fields, version)
        except ValueError as err:
            problems.append(f"line {number}: {err}")
            continue
        column1s.append(row["column1"])
        if row["column1"] in known and row["column2"] in known:
            kept.append(row)
    if not column1s and not problems:
        problems.append("it holds no edits")
    if problems:
        raise _refuse(file_name, f"cannot be used: {_problems_text(problems)}.")
    release = f"CMS NCCI practitioner PTP edits v{version} r{int(name.group(3))}"
    return _Parsed(
        cms.PTP, release, kept, part=part, version=version, column1_range=(min(column1s), max(column1s))
    )


# -- detecting and storing ------------------------------------------------------------------------------


def parse_file(data: bytes, file_name: str) -> _Parsed:
    """Which CMS file ``data`` is, read whole and checked (raises :class:`InputError`)."""
    text = _decode(data)
    head = text[:5000].lower()
    known = _known_codes()
    if "\t" in head and re.search(r"^column 1\tcolumn 2", head, re.M):
        return parse_ccipra(text, file_name, known)
    if "mue values" in head:
        return parse_mue(text, file_name, known)
    if "relative value file" in head or re.search(r"^hcpcs,mod,", head, re.M):
        return parse_pprrvu(text, file_name, known)
    raise _refuse(
        file_name,
        "is not one of the CMS files this program reads: the Physician Fee Schedule Relative Value File "
        "(PPRRVUYYYY_…_nonQPP.csv), the practitioner MUE table (MCR_MUE_PractitionerServices_Eff_….csv) "
        "or a practitioner PTP edit file (ccipra-v…-f….txt).",
    )


def _stored_ptp(parsed: _Parsed, base: dict[str, Any]) -> dict[str, Any]:
    """Add a PTP part to the stored parts of the same version (another version is replaced)."""
    path = cms.stored_file(cms.PTP)
    parts: dict[str, Any] = {}
    rows: list[dict[str, str]] = []
    if path.is_file():
        try:
            old = cms.read_stored(path)
            if old.get("version_loaded") == parsed.version:
                parts = {k: v for k, v in old["parts"].items() if k != parsed.part}
                rows = [r for r in old["rows"] if r.get("part") in parts]
        except (cms.CmsTableError, AttributeError, KeyError, TypeError):
            parts, rows = {}, []  # a damaged stored table is replaced
    assert parsed.part is not None and parsed.column1_range is not None
    parts[parsed.part] = {
        "file": base["file"],
        "sha256": base["sha256"],
        "column1_range": list(parsed.column1_range),
    }
    rows += [{**row, "part": parsed.part} for row in parsed.rows]
    names = ", ".join(sorted(parts))
    return {
        **base,
        "release": f"{parsed.release} (part{'s' if len(parts) > 1 else ''} {names})",
        "version_loaded": parsed.version,
        "parts": parts,
        "rows": rows,
    }


def load_file(path: Path) -> LoadedTable:
    """Check the CMS file at ``path`` and make it the table in use (stored atomically)."""
    data = _text_of(path)
    parsed = parse_file(data, path.name)
    target = cms.stored_file(parsed.kind, parsed.year)
    document: dict[str, Any] = {
        "format": cms.FORMAT,
        "version": cms.FORMAT_VERSION,
        "kind": parsed.kind,
        "release": parsed.release,
        "file": path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "loaded_on": datetime.now(UTC).date().isoformat(),
        "rows": parsed.rows,
    }
    if parsed.year is not None:
        document["year"] = parsed.year
    if parsed.kind == cms.PTP:
        document = _stored_ptp(parsed, document)
    cms.table_from_stored(document, target)  # the stored form reads back, or nothing is written
    write_atomically(target, (json.dumps(document, indent=1) + "\n").encode("utf-8"))
    cms.forget()
    return LoadedTable(parsed.kind, document["release"], len(parsed.rows), target)
