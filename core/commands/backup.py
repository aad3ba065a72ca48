"""`superbill backup FILE`: write a checked copy of the database, safe while the window is open."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.commands.common import EXIT_OK, guarded


def run(args: argparse.Namespace) -> int:
    """Copy the database to ``args.file``; print where the copy went."""

    def action() -> int:
        from core.backup import backup_database
        from core.paths import default_db_path

        db_path: Path = args.db or default_db_path()
        target = backup_database(db_path, Path(args.file))
        print(f"Backup written to {target}. Keep it somewhere other than this computer too.")
        return EXIT_OK

    return guarded(action)
