"""`superbill print ENCOUNTER_ID | --date YYYY-MM-DD [-o FILE] [--review]`: write superbill PDFs.

With ``--review`` it writes the biller's review sheet of the day (or of the encounter's day, for that
encounter) instead: what the checks found and who acknowledged it, the drafts, the totals — for staff,
never for the patient (``core.review``). Nothing is marked printed then.

One encounter gives ``superbill-<document no>.pdf``; a day gives ``superbills-YYYY-MM-DD.pdf`` with
every final encounter of the day, a page break per patient, in day-sheet order. The file is written
completely before it replaces anything, and only then are the encounters marked printed. Drafts and
void encounters are never printed (exit 2 with a message that says so).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from core.commands.common import EXIT_OK, guarded
from core.dates import read_date
from core.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from core.store import Store

#: how this command is named to a restore that must wait for it (core.store.sessions)
PROGRAM = "superbill print"


def run(args: argparse.Namespace) -> int:
    """Print one encounter's or one day's superbills; prints the path of the PDF written."""

    def action() -> int:
        from core.accounts import Action
        from core.commands.signing_in import open_signed_in
        from core.pdf.render import render_superbills
        from core.superbill.build import superbill_for, superbills_for_day

        day = parse_day(args.date) if args.date else None
        if args.db is not None and not Path(args.db).is_file():
            raise NotFoundError(
                f"There is no database at {args.db}. Check the path given with --db.", field="db"
            )
        with open_signed_in(args, program=PROGRAM, action=Action.PRINT) as store:
            if getattr(args, "review", False):
                target = _print_review(store, day, args)
                print(target)
                return EXIT_OK
            if day is not None:
                superbills = superbills_for_day(store, day)
                default_name = f"superbills-{day.isoformat()}.pdf"
            else:
                superbills = [superbill_for(store, encounter_id_of(store, args.encounter_id))]
                default_name = f"superbill-{superbills[0].document_number}.pdf"
            target = output_path(args.output, default_name)
            buffer = BytesIO()
            render_superbills(superbills, buffer)
            write_file(target, buffer.getvalue())
            printed = [s.encounter_id for s in superbills]
            store.mark_printed(printed)
            store.record_print(printed, f"superbill written to {target} (superbill print)")
        print(target)
        return EXIT_OK

    return guarded(action)


def _print_review(store: Store, day: date | None, args: argparse.Namespace) -> Path:
    """The biller's review sheet of the day (or of one encounter); nothing is marked printed."""
    from core.pdf.review import render_review
    from core.review import build_review

    if day is not None:
        sheet = build_review(store, day)
        name = f"review-{day.isoformat()}.pdf"
        shown = [e.id for e in store.encounters_on(day) if e.id is not None]
    else:
        encounter = store.get_encounter(encounter_id_of(store, args.encounter_id))
        sheet = build_review(store, encounter.date_of_service, encounter_id=encounter.id)
        name = f"review-{encounter.document_number or encounter.id}.pdf"
        shown = [encounter.id] if encounter.id is not None else []
    target = output_path(args.output, name)
    buffer = BytesIO()
    render_review(sheet, buffer)
    write_file(target, buffer.getvalue())
    store.record_print(shown, f"review sheet written to {target} (superbill print --review)")
    return target


def parse_day(text: str) -> date:
    """``11/27/2026`` (as the window and the superbill write it) or ``2026-11-27`` -> a date, or
    ``InputError`` saying how to type it."""
    typed = text.strip()
    try:
        if "/" in typed:
            return read_date(typed)
        return date.fromisoformat(typed)
    except ValueError:
        raise InputError(
            f"Date: “{text}” is not a date. Type it as MM/DD/YYYY, for example 11/27/2026.", field="date"
        ) from None


def encounter_id_of(store: Store, typed: str) -> int:
    """The encounter a user names: the document number printed on its superbill (``SB-000001``,
    letter case and leading zeros as typed) or the encounter number."""
    text = typed.strip()
    if text.isdigit():
        return int(text)
    found = store.encounter_by_document(text.upper())
    if found is None or found.id is None:
        raise InputError(
            f"There is no superbill numbered “{typed}”. Type the document number as printed at the top of "
            "the superbill, for example SB-000001.",
            field="encounter_id",
        )
    return found.id


def output_path(given: Path | None, default_name: str) -> Path:
    """Where the PDF goes: ``-o FILE``, ``default_name`` inside ``-o FOLDER``, or the current folder."""
    if given is None:
        return (Path.cwd() / default_name).resolve()
    target = Path(given).expanduser()
    if target.is_dir():
        target = target / default_name
    return target.resolve()


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then move it into place (never half a PDF)."""
    if not target.parent.is_dir():
        raise InputError(
            f"The folder {target.parent} does not exist. Choose an existing folder with -o.", field="output"
        )
    try:
        handle, temporary = tempfile.mkstemp(prefix=".superbill-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except PermissionError:
        raise InputError(
            f"The PDF cannot be written to {target}: permission denied (is the file open in a PDF "
            "viewer?). Close it or choose another file with -o.",
            field="output",
        ) from None
    except OSError as err:
        raise InputError(
            f"The PDF cannot be written to {target} ({err.strerror}). Choose another file with -o.",
            field="output",
        ) from None
