"""`superbill restore FILE`: check a backup, keep the current database, then put the backup in its place."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.accounts import Action
from core.commands.common import EXIT_OK, guarded
from core.commands.signing_in import check_allowed


def run(args: argparse.Namespace) -> int:
    """Restore ``args.file`` into the database; a bad file changes nothing (exit 2)."""

    def action() -> int:
        from core.backup import restore_database
        from core.paths import default_db_path

        db_path: Path = args.db or default_db_path()
        check_allowed(args, db_path, Action.RESTORE, fallback=Path(args.file))
        kept = restore_database(Path(args.file), db_path)
        print(f"Restored {db_path} from {args.file}.")
        if kept is not None:
            print(f"The database as it was before is kept as {kept}.")
        return EXIT_OK

    return guarded(action)
