"""SQLite's own check of the whole file (``PRAGMA quick_check``), kept apart from opening.

Opening reads only what must be known before the first write — an SQLite file with Superbill Desk's
marks and a schema that is not newer (``core.store.schema.check_schema``) — so it costs the same for a
day's file and for ten years of a practice. The whole-file check reads every page (about a second for
a 100 MB file): the commands still run it as they open the file (``open_store``'s default), and the
window runs it in the background at start-up, beside today's automatic backup and before it, so a
damaged file is said at once and never copied over a good backup (``gui.backups``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.store import connections
from core.store.connections import cannot_open, connect, damaged


def quick_check(conn: sqlite3.Connection, path: Path | str) -> None:
    """Run ``PRAGMA quick_check`` on ``conn``; raise ``DatabaseDamagedError`` naming what it found.

    Reads only. SQLite itself tells a file that is not a database ("file is not a database"); any
    other error is told apart by ``connections.cannot_open`` (busy, unreadable, damaged).
    """
    try:
        found = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
    except connections.DatabaseError as err:  # SQLCipher's and the standard library's
        raise cannot_open(path, err) from err
    if found != ["ok"]:
        raise damaged(path, f"is damaged (the database check found: {found[0]})")


def check_file(path: Path) -> None:
    """``quick_check`` on a read-only connection of its own: safe on any thread, beside open stores."""
    conn = connect(path, read_only=True)
    try:
        quick_check(conn, path)
    finally:
        conn.close()
