"""`superbill import FILE|-`: store a day's encounters exported by another system (docs/import.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.commands.common import EXIT_OK, EXIT_REJECTED, guarded, write_json
from core.errors import InputError, SuperbillError

#: how this command is named to a restore that must wait for it (core.store.sessions)
PROGRAM = "superbill import"


def _read(name: str) -> tuple[bytes, str]:
    """The file's bytes and how to name it in messages; ``-`` is standard input.

    At most one byte more than the file-size limit is read, so a huge file is refused (by
    ``parse_import``) without filling the memory first.
    """
    from core.importer import LIMITS

    most = LIMITS["file"].most
    if name == "-":
        return sys.stdin.buffer.read(most + 1), "The import data on standard input"
    path = Path(name)
    try:
        with path.open("rb") as file:
            return file.read(most + 1), f"The import file {path}"
    except FileNotFoundError:
        raise InputError(f"The import file {path} does not exist. Check the name.", field="file") from None
    except OSError as err:
        raise InputError(f"The import file {path} cannot be read ({err.strerror}).", field="file") from None


def run(args: argparse.Namespace) -> int:
    """Import; print the contract's JSON result. Exit 0 when every encounter is stored, else 2."""

    def action() -> int:
        from core.accounts import Action
        from core.commands.signing_in import open_signed_in
        from core.importer import import_encounters, parse_import

        try:
            data, source = _read(args.file)
            parse_import(data, source=source)  # an unreadable file stops here, before the database is opened
            with open_signed_in(args, program=PROGRAM, action=Action.IMPORT) as store:
                report = import_encounters(store, data, source=source)
        except SuperbillError as err:
            write_json(_nothing_stored(err))
            raise
        write_json(report.to_json())
        if report.stopped is not None:
            print(f"superbill: {report.stopped.text}", file=sys.stderr)
            return EXIT_REJECTED
        if report.rejected:
            for outcome in report.encounters:
                first = next((m for m in outcome.messages if str(m.severity) == "error"), None)
                if outcome.status == "rejected" and first is not None:
                    field = f"encounters[{outcome.index}]" + (f".{first.field}" if first.field else "")
                    print(f"superbill: {field}: {first.text}", file=sys.stderr)
            print(
                f"superbill: {report.rejected} of {len(report.encounters)} encounters could not be stored "
                '(status "rejected" above, with what to fix); every other encounter was stored.',
                file=sys.stderr,
            )
            return EXIT_REJECTED
        return EXIT_OK

    return guarded(action)


def _nothing_stored(err: SuperbillError) -> dict[str, object]:
    """The result object when nothing could be stored: zero counts and the reason as an error message."""
    rule = "INVALID_INPUT" if isinstance(err, InputError) else "DATABASE_UNUSABLE"
    return {
        "imported": 0,
        "final": 0,
        "draft": 0,
        "encounters": [],
        "messages": [{"severity": "error", "rule": rule, "field": err.field, "text": err.text}],
    }
