"""`superbill verify`: check the database file, its audit log and the data against the log; exit 0 when
sound, 2 when not (a damaged file, an edited log, or data changed, deleted or added outside the program)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.accounts import Action
from core.commands.common import EXIT_OK, EXIT_REJECTED, guarded
from core.commands.signing_in import check_allowed


def run(args: argparse.Namespace) -> int:
    """Print one line per check (File check, Audit log, Data — the data check's problems indented below
    it); the exit status says whether a problem was found."""

    def action() -> int:
        from core.backup import verify_database
        from core.paths import default_db_path

        db_path: Path = args.db or default_db_path()
        check_allowed(args, db_path, Action.VERIFY)
        report = verify_database(db_path)
        for line in report.lines:
            print(line)
        print("Everything checked is in order." if report.ok else "Problems were found (see above).")
        return EXIT_OK if report.ok else EXIT_REJECTED

    return guarded(action)
