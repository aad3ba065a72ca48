"""Which programs have a database open: a row per window or command, added when it opens the file and
removed when it closes it.

The row is only a name for a lock that SQLite already enforces: whether another program really has the
file open is asked of SQLite (``connections.others_connected``); these rows say *which* program, so a
restore that must be alone can tell the user what to close. A program that crashed leaves its row
behind; rows of processes that no longer run on this computer are left out when naming.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
from datetime import datetime
from pathlib import Path

from core.store import connections


def register(
    conn: sqlite3.Connection, path: Path | str, *, program: str, user: str, at: datetime
) -> int | None:
    """Record that this process has the database open; returns the row to remove at close (``None``
    for a file whose schema has no such table: only the tests make those)."""
    if (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").fetchone()
        is None
    ):
        return None
    with connections.write_transaction(conn, path):
        cursor = conn.execute(
            "INSERT INTO sessions (program, user, host, pid, started_at) VALUES (?, ?, ?, ?, ?)",
            [program, user, socket.gethostname(), os.getpid(), at.isoformat(timespec="seconds")],
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def unregister(conn: sqlite3.Connection, path: Path | str, session_id: int) -> None:
    """Remove this process's row (at close); a failure here loses nothing and is ignored."""
    try:
        with connections.write_transaction(conn, path):
            conn.execute("DELETE FROM sessions WHERE id = ?", [session_id])
    except Exception:  # closing must not fail because the row could not be removed
        return


def _still_running(host: str, pid: int) -> bool:
    if host != socket.gethostname() or os.name == "nt":
        return True  # cannot tell for another computer; Windows has no harmless signal 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, belongs to another user
    return True


def describe_others(path: Path) -> str:
    """Plain words for the programs that have ``path`` open (read-only; never changes the file)."""
    try:
        with contextlib.closing(connections.connect(path, read_only=True, timeout=1.0)) as conn:
            found = conn.execute(
                "SELECT program, user, host, pid, started_at FROM sessions ORDER BY id"
            ).fetchall()
    except connections.Error:
        found = []
    names = [
        f"{program} (user {user}, process {pid}{'' if host == socket.gethostname() else ' on ' + host}, "
        f"open since {started_at.replace('T', ' ')[:16]})"
        for program, user, host, pid, started_at in found
        if int(pid) != os.getpid() and _still_running(str(host), int(pid))
    ]
    if not names:
        return "a program that did not give its name (a backup, superbill verify, or a copy in progress)"
    return "; ".join(names)
