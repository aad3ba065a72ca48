"""What every command does with errors: known ones become a message and exit 2, bugs exit 1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable

from core.errors import SuperbillError

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any

EXIT_OK = 0
EXIT_BUG = 1
EXIT_REJECTED = 2


def guarded(action: Callable[[], int]) -> int:
    """Run ``action``; print a known error to stderr (exit 2); log a bug's traceback (exit 1)."""
    try:
        return action()
    except SuperbillError as err:
        print(f"superbill: {err.text}", file=sys.stderr)
        return EXIT_REJECTED
    except Exception as err:
        # sqlite3 and sqlcipher3 are not imported here: a command that never opened the database
        # (superbill code) should not pay for them, and then no error can be one of theirs
        kinds = tuple(
            module.Error for name in ("sqlite3", "sqlcipher3.dbapi2") if (module := sys.modules.get(name))
        )
        if not kinds or not isinstance(err, kinds):
            return _bug()
        from core.store import connections

        if not (connections.is_storage_failure(err) or connections.is_damage(err)):
            return _bug()
        # a read the disk refused (writes already come back from the store as messages)
        print(f"superbill: {connections.cannot_read(err).text}", file=sys.stderr)
        return EXIT_REJECTED


def show_new_recovery_key(store: Any) -> None:
    """When the command has just made (or encrypted) the database, show its recovery key once."""
    recovery = getattr(store, "new_recovery_key", None)
    if recovery is not None:
        from core.commands.keys import print_new_recovery_key

        print_new_recovery_key(recovery.text, store.path)
        store.new_recovery_key = None


def _bug() -> int:
    """Log the exception being handled with its traceback; tell the user where it went (exit 1)."""
    import logging  # imported here: a command that succeeds never loads the logging machinery

    from core.logs import configure_logging
    from core.paths import log_file

    configure_logging()
    logging.getLogger(__name__).exception("unexpected error in a command")
    print(
        "superbill: something went wrong inside the program (this is a bug). "
        f"Nothing was changed by the failed step. Details were written to {log_file()}.",
        file=sys.stderr,
    )
    return EXIT_BUG


def write_json(payload: Any, *, indent: int | None = None) -> None:
    """Write one JSON object to standard output as UTF-8, whatever the console's own encoding."""
    data = (json.dumps(payload, ensure_ascii=False, indent=indent) + "\n").encode("utf-8")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # a text-only stream (some embedding hosts)
        sys.stdout.write(data.decode("utf-8"))


def exit_without_teardown(status: int) -> None:
    """End a finished ``superbill code`` process at once with ``status``, without the interpreter's
    teardown (unloading its modules and freeing the code tables: several ms of a call that takes a
    tenth of a second; issue 14). Such a process needs none: it wrote only to standard output and
    error, flushed here, and registered nothing to run at exit. Returns instead, for the normal exit,
    after a bug (exit 1: its log is closed at exit) or when flushing fails (a closed pipe: the
    interpreter reports that as it always does)."""
    if status not in (EXIT_OK, EXIT_REJECTED) or "logging" in sys.modules:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)
