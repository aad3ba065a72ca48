"""When another window or program saved the encounter first: say so, and let the user choose.

The store refuses to save over a change this window has not seen (``StaleRecordError``, in its own
words: who changed what, when). While a draft is being typed, the user chooses to see the draft as
it is now (what was typed here is dropped) or to save theirs over it; a step on a final encounter
(payment, void, reopen, final) is refused, and the encounter is shown as it is now so the step can
be taken again on what is really there.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from PySide6.QtWidgets import QWidget

from core.errors import StaleRecordError
from core.store import Store
from core.store.records import EncounterRecord, EncounterStatus
from gui.dialogs import dialogs

TITLE = "Changed in another window"


class Choice(Enum):
    """What to do with a draft changed elsewhere."""

    SHOW_THEIRS = "show the encounter as it is now"
    KEEP_MINE = "save what was typed here over it"


def resolve_draft(
    parent: QWidget, store: Store, changed: StaleRecordError, mine: EncounterRecord
) -> tuple[Choice, EncounterRecord] | None:
    """The draft ``mine`` could not be saved because it ``changed`` elsewhere: what now?

    Returns ``(SHOW_THEIRS, stored)``, ``(KEEP_MINE, mine at the stored version)`` or ``None`` (the
    question was closed: nothing happens). An encounter that is no longer a draft is shown as it is.
    """
    assert mine.id is not None
    stored = store.get_encounter(mine.id)
    if stored.status is not EncounterStatus.DRAFT:
        dialogs().problem(
            parent, TITLE, f"{changed.text}\n\nIt is now {stored.status.value}, so it is shown as it is."
        )
        return Choice.SHOW_THEIRS, stored
    keep = dialogs().choose(parent, TITLE, changed.text, ["Show it as it is now", "Keep mine and save it"])
    if keep == 1:
        return Choice.KEEP_MINE, replace(mine, version=stored.version)
    if keep == 0:
        return Choice.SHOW_THEIRS, stored
    return None


def tell_refused(parent: QWidget, changed: StaleRecordError) -> None:
    """A step on the encounter was refused because it ``changed`` elsewhere."""
    dialogs().problem(parent, TITLE, changed.text)
