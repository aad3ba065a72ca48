"""`superbill demo remove`: delete the demo patients and their encounters from the database."""

from __future__ import annotations

import argparse

from core.commands.common import EXIT_OK, guarded, show_new_recovery_key

#: how this command is named to a restore that must wait for it (core.store.sessions)
PROGRAM = "superbill demo"


def run(args: argparse.Namespace) -> int:
    """Remove the demo data; prints what was removed (nothing to remove is not an error)."""

    def action() -> int:
        from core.store import open_store

        with open_store(args.db, seed_demo=False, program=PROGRAM) as store:
            show_new_recovery_key(store)
            patients, encounters = store.remove_demo_data()
        if patients == 0:
            print("There are no demo patients in this database; nothing was changed.")
        else:
            print(
                f"Removed {patients} demo patient{'s' if patients != 1 else ''} and "
                f"{encounters} encounter{'s' if encounters != 1 else ''}. The practice, provider, payers "
                "and fees are kept: edit them into your practice's own in Settings."
            )
        return EXIT_OK

    return guarded(action)
