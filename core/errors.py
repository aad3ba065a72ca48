"""Known errors: problems a front-desk person can act on.

Every error here carries a message in plain words that says which field or file is involved, what is
wrong and what to do. The window shows it in one calm dialog; the command line prints it and exits
with status 2. Any other exception is a bug: it is logged with its traceback (exit status 1).
"""

from __future__ import annotations


class SuperbillError(Exception):
    """A problem the user can fix; ``str(error)`` is the full sentence to show them."""

    def __init__(self, text: str, *, field: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.field = field


class InputError(SuperbillError):
    """Something typed or supplied is not valid (which field, what is wrong, what to do)."""


class NotFoundError(SuperbillError):
    """The encounter, patient or file asked for does not exist."""


class StoreError(SuperbillError):
    """The database file cannot be used as asked."""


class DatabaseDamagedError(StoreError):
    """The file is not a Superbill Desk database, or it failed its integrity check."""


class DatabaseTooNewError(StoreError):
    """The file was written by a newer version of the program; opening it could damage it."""


class StoreBusyError(StoreError):
    """Another program kept the database locked for too long; nothing was changed, trying again helps."""


class StaleRecordError(StoreError):
    """The record was changed by another window or program since it was read; nothing was saved."""


class DatabaseInUseError(StoreError):
    """Another program has the database open, and the step asked for must be alone with it."""


class NotAllowedError(SuperbillError):
    """The signed-in person's role does not allow this step (or nobody is signed in)."""


class SignInError(SuperbillError):
    """A sign-in was refused: unknown name, wrong password, or too many wrong tries in a row.

    ``wait_seconds`` is how long to wait before the next try is looked at (0 when it may be now)."""

    def __init__(self, text: str, *, wait_seconds: int = 0) -> None:
        super().__init__(text, field="password")
        self.wait_seconds = wait_seconds
