"""The visit typed before its patient is chosen: kept on disk while it is typed, read back at start-up.

The store only holds visits of a patient, so the editor keeps this *pending* visit in a small file
next to the database (``core.pending_visit``), rewritten at every edit and removed once the visit is
given to a patient or dropped. ``PendingVisitFile`` does that for the editor; ``recover`` reads it
back for the window when it opens (an unreadable file is set aside as ``….damaged``). What the status
lines say about it is here too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core import pending_visit
from core.dates import shown_date, shown_day
from core.store.records import EncounterRecord

log = logging.getLogger("superbill.gui")


def pending_status(day: date, recovered: bool) -> str:
    """The editor's status line while the visit has no patient yet."""
    again = "recovered after the program ended · " if recovered else ""
    return (
        f"{shown_day(day)} · {again}not saved until the patient is chosen; what you type "
        "here goes to their visit · coded as commercial insurance for now"
    )


class PendingVisitFile:
    """Where the pending visit of one database is kept (nowhere for a database in memory)."""

    def __init__(self, db_path: Path | None) -> None:
        self.path = pending_visit.pending_file_for(db_path)

    def keep(self, pending: EncounterRecord | None, day: date) -> str | None:
        """Write ``pending`` to the file, or remove the file when nothing billable is typed (``None``).

        Returns what the status line should say when the file could not be written (typing goes on;
        the visit is still in the editor), else ``None``.
        """
        path = self.path
        if path is None:
            return None
        try:
            if pending is None:
                pending_visit.remove(path)
            else:
                pending_visit.write(path, pending)
        except OSError as error:
            log.warning("could not keep the visit with no patient yet in %s: %s", path, error)
            return (
                f"{shown_day(day)} · not saved until the patient is chosen, and it could not be "
                f"written to {path.parent} ({error.strerror or error}); choose the patient soon"
            )
        return None


@dataclass(frozen=True)
class Recovered:
    """What start-up found on disk: the visit to show again (``None``: none) and what to say."""

    record: EncounterRecord | None
    message: str = ""


def recover(db_path: Path | None) -> Recovered:
    """Read back the visit with no patient yet that the program kept for ``db_path`` when it last ended.

    A file with nothing billable in it is removed. An unreadable file is renamed ``….damaged`` (kept
    for a look, never read again) and the message says so.
    """
    path = pending_visit.pending_file_for(db_path)
    if path is None:
        return Recovered(None)
    try:
        record = pending_visit.read(path)
    except (pending_visit.UnreadablePendingVisitError, OSError) as error:
        log.warning("the visit with no patient yet in %s cannot be read: %s", path, error)
        try:
            where = f"it was kept aside as {pending_visit.set_aside(path)}"
        except OSError:
            where = f"it is still at {path}"
        return Recovered(
            None,
            "A visit typed before its patient was chosen could not be read back after the program "
            f"ended ({where}). Nothing else is affected; please type that visit's lesions again.",
        )
    if record is None:
        return Recovered(None)
    if not (record.lesions or record.em_code):
        path.unlink(missing_ok=True)
        return Recovered(None)
    groups = len(record.lesions)
    return Recovered(
        record,
        f"Recovered the visit typed before its patient was chosen ({shown_date(record.date_of_service)}, "
        f"{groups} lesion entr{'y' if groups == 1 else 'ies'}). Find or add the patient to save it.",
    )
