"""`superbill backup FILE`: write a checked copy of the database, safe while the window is open."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.accounts import Action
from core.commands.common import EXIT_OK, guarded
from core.commands.signing_in import check_allowed


def run(args: argparse.Namespace) -> int:
    """Copy the database to ``args.file``; print where the copy went."""

    def action() -> int:
        from core.backup import backup_database
        from core.paths import default_db_path

        db_path: Path = args.db or default_db_path()
        check_allowed(args, db_path, Action.BACKUP)
        target = backup_database(db_path, Path(args.file))
        print(f"Backup written to {target}. Keep it somewhere other than this computer too.")
        return EXIT_OK

    return guarded(action)
