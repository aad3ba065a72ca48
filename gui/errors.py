"""Showing problems: known errors get one calm message; anything else is logged as a bug.

Neither path changes what the user has typed: the form stays as it was.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from core.errors import SuperbillError
from core.paths import log_file
from gui.dialogs import dialogs

log = logging.getLogger("superbill.gui")
T = TypeVar("T")


def show_error(parent: QWidget | None, error: BaseException, doing: str = "") -> None:
    """Tell the user about ``error``: its own words for known errors, a log pointer for bugs."""
    title = f"Could not {doing}" if doing else "Superbill Desk"
    if isinstance(error, SuperbillError):
        dialogs().problem(parent, title, error.text)
        return
    log.error("Unexpected error%s", f" while trying to {doing}" if doing else "", exc_info=error)
    dialogs().problem(
        parent,
        title,
        "Something unexpected went wrong. Nothing you entered was lost; you can keep working.\n\n"
        f"The details were written to the log file:\n{log_file()}\n"
        "Please send that file to your support contact.",
        details=f"{type(error).__name__}: {error}",
    )


def install_excepthook(parent: QWidget | None) -> None:
    """Route uncaught exceptions from slots to ``show_error`` instead of ending the program."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        show_error(parent, error.with_traceback(tb))

    sys.excepthook = hook


def reporting(doing: str) -> Callable[[Callable[..., T]], Callable[..., T | None]]:
    """Decorate a widget's slot: any error is shown (``show_error``) instead of escaping the slot.

    ``doing`` completes "Could not …" in the dialog title, e.g. ``"save the patient"``.
    """

    def wrap(method: Callable[..., T]) -> Callable[..., T | None]:
        @functools.wraps(method)
        def slot(self: QWidget, *args: object, **kwargs: object) -> T | None:
            try:
                return method(self, *args, **kwargs)
            except Exception as error:
                show_error(self, error, doing)
                return None

        return slot

    return wrap
