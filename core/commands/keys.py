"""`superbill unlock` and `superbill new-recovery-key`: the database's recovery key on the command line.

``unlock`` is for a database made on another computer (or restored from a copy): it asks for the
recovery key printed at set-up (or reads ``SUPERBILL_RECOVERY_KEY``), checks it against the file and keeps
the database key on this computer. ``new-recovery-key`` re-encrypts the database under a new recovery key
and prints it once, for when the printed one was lost.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core.commands.common import EXIT_OK, guarded
from core.errors import InputError

#: the variable a script sets instead of typing the recovery key (see docs/cli.md for its risk)
RECOVERY_KEY_ENV = "SUPERBILL_RECOVERY_KEY"


def typed_recovery_key(path: Path) -> str:
    """The recovery key from ``SUPERBILL_RECOVERY_KEY``, or typed at the terminal (not echoed)."""
    found = os.environ.get(RECOVERY_KEY_ENV, "").strip()
    if found:
        return found
    if not sys.stdin.isatty():
        raise InputError(
            f"The database {path} needs its recovery key. Run this command in a terminal to type it, "
            f"or set {RECOVERY_KEY_ENV} for a script.",
            field="recovery_key",
        )
    import getpass

    return getpass.getpass(f"Recovery key of {path} (14 groups of 4, as printed): ")


def print_new_recovery_key(text: str, path: Path | None) -> None:
    """Show a new recovery key once, on standard error, with what to do with it."""
    where = f" of {path}" if path is not None else ""
    print(
        f"superbill: the recovery key{where} is\n\n    {text}\n\n"
        "Print it or write it down now and keep it locked away from this computer: it is shown only "
        "this once, and it is the only way to open the database (and its backups) on another computer "
        "or if this computer's key is lost.",
        file=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    """``unlock`` or ``new-recovery-key`` for the database given with --db (default: the usual one)."""

    def action() -> int:
        from core.paths import default_db_path
        from core.store import encrypting

        db_path: Path = args.db or default_db_path()
        if args.command == "unlock":
            encrypting.unlock_with_recovery_key(db_path, typed_recovery_key(db_path))
            print(f"The recovery key opens {db_path}; its key is kept on this computer now.")
            return EXIT_OK
        if not db_path.is_file():
            raise InputError(f"There is no database at {db_path}. Check the --db path.", field="db")
        from core.accounts import Action
        from core.commands.signing_in import check_allowed

        check_allowed(args, db_path, Action.MANAGE_USERS)  # an administrator's step
        recovery = encrypting.new_recovery_key(db_path)
        print_new_recovery_key(recovery.text, db_path)
        print(f"{db_path} now opens with the new recovery key only; the old one no longer opens it.")
        return EXIT_OK

    return guarded(action)
