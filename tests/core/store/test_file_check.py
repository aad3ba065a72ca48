"""The whole-file check apart from opening: the window opens without reading every page, and the check
(``core.store.file_check``) still finds a damaged page; what must be known before the first write is
checked either way."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from core.errors import DatabaseDamagedError, DatabaseTooNewError
from core.store import SCHEMA_VERSION, open_store
from core.store.file_check import check_file
from tests.core.store.test_opening import _real_database
from tests.keyed import raw_connect
from tests.signing_in import open_signed_in

PAGE = 4096


def _scribble_middle(path: Path) -> None:
    """Random bytes over two pages in the middle of the file (table and index pages), header intact."""
    data = bytearray(path.read_bytes())
    start = (len(data) // PAGE // 2) * PAGE
    data[start : start + 2 * PAGE] = os.urandom(2 * PAGE)
    path.write_bytes(bytes(data))


def test_a_sound_file_passes_the_check(db_path: Path) -> None:
    _real_database(db_path)
    check_file(db_path)  # no error
    with open_signed_in(db_path, whole_file_check=False) as store:
        check_file(db_path)  # beside an open store, on its own read-only connection
        assert store.practice().name.startswith("Demo Dermatology")


def test_a_damaged_page_is_found_by_the_check_not_by_the_quick_opening(db_path: Path) -> None:
    _real_database(db_path)
    _scribble_middle(db_path)
    with pytest.raises(DatabaseDamagedError, match="damaged"):
        open_store(db_path)  # the commands' opening reads every page
    with open_signed_in(db_path, whole_file_check=False, seed_demo=False) as store:
        assert store.practice().name.startswith("Demo Dermatology")  # the pages opening needs are sound
    with pytest.raises(DatabaseDamagedError, match="is damaged"):
        check_file(db_path)


def test_the_quick_opening_still_refuses_what_is_not_ours_or_too_new(db_path: Path) -> None:
    db_path.write_bytes(os.urandom(8000))  # not whole pages: whole random pages look like an encrypted file
    with pytest.raises(DatabaseDamagedError, match="not a database file at all"):
        open_store(db_path, whole_file_check=False)
    db_path.unlink()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseDamagedError, match="another program"):
        open_store(db_path, whole_file_check=False)
    db_path.unlink()
    with open_store(db_path):
        pass
    conn = raw_connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseTooNewError):
        open_store(db_path, whole_file_check=False)
