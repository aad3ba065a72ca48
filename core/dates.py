"""How a date is written to a person: MM/DD/YYYY, the one format of the window, messages and paper.

Every message, status line, dialog and label writes a date with these helpers, so "2026-11-21" and
"11/21/2026" cannot be mixed again. The JSON contracts (``superbill code``, ``superbill import``, the
pending-visit file, the database) keep ISO dates (``YYYY-MM-DD``): they are read by programs, and their
messages quote a file's value as the file wrote it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

#: the date format of the US front desk (``strftime``/``strptime``)
DATE_FORMAT = "%m/%d/%Y"
#: an ISO date as it must not appear in what people read (tests scan for it)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def shown_date(day: date) -> str:
    """``11/21/2026``."""
    return day.strftime(DATE_FORMAT)


def shown_day(day: date) -> str:
    """``Sat 11/21/2026``: the date with its weekday, where a day is picked or shown."""
    return day.strftime(f"%a {DATE_FORMAT}")


def shown_moment(moment: datetime) -> str:
    """``11/21/2026 02:05 PM`` in the computer's time zone."""
    return moment.astimezone().strftime(f"{DATE_FORMAT} %I:%M %p")


def read_date(typed: str) -> date:
    """``11/21/2026`` → the date; ``ValueError`` when it is not one."""
    return datetime.strptime(typed.strip(), DATE_FORMAT).date()
