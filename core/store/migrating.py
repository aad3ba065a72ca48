"""Applying the schema migrations through sqlite-utils, whose transactions take the write lock first.

Imported only when a file's schema changes (a new file, a file of an older program): opening a file that
is up to date needs no sqlite-utils (``core.store.schema.up_to_date``), which keeps start-up short.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from core.store.connections import write_transaction
from core.store.schema import build_migrations


class StoreDatabase(Database):
    """sqlite-utils' ``Database`` whose transactions take the write lock first (``BEGIN IMMEDIATE``).

    sqlite-utils' own ``atomic`` begins with a plain ``BEGIN``: a transaction that reads and then writes
    is refused at once ("database is locked") when another program writes at the same moment, without
    waiting. Everything that writes through sqlite-utils (the schema migrations) comes through here.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | str) -> None:
        super().__init__(conn, execute_plugins=False)
        self.location = path

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        with write_transaction(self.conn, self.location):
            yield self


def migrate(conn: sqlite3.Connection, location: Path | str) -> None:
    """Apply the pending migrations (the file already passed its checks)."""
    db = StoreDatabase(conn, location)
    migrations = build_migrations()
    if migrations.pending(db):
        with db.atomic():  # one writer migrates; a second program starting now waits, then finds none
            migrations.apply(db)
