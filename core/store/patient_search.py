"""Patient search: what was typed in the search box → matching patients, best first, in bounded work.

The order is: an exact chart number first, then by normalised last name, first name, date of birth
and record number. Each typed word must match: a date (``MM/DD/YYYY`` or ``YYYY-MM-DD``) matches the
date of birth; other words match the start of the last or first name, or of any word of a compound
name (``lopez`` finds García López); a single word also matches a chart number exactly or by its
beginning.

Why it is built this way: one query with ``ORDER BY`` over an ``OR`` of several indexes would have
SQLite sort every matching row before ``LIMIT`` — at 50,000 patients a four-letter name prefix
matches hundreds of rows on every keystroke. Instead the first word (or a date, the most selective
word) "drives" the search through sources that each read at most ``limit`` rows already in the
final order from an index (``patients_last_norm``, ``patients_first_norm``, ``patients_dob`` all end
in the sort columns), with the other words applied as filters inside each source. The union of the
sources' top rows holds the overall top rows, so only that small candidate set is sorted.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from core.store import connections
from core.store.patients import normalise_name, parse_search_date

#: SQL function registered on every store connection: does a name have a word starting with a prefix?
NAME_MATCH_FUNCTION = "superbill_name_matches"
#: the order a search lists patients in (the name indexes end in these columns)
ORDER = "last_norm, first_norm, date_of_birth, id"
_ORDER = ORDER
_WORDS = re.compile(r"[\s,;]+")


def name_matches(first_name: str, last_name: str, prefix: str) -> bool:
    """True when the whole first or last name, or any word of either, starts with ``prefix``
    (all normalised). The filter applied to every typed word but the first."""
    if not prefix:
        return False
    candidates = [
        first_name,
        last_name,
        *_WORDS.split(first_name),
        *_WORDS.split(last_name),  # typed words keep their hyphens: "A-B" is one word of "Li A-B"
        *_name_words(first_name),
        *_name_words(last_name),
    ]
    return any(normalise_name(text).startswith(prefix) for text in candidates)


def _name_words(name: str) -> list[str]:
    """The words of a name: runs of letters and digits (accents kept with their letter)."""
    decomposed = unicodedata.normalize("NFKD", name)
    spaced = "".join(ch if ch.isalnum() or unicodedata.combining(ch) else " " for ch in decomposed)
    return spaced.split()


def register(conn: sqlite3.Connection) -> None:
    """Make ``name_matches`` callable from SQL on this connection (once per opened store)."""
    conn.create_function(NAME_MATCH_FUNCTION, 3, name_matches, deterministic=True)


def _upper_bound(prefix: str) -> str:
    """The smallest text after every text starting with ``prefix`` (for an index range)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


#: at most this many distinct first names get a read of their own (SQLite allows 500 parts in one
#: UNION); a shorter prefix that starts more first names reads them as one range, sorted
MOST_FIRST_NAMES = 400

Source = tuple[str, list[Any]]


