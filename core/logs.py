"""Logging for unexpected errors: one rotating log file in the user data folder.

The rotating file (``logging.handlers``, which brings sockets, pickling and queues) is opened at the
first warning or error, or when ``open_log_file`` is called (the window calls it once it is shown);
until then information records wait in memory, in order, and nothing is lost.
"""

from __future__ import annotations

import logging

from core.paths import log_file

_CONFIGURED = False
#: information records kept until the log file is opened; more than this are dropped (oldest kept)
HELD_RECORDS = 1000


class _LogFile(logging.Handler):
    """The root handler: holds information records until the rotating file is opened, then writes."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[logging.LogRecord] = []
        self.file: logging.Handler | None = None

    def open(self) -> None:
        if self.file is not None:
            return
        import logging.handlers

        file = logging.handlers.RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.file = file
        held, self.held = self.held, []
        for record in held:
            file.handle(record)

    def emit(self, record: logging.LogRecord) -> None:
        if self.file is None and record.levelno < logging.WARNING:
            if len(self.held) < HELD_RECORDS:
                self.held.append(record)
            return
        self.open()
        assert self.file is not None
        self.file.handle(record)

    def flush(self) -> None:
        if self.file is not None:
            self.file.flush()

    def close(self) -> None:  # at exit (logging.shutdown): what is held is written, not lost
        try:
            if self.held:
                self.open()
            if self.file is not None:
                self.file.close()
        finally:
            super().close()


_handler: _LogFile | None = None


def configure_logging() -> None:
    """Send warnings and errors (with tracebacks) to the log file; safe to call more than once."""
    global _CONFIGURED, _handler
    if _CONFIGURED:
        return
    _handler = _LogFile()
    root = logging.getLogger()
    root.addHandler(_handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    _CONFIGURED = True


def open_log_file() -> None:
    """Open the log file now (and write the records held so far); nothing when logging is not set up."""
    if _handler is not None:
        _handler.open()
