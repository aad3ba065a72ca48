"""Developer tool: rebuild the shipped ICD-10-CM index from the data of the ``simple-icd-10-cm`` package.

Run ``python -m core.icd10_build`` after upgrading that package to a newer code set. The program itself
never imports the package (it takes seconds and ~190 MB to load); it reads the small index this tool
writes to ``resources/icd10cm/``.

The tool reads the package's two public CMS/CDC-derived files directly:

- the tabular list (``icd10c-tabular-*.xml``): the code tree with descriptions and the
  ``<sevenChrDef>`` tables of 7th characters, which apply to every leaf below the element that
  declares them (codes shorter than six characters are padded with the placeholder ``X``, so
  ``S01.01`` + ``A`` is ``S01.01XA``);
- the complete code list (``code-list-*.txt``), which also holds every valid 7-character code and so
  decides which of the generated combinations exist (a few are excluded by rules the XML only
  states in prose).

A code is billable when it is a leaf of that tree: it has no subdivision and no valid 7th-character
extension. The tool refuses to write an index when the tree and the code list disagree.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.icd10_index import IndexRow, encode, write_atomically

#: where the shipped index lives in the source tree
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "resources" / "icd10cm" / "icd10cm_index.tsv.gz"
PLACEHOLDER = "X"


@dataclass(frozen=True)
class PackageData:
    """The two data files of the installed package and the release they describe."""

    tabular_xml: Path
    code_list: Path
    release: str
    source: str


def find_package_data() -> PackageData:
    """Locate the package's data files (the package must be installed; it is not imported)."""
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    spec = find_spec("simple_icd_10_cm")
    if spec is None or spec.origin is None:
        raise SystemExit("simple-icd-10-cm is not installed: pip install simple-icd-10-cm")
    folder = Path(spec.origin).parent / "data"
    xml_files = sorted(folder.glob("icd10c*-tabular-*.xml"))
    lists = sorted(folder.glob("code-list-*.txt"))
    if len(xml_files) != 1 or len(lists) != 1:
        raise SystemExit(f"expected one tabular XML and one code list in {folder}")
    try:
        package_version = version("simple-icd-10-cm")
    except PackageNotFoundError:  # pragma: no cover - installed without metadata
        package_version = "unknown"
    release = release_from_file_name(xml_files[0].name)
    source = (
        f"CMS/CDC ICD-10-CM tabular list {xml_files[0].name} and code list {lists[0].name} "
        f"as shipped in simple-icd-10-cm {package_version}"
    )
    return PackageData(xml_files[0], lists[0], release, source)


def release_from_file_name(name: str) -> str:
    """``icd10c-tabular-April-1-2026.xml`` → ``ICD-10-CM FY2026, April 1, 2026 update``.

    An April file is the mid-year update of the fiscal year that began the October before; any
    other month names the start of a fiscal year (October 1, 2025 begins FY2026).
    """
    match = re.search(
        r"(January|February|March|April|May|June|July|August|September|October|"
        r"November|December)-(\d{1,2})-(\d{4})",
        name,
    )
    if not match:
        raise SystemExit(f"cannot tell the release from the file name {name!r}")
    month, day, year = match.group(1), int(match.group(2)), int(match.group(3))
    fiscal_year = year + 1 if month in ("October", "November", "December") else year
    if month == "October" and day == 1:
        return f"ICD-10-CM FY{fiscal_year}"
    return f"ICD-10-CM FY{fiscal_year}, {month} {day}, {year} update"


def read_code_list(path: Path) -> set[str]:
    """Every code of the code list without dots; chapters (``1``) and blocks (``A00-A09``) left out."""
    codes: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        token = line.strip().split(" ")[0].replace(".", "")
        if token and "-" not in token and not token.isdigit():
            codes.add(token)
    return codes


def _extended_stem(name: str) -> str:
    """The dotted code padded with placeholder X to six characters, ready for a 7th character."""
    undotted = name.replace(".", "")
    return undotted + PLACEHOLDER * (6 - len(undotted))


def _walk(element: ET.Element, inherited: dict[str, str] | None, confirmed: set[str]) -> Iterator[IndexRow]:
    """Rows for one ``<diag>`` and everything below it, in tabular order."""
    name = element.findtext("name")
    description = element.findtext("desc") or ""
    if not name:
        raise SystemExit("found a <diag> element without a <name>")
    own = element.find("sevenChrDef")
    seventh = inherited
    if own is not None:
        seventh = {ext.attrib["char"]: (ext.text or "").strip() for ext in own.findall("extension")}
    children = element.findall("diag")
    extensions: list[IndexRow] = []
    if not children and seventh:
        stem = _extended_stem(name)
        extensions = [
            IndexRow(stem + char, True, f"{description}, {meaning}")
            for char, meaning in seventh.items()
            if stem + char in confirmed
        ]
    yield IndexRow(name.replace(".", ""), not children and not extensions, description)
    yield from extensions
    for child in children:
        yield from _walk(child, seventh, confirmed)


def build_rows(tabular_xml: Path, code_list: Path) -> list[IndexRow]:
    """Every code of the tabular list with its billable flag, checked against the code list."""
    confirmed = read_code_list(code_list)
    root = ET.parse(tabular_xml).getroot()
    rows: list[IndexRow] = []
    for chapter in root.findall("chapter"):
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                rows.extend(_walk(diag, None, confirmed))
    built = [row.code for row in rows]
    if len(built) != len(set(built)):
        raise SystemExit("the tabular list names some codes twice")
    missing, extra = confirmed - set(built), set(built) - confirmed
    if missing or extra:
        raise SystemExit(
            f"tabular list and code list disagree: {len(missing)} codes only in the list "
            f"(e.g. {sorted(missing)[:5]}), {len(extra)} only in the tree (e.g. {sorted(extra)[:5]})"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Build the index and print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    data = find_package_data()
    rows = build_rows(data.tabular_xml, data.code_list)
    content = encode(data.release, data.source, rows)
    write_atomically(args.output, content)
    billable = sum(row.billable for row in rows)
    print(f"{data.release}: {len(rows)} codes, {billable} billable, {len(content)} bytes -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