class _Search:
    """One search: the typed words turned into a driving word and SQL filters."""

    def __init__(self, conn: sqlite3.Connection, words: list[str], limit: int) -> None:
        self.conn = conn
        self.limit = limit
        self.filters: list[str] = []
        self.params: list[Any] = []
        dates = [i for i, w in enumerate(words) if parse_search_date(w) is not None]
        self.driver = dates[0] if dates else 0
        for i, word in enumerate(words):
            if i == self.driver:
                continue
            day = parse_search_date(word)
            if day is not None:
                self.filters.append("date_of_birth = ?")
                self.params.append(day.isoformat())
            else:
                self.filters.append(f"{NAME_MATCH_FUNCTION}(first_name, last_name, ?)")
                self.params.append(normalise_name(word))

    def top(self, where: str, params: list[Any]) -> Source:
        """The ids of at most ``limit`` rows matching ``where`` and every filter, in search order."""
        condition = " AND ".join([where, *self.filters])
        sql = f"SELECT id FROM patients WHERE {condition} ORDER BY {_ORDER} LIMIT ?"
        return sql, [*params, *self.params, self.limit]

    def first_names(self, low: str, high: str) -> list[str]:
        """The distinct normalised first names in ``[low, high)``, one index seek each."""
        found = self.conn.execute(
            "WITH RECURSIVE names(value) AS ("
            " SELECT (SELECT min(first_norm) FROM patients WHERE first_norm >= :low AND first_norm < :high)"
            " UNION ALL SELECT (SELECT min(first_norm) FROM patients"
            "  WHERE first_norm > names.value AND first_norm < :high)"
            " FROM names WHERE names.value IS NOT NULL"
            f") SELECT value FROM names WHERE value IS NOT NULL LIMIT {MOST_FIRST_NAMES + 1}",
            {"low": low, "high": high},
        )
        return [str(r[0]) for r in found]

    def name_sources(self, typed: str, norm: str) -> list[Source]:
        """Rows whose last name, first name or a later word of a compound name starts with ``norm``
        (``typed`` is the word as typed: a hyphenated one also finds that part of a longer name)."""
        high = _upper_bound(norm)
        sources = [self.top("last_norm >= ? AND last_norm < ?", [norm, high])]
        firsts = self.first_names(norm, high)
        if len(firsts) > MOST_FIRST_NAMES:
            sources.append(self.top("first_norm >= ? AND first_norm < ?", [norm, high]))
        else:
            sources += [self.top("first_norm = ?", [first]) for first in firsts]
        # words after the first of a compound name ("López" in "García López"); initial words are
        # the name's start, found above, so the full-text index hands over only the few others
        words = f'"{norm}"* NOT ^"{norm}"*'
        sources.append(self.top("id IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?)", [words]))
        parts = [part for part in (normalise_name(w) for w in _name_words(typed)) if part]
        if len(parts) > 1:
            # "a-b" typed: the index holds "a" and "b" as separate words; find the phrase, then keep
            # only names that really have a word "a-b…" (not "A Bob")
            phrase = '"' + " ".join(parts) + '"*'
            sources.append(
                self.top(
                    "id IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?) "
                    f"AND {NAME_MATCH_FUNCTION}(first_name, last_name, ?)",
                    [phrase, norm],
                )
            )
        return sources


def sources(conn: sqlite3.Connection, query: str, limit: int) -> list[Source]:
    """The reads one search makes, as (SQL, parameters): each returns at most ``limit`` patient ids
    in search order (``search`` unites them; tests look at their query plans)."""
    typed = [w for w in _WORDS.split(query.strip()) if w]
    # a word of punctuation only ("-" in "- A", a name as typed) says nothing: it is passed over
    words = (
        [w for w in typed if parse_search_date(w) is not None or normalise_name(w)]
        if len(typed) > 1
        else typed
    )
    if not words or limit <= 0:
        return []
    plan = _Search(conn, words, limit)
    driver = words[plan.driver]
    day = parse_search_date(driver)
    if day is not None:
        return [plan.top("date_of_birth = ?", [day.isoformat()])]
    norm = normalise_name(driver)
    found = plan.name_sources(driver, norm) if norm else []
    if len(words) == 1:
        found.append(("SELECT id FROM patients WHERE chart_number = ? COLLATE NOCASE", [driver]))
        found.append(
            plan.top(
                "chart_number >= ? COLLATE NOCASE AND chart_number < ? COLLATE NOCASE",
                [driver, driver + "\U0010ffff"],
            )
        )
    return found


def search(conn: sqlite3.Connection, query: str, limit: int) -> list[sqlite3.Row]:
    """The patient rows matching ``query``, best first, at most ``limit`` (see the module docstring).

    One statement: the union of the sources' ids (a few times ``limit`` at most) is all that is sorted.
    """
    found = sources(conn, query, limit)
    if not found:
        return []
    union = " UNION ALL ".join(f"SELECT id FROM ({sql})" for sql, _ in found)
    params = [value for _, values in found for value in values]
    cursor = conn.cursor()
    cursor.row_factory = connections.Row
    return list(
        cursor.execute(
            f"SELECT * FROM patients WHERE id IN ({union}) "
            f"ORDER BY (chart_number = ? COLLATE NOCASE) DESC, {_ORDER} LIMIT ?",
            [*params, query.strip(), limit],
        )
    )
