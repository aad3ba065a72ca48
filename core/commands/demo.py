"""`superbill demo remove`: delete the demo patients and their encounters from the database."""

from __future__ import annotations

import argparse

from core.commands.common import EXIT_OK, guarded

#: how this command is named to a restore that must wait for it (core.store.sessions)
PROGRAM = "superbill demo"


def run(args: argparse.Namespace) -> int:
    """Remove the demo data; prints what was removed (nothing to remove is not an error)."""

    def action() -> int:
        from core.accounts import Action
        from core.commands.signing_in import open_signed_in

        with open_signed_in(args, program=PROGRAM, action=Action.PRACTICE_SETTINGS, seed_demo=False) as store:
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
