"""`superbill verify`: check the database file and its audit log; exit 0 when sound, 2 when not."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.commands.common import EXIT_OK, EXIT_REJECTED, guarded


def run(args: argparse.Namespace) -> int:
    """Print one line per check; the exit status says whether a problem was found."""

    def action() -> int:
        from core.backup import verify_database
        from core.paths import default_db_path

        db_path: Path = args.db or default_db_path()
        report = verify_database(db_path)
        for line in report.lines:
            print(line)
        print("Everything checked is in order." if report.ok else "Problems were found (see above).")
        return EXIT_OK if report.ok else EXIT_REJECTED

    return guarded(action)
