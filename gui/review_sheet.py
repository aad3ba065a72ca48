"""The biller's review sheet from the window: *Day → Review sheet…* and *Visit → Review sheet of this visit…*.

The sheet (``core.review.build_review``) is read from the database on the main thread, drawn
(``core.pdf.review.render_review``) on a worker thread through ``Printing.render_and_preview``, and
shown in the same preview as a superbill, with *Print…* and *Save as PDF…* and the same "where it
went" status line. It is for staff: printing or saving it never marks a visit printed. A day with no
visit gets a calm word, not an error.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from core.dates import shown_date
from core.errors import InputError
from gui.dialogs import dialogs
from gui.errors import show_error

if TYPE_CHECKING:
    from core.review import ReviewSheet
    from gui.main_window import MainWindow

NOUN = "review sheet"


def review_day(window: MainWindow) -> None:
    """The review sheet of the day shown on the day sheet."""
    day = window.day_sheet.day
    _review(window, day, None, f"Review sheet of {shown_date(day)}", f"review-sheet-{day.isoformat()}.pdf")


def review_visit(window: MainWindow) -> None:
    """The review sheet of the visit open in the editor (a visit with no patient yet has none)."""
    record = window.editor.encounter
    if record is None or record.id is None:
        dialogs().inform(
            window,
            "Nothing to review yet",
            "This visit is not saved yet: choose its patient first. The review sheet shows what the "
            "checks found on a saved visit.",
        )
        return
    try:
        patient = window.store.get_patient(record.patient_id)
    except Exception as error:
        show_error(window, error, "show the review sheet")
        return
    name = f"review-sheet-{record.document_number or record.id}-{patient.last_name}.pdf"
    _review(window, record.date_of_service, record.id, f"Review sheet — {patient.display_name}", name)


def _review(window: MainWindow, day: date, encounter_id: int | None, title: str, name: str) -> None:
    from core.review import build_review  # late: ReportLab is only needed to print

    try:
        sheet = build_review(window.store, day, encounter_id=encounter_id)
    except InputError as error:  # no visit on that day: nothing to review, nothing went wrong
        dialogs().inform(window, "Nothing to review", error.text)
        return
    except Exception as error:
        show_error(window, error, "show the review sheet")
        return
    shown = [e.encounter_id for e in (*sheet.billed, *sheet.drafts, *sheet.void)]
    window.store.record_print(shown, "review sheet shown (to print or save from its preview)")
    window.printing.render_and_preview(
        lambda out: _draw(sheet, out), "Preparing the review sheet…", title, name, noun=NOUN
    )


def _draw(sheet: ReviewSheet, out: BinaryIO) -> None:  # on a worker thread: no widgets, no database
    from core.pdf.review import render_review

    render_review(sheet, out)
