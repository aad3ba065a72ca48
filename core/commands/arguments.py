"""The command line of ``superbill``: the verbs, their arguments, and the quick reading of a plain
``superbill code`` line.

Kept out of ``main.py`` because a script run as ``python main.py`` is compiled at every start (only
imported modules keep their bytecode): the shorter ``main.py``, the quicker every command (issue 14).
Nothing here imports a command module or Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    import argparse
    from typing import Any

    _Subparsers = Any  # argparse's _SubParsersAction (a private class)

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
    "unlock": "core.commands.keys",
    "new-recovery-key": "core.commands.keys",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Describe every command, or with ``command`` the main options and that command alone (describing
    all of them costs several ms, most of it looking up translations, which ``superbill code`` should
    not pay for; issue 14). Parsing a command line that names ``command`` gives the same result and the
    same messages either way. No command module is imported here."""
    import argparse  # here: the usual `superbill code` line is read without it (plain_code_call)

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
    for verb, describe in _DESCRIBE.items():
        if command is None or verb == command:
            describe(sub)
    return parser


def _code(sub: _Subparsers) -> None:
    code = sub.add_parser("code", help="code one encounter given as JSON (see docs/cli.md)")
    code.add_argument("file", nargs="?", default="-", help="JSON file, or - for standard input")
    code.add_argument(
        "--benchmark",
        action="store_true",
        help="add the national Medicare payment benchmark for each line",
    )


def _import(sub: _Subparsers) -> None:
    imp = sub.add_parser("import", help="import a day's encounters from another system (JSON)")
    imp.add_argument("file", help="JSON file, or - for standard input")


def _print(sub: _Subparsers) -> None:
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


def _backup(sub: _Subparsers) -> None:
    bak = sub.add_parser("backup", help="copy the database to FILE (safe while the program is open)")
    bak.add_argument("file", type=Path)


def _restore(sub: _Subparsers) -> None:
    res = sub.add_parser("restore", help="replace the database with a checked backup FILE")
    res.add_argument("file", type=Path)


def _verify(sub: _Subparsers) -> None:
    sub.add_parser("verify", help="check the database file and the audit log for damage")


def _unlock(sub: _Subparsers) -> None:
    sub.add_parser(
        "unlock",
        help="type the recovery key of a database made on another computer (or SUPERBILL_RECOVERY_KEY)",
    )


def _new_recovery_key(sub: _Subparsers) -> None:
    sub.add_parser(
        "new-recovery-key", help="re-encrypt the database under a new recovery key and show it once"
    )


def _demo(sub: _Subparsers) -> None:
    demo = sub.add_parser("demo", help="manage the demo practice data")
    demo.add_argument("action", choices=["remove"], help="remove: delete the demo patients and encounters")


def _icd10(sub: _Subparsers) -> None:
    icd = sub.add_parser("icd10", help="ICD-10-CM code set: look up codes or load a newer CMS file")
    icd_sub = icd.add_subparsers(dest="icd10_action", metavar="ACTION", required=True)
    look = icd_sub.add_parser("lookup", help="show whether codes are valid and billable")
    look.add_argument("codes", nargs="+")
    load = icd_sub.add_parser("load", help="load a CMS ICD-10-CM order file (icd10cm_order_YYYY.txt)")
    load.add_argument("file", type=Path)
    icd_sub.add_parser("info", help="which ICD-10-CM release is in use")


def _tables(sub: _Subparsers) -> None:
    tab = sub.add_parser("tables", help="official CMS tables (RVUs, MUEs, PTP edits): load a newer file")
    tab_sub = tab.add_subparsers(dest="tables_action", metavar="ACTION", required=True)
    tab_load = tab_sub.add_parser(
        "load",
        help="load a CMS file as CMS publishes it: PPRRVU…_nonQPP.csv, "
        "MCR_MUE_PractitionerServices_Eff_….csv or ccipra-v…-f….txt",
    )
    tab_load.add_argument("file", type=Path)
    tab_sub.add_parser("info", help="which CMS releases are in use, and where they came from")


#: each command's description, in the order --help lists them
_DESCRIBE: dict[str, Callable[[_Subparsers], None]] = {
    "code": _code,
    "import": _import,
    "print": _print,
    "backup": _backup,
    "restore": _restore,
    "verify": _verify,
    "unlock": _unlock,
    "new-recovery-key": _new_recovery_key,
    "demo": _demo,
    "icd10": _icd10,
    "tables": _tables,
}

#: the main options that take a value (written out in full, as ``named_command`` reads them)
_OPTIONS_WITH_VALUE = ("--db", "--user")


def named_command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names when that is plain to see: its first word after ``--db PATH`` and
    ``--user NAME`` (or ``--db=PATH``, ``--user=NAME``). ``None`` whenever anything else comes first
    (``-h``, an abbreviated option, an unknown word): then the whole parser reads the line."""
    position = 0
    while position < len(argv):
        word = argv[position]
        if word in _OPTIONS_WITH_VALUE:
            position += 2
        elif word.startswith(tuple(f"{option}=" for option in _OPTIONS_WITH_VALUE)):
            position += 1
        else:
            return word if word in _DESCRIBE else None
    return None


def plain_code_call(argv: Sequence[str]) -> SimpleNamespace | None:
    """For ``code``, ``code FILE``, ``code --benchmark`` and ``code FILE --benchmark`` (either order),
    the arguments the parser would give, read without it: importing and building ``argparse`` is a
    tenth of a quick ``superbill code`` call (issue 14). ``None`` for any other line (an option before
    the command, ``-h``, an abbreviation, a FILE starting with ``-``…): the parser reads those."""
    if not argv or argv[0] != "code" or len(argv) > 3:
        return None
    rest = list(argv[1:])
    benchmark = "--benchmark" in rest
    if benchmark:
        rest.remove("--benchmark")
    if len(rest) > 1 or any(word.startswith("-") and word != "-" for word in rest):
        return None
    return SimpleNamespace(
        db=None, user=None, command="code", file=rest[0] if rest else "-", benchmark=benchmark
    )
