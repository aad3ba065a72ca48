"""Small files in the layouts CMS publishes (PPRRVU CSV, practitioner MUE CSV, ccipra PTP text).

The tests write them from the shipped extracts (``resources/cms``), changed where a test needs it, plus a
few rows of codes the program does not bill, so that loading them exercises the same reading as a real
release. No CPT descriptor text is written: the DESCRIPTION cells hold a placeholder.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

from core.coding import cms

#: the 2026 layout's header block (the 2025 one has no PRIC IND column)
_HEADER_2026 = [
    ",, , ,,,,,,,,,,,,,,,,,,,,,,,,,,NON-FACILITY,FACILITY,",
    ",,,,NOT USED,,,,,,,,,,,,,,,,,,,,,,PHYSICIAN,,DIAGNOSTIC,PE USED,PE USED,MP USED",
    ",,,,FOR,,,NON-FAC,,FACILITY ,,,,,,,,,,,,,,,,,SUPERVISION OF,,IMAGING,FOR OPPS,FOR OPPS,FOR OPPS",
    ",,,STATUS,MEDICARE ,WORK,NON-FAC,NA,FACILITY,NA,MP,NON-FACILITY,FACILITY,PCTC,GLOB,PRE,INTRA,POST,MULT,"
    "BILAT,ASST,CO-,TEAM,PRIC,ENDO,CONV,DIAGNOSTIC,CALCULATION,FAMILY,PAYMENT,PAYMENT,PAYMENT",
    "HCPCS,MOD,DESCRIPTION,CODE,PAYMENT,RVU,PE RVU,INDICATOR,PE RVU,INDICATOR,RVU,TOTAL,TOTAL,IND,DAYS,OP,OP,"
    "OP,PROC,SURG,SURG,SURG,SURG,IND,BASE,FACTOR,PROCEDURES,FLAG,INDICATOR,AMOUNT,AMOUNT,AMOUNT",
]
_FOREIGN_RVU = [
    "0001F,,Placeholder,I,,0.00,0.00,,0.00,,0.00,0.00,0.00,9,XXX,0.00,0.00,0.00,9,9,9,9,9,9,,{cf},09,0,99,0.00,0.00,0.00",
    "0075T,26,Placeholder,C,,0.00,0.00,,0.00,,0.00,0.00,0.00,1,XXX,0.00,0.00,0.00,0,0,0,0,0,9,,{cf},09,0,99,0.00,0.00,0.00",
]


def shipped_rows(kind: str, year: int | None = None) -> list[dict[str, str]]:
    """The rows of a shipped extract, in its own column layout."""
    name = {cms.RVU: f"pfs-rvu-{year}.csv", cms.MUE: "mue-practitioner.csv", cms.PTP: "ptp-practitioner.csv"}
    text = resources.files("resources.cms").joinpath(name[kind]).read_text(encoding="utf-8")
    return cms.read_csv_rows(text, cms.COLUMNS[kind])


def pprrvu_text(year: int, rows: list[dict[str, str]], *, month: str = "January", pric: bool = True) -> str:
    """A PPRRVU CSV file of ``year`` holding ``rows`` and two rows of foreign codes.

    The 2026 layout; ``pric=False`` gives the 2025 one, which has no PRIC IND column (the 24th).
    """
    cf = rows[0]["conversion_factor"]
    lines = [
        f",,{year} National Physician Fee Schedule Relative Value File {month} Release" + "," * 29,
        ",,CPT codes and descriptions only are copyright American Medical Association." + "," * 29,
        ",, ,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        f",,RELEASED 12/29/{year - 1},,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        *_HEADER_2026,
        _FOREIGN_RVU[0].format(cf=cf),
    ]
    for r in rows:
        lines.append(
            f"{r['hcpcs']},{r['mod']},Placeholder,{r['status_code']},,{r['work_rvu']},{r['nonfac_pe_rvu']},,"
            f"{r['facility_pe_rvu']},,{r['mp_rvu']},{r['nonfac_total_rvu']},{r['facility_total_rvu']},"
            f"{r['pctc_ind']},{r['global_days']},0.00,0.00,0.00,{r['mult_proc_ind']},0,0,0,0,0,,"
            f"{r['conversion_factor']},09,0,99,0.00,0.00,0.00"
        )
    lines.append(_FOREIGN_RVU[1].format(cf=cf))
    if not pric:
        table = [next(csv.reader([line])) for line in lines]
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(row[:23] + row[24:] for row in table)
        return out.getvalue()
    return "\r\n".join(lines) + "\r\n"


def mue_text(rows: list[dict[str, str]], *, services: str = "Practitioner Services") -> str:
    """A CMS MUE CSV file: the copyright cell over several lines, the header, the rows, a foreign code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["CPT codes, descriptions and other data only are copyright AMA.\n\nCPT is a trademark.", "", "", ""]
    )
    writer.writerow(
        ["HCPCS/\nCPT Code", f"{services} MUE Values", "MUE Adjudication Indicator", "MUE Rationale"]
    )
    writer.writerow(["0001U", "1", "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"])
    for r in rows:
        writer.writerow([r["hcpcs"], r["mue_value"], r["mai_text"], r["mue_rationale"]])
    return out.getvalue()


def ccipra_text(pairs: list[tuple[str, str, str, str, str]]) -> str:
    """A ccipra PTP file: ``(column1, column2, effective YYYYMMDD, deletion or *, indicator)`` rows."""
    lines = [
        "CPT only copyright American Medical Association. All rights reserved.",
        "",
        "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\t"
        "Modifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale",
    ]
    for column1, column2, effective, deletion, indicator in pairs:
        lines.append(
            f"{column1}\t{column2}\t\t{effective}\t{deletion}\t{indicator}\tMisuse of column two code"
        )
    return "\r\n".join(lines) + "\r\n"


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` as ``folder/name`` (Windows-1252, as CMS files are) and return the path."""
    path = folder / name
    path.write_bytes(text.encode("cp1252"))
    return path
