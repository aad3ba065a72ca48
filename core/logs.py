"""Logging for unexpected errors: one rotating log file in the user data folder."""

from __future__ import annotations

import logging
import logging.handlers

from core.paths import log_file

_CONFIGURED = False


def configure_logging() -> None:
    """Send warnings and errors (with tracebacks) to the log file; safe to call more than once."""
    global _CONFIGURED
    if _CONFIGURED:
        return
    handler = logging.handlers.RotatingFileHandler(
        log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    _CONFIGURED = True
