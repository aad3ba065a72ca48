"""Superbill Desk entry point: parse the command line, then start the window or run one command.

This module stays a thin dispatcher. Commands are imported late, and none of the headless commands
imports Qt, so `superbill code` answers quickly and works on a machine without a display.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

#: verb -> module under core.commands that provides ``run(args) -> int``
COMMANDS: dict[str, str] = {
    "code": "core.commands.code",
    "import": "core.commands.import_day",
    "print": "core.commands.print_superbills",
    "backup": "core.commands.backup",
    "restore": "core.commands.restore",
    "verify": "core.commands.verify",
    "demo": "core.commands.demo",
    "icd10": "core.commands.icd10",
    "tables": "core.commands.tables",
}


def build_parser() -> argparse.ArgumentParser:
    """Describe every command; no command module is imported here."""
    parser = argparse.ArgumentParser(
        prog="superbill",
        description="Superbill Desk: code skin-lesion destructions and print superbills. "
        "With no command, the front-desk window opens.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="database file to use (default: the file in your user data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who runs the command (asked for the password); scripts may set SUPERBILL_USER and "
        "SUPERBILL_PASSWORD instead (see docs/cli.md). Not needed for `code`.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    code = sub.add_parser("code", help="code one encounter given as JSON (see docs/cli.md)")
    code.add_argument("file", nargs="?", default="-", help="JSON file, or - for standard input")
    code.add_argument(
        "--benchmark",
        action="store_true",
        help="add the national Medicare payment benchmark for each line",
    )

    imp = sub.add_parser("import", help="import a day's encounters from another system (JSON)")
    imp.add_argument("file", help="JSON file, or - for standard input")

    prt = sub.add_parser("print", help="write superbill PDFs for one encounter or a whole day")
    target = prt.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "encounter_id",
        nargs="?",
        metavar="DOCUMENT",
        help="the superbill's document number as printed (SB-000001), or the encounter number",
    )
    target.add_argument(
        "--date", metavar="DATE", help="every final encounter of that day (MM/DD/YYYY or YYYY-MM-DD)"
    )
    prt.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write the PDF")
    prt.add_argument(
        "--review",
        action="store_true",
        help="the biller's review sheet instead (acknowledged warnings, drafts, totals): for staff",
    )

    bak = sub.add_parser("backup", help="copy the database to FILE (safe while the program is open)")
    bak.add_argument("file", type=Path)

    res = sub.add_parser("restore", help="replace the database with a checked backup FILE")
    res.add_argument("file", type=Path)

    sub.add_parser("verify", help="check the database file and the audit log for damage")

    demo = sub.add_parser("demo", help="manage the demo practice data")
    demo.add_argument("action", choices=["remove"], help="remove: delete the demo patients and encounters")

    icd = sub.add_parser("icd10", help="ICD-10-CM code set: look up codes or load a newer CMS file")
    icd_sub = icd.add_subparsers(dest="icd10_action", metavar="ACTION", required=True)
    look = icd_sub.add_parser("lookup", help="show whether codes are valid and billable")
    look.add_argument("codes", nargs="+")
    load = icd_sub.add_parser("load", help="load a CMS ICD-10-CM order file (icd10cm_order_YYYY.txt)")
    load.add_argument("file", type=Path)
    icd_sub.add_parser("info", help="which ICD-10-CM release is in use")

    tab = sub.add_parser("tables", help="official CMS tables (RVUs, MUEs, PTP edits): load a newer file")
    tab_sub = tab.add_subparsers(dest="tables_action", metavar="ACTION", required=True)
    tab_load = tab_sub.add_parser(
        "load",
        help="load a CMS file as CMS publishes it: PPRRVU…_nonQPP.csv, "
        "MCR_MUE_PractitionerServices_Eff_….csv or ccipra-v…-f….txt",
    )
    tab_load.add_argument("file", type=Path)
    tab_sub.add_parser("info", help="which CMS releases are in use, and where they came from")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from gui.app import run  # late import: only the window needs Qt

        return run(args.db)
    module = importlib.import_module(COMMANDS[args.command])
    return int(module.run(args))


if __name__ == "__main__":
    sys.exit(main())
