"""`superbill tables load|info`: load a newer official CMS file, and show which CMS releases are in use."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from core.commands.common import EXIT_OK, guarded
from core.text import counted

if TYPE_CHECKING:
    from core.coding import cms

_KIND_NAMES = {"rvu": "Fee-schedule RVUs", "mue": "MUEs", "ptp": "PTP edits"}


def run(args: argparse.Namespace) -> int:
    """Dispatch on ``args.tables_action``."""
    actions = {"load": lambda: load(args.file), "info": info}
    return guarded(actions[args.tables_action])


def load(file: Path) -> int:
    """Check a CMS file whole and make it the table of its kind in use."""
    from core.coding.cms_files import load_file

    loaded = load_file(Path(file))
    print(
        f"Loaded {loaded.release}: {counted(loaded.rows, 'row')} for the codes this program bills. "
        f"It is used from now on (stored in {loaded.path})."
    )
    return EXIT_OK


def info() -> int:
    """Print, for each kind of table, the release in use and where it came from."""
    from core.coding import cms

    tables = cms.active()
    entries = [(f"{_KIND_NAMES['rvu']} {year}", table.release) for year, table in sorted(tables.rvu.items())]
    entries.append((_KIND_NAMES["mue"], tables.mue.release))
    entries += [(_KIND_NAMES["ptp"], table.release) for table in tables.ptp]
    for label, release in entries:
        print(f"{label}: {release.name}")
        if release.origin == "loaded":
            print(f"  From: a loaded file, {release.path} ({release.source})")
            print("  To go back to the built-in table, delete that file.")
        else:
            print(f"  From: the tables built into the program ({release.source})")
    for table in tables.ptp:
        print(f"PTP coverage of {table.release.name}: {_coverage(table)}")
    print("Code pairs no CMS PTP table covers: resources/codes/ptp_edits.json (secondary sources).")
    for problem in tables.problems:
        print(f"Note: {problem}")
    return EXIT_OK


def _coverage(table: cms.PtpTable) -> str:
    if table.codes is not None:
        return f"pairs among {', '.join(sorted(table.codes))} only"
    return "column-1 codes " + ", ".join(f"{low}–{high}" for low, high in table.column1_ranges)
