"""ICD-10-CM search inside the database: a full-text index of the code set in use.

The index is a copy of ``core.icd10.all_codes()`` (about 98,000 codes) with an FTS5 table over the
descriptions. It is built the first time someone searches and rebuilt only when ``core.icd10``
reports a different release, so opening the database stays fast. A code prefix (``l57``, ``C44.3``)
searches codes; words (``actinic kerat``) search descriptions, each word as a word start.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from core.store.records import Icd10Hit

_RELEASE_KEY = "icd10_release"
_CODE_LIKE = re.compile(r"^[A-Z]\d[0-9A-Z]{0,5}$")


def _bare(code: str) -> str:
    return "".join(code.split()).replace(".", "").upper()


def _dotted(bare: str) -> str:
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


def indexed_release(conn: sqlite3.Connection) -> str | None:
    """The ICD-10-CM release the index holds, or ``None`` before the first build."""
    row = conn.execute("SELECT value FROM meta WHERE name = ?", [_RELEASE_KEY]).fetchone()
    return None if row is None else str(row[0])


def rebuild(conn: sqlite3.Connection, release: str, codes: Iterable[tuple[str, str, bool]]) -> int:
    """Replace the index with ``codes`` (code, description, billable); call inside a transaction."""
    conn.execute("DELETE FROM icd10_codes")
    count = 0

    def rows() -> Iterable[tuple[str, str, int]]:
        nonlocal count
        for code, description, billable in codes:
            count += 1
            yield (_bare(code), description, int(billable))

    conn.executemany("INSERT INTO icd10_codes (code, description, billable) VALUES (?, ?, ?)", rows())
    conn.execute("INSERT INTO icd10_fts (icd10_fts) VALUES ('rebuild')")
    conn.execute(
        "INSERT INTO meta (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [_RELEASE_KEY, release],
    )
    return count


def _fts_query(words: list[str]) -> str:
    """Each word as a quoted prefix term, all required: ``"actinic"* AND "kerat"*``."""
    return " AND ".join(f'"{w}"*' for w in words)


def search(conn: sqlite3.Connection, query: str, limit: int) -> list[Icd10Hit]:
    """Codes starting with the typed code, else codes whose description has every typed word;
    billable codes first, then by code (prefix search) or by relevance (word search)."""
    if limit <= 0:
        return []
    key = _bare(query)
    if _CODE_LIKE.match(key):
        found = conn.execute(
            "SELECT code, description, billable FROM icd10_codes WHERE code >= ? AND code < ? "
            "ORDER BY billable DESC, code LIMIT ?",
            [key, key + "\x7f", limit],
        ).fetchall()
        if found:
            return [Icd10Hit(_dotted(c), d, bool(b)) for c, d, b in found]
    words = [w for w in re.split(r"[^0-9a-zA-Z]+", query.casefold()) if w]
    if not words:
        return []
    found = conn.execute(
        "SELECT c.code, c.description, c.billable FROM icd10_fts "
        "JOIN icd10_codes c ON c.id = icd10_fts.rowid WHERE icd10_fts MATCH ? "
        "ORDER BY c.billable DESC, icd10_fts.rank, c.code LIMIT ?",
        [_fts_query(words), limit],
    ).fetchall()
    return [Icd10Hit(_dotted(c), d, bool(b)) for c, d, b in found]
