"""Verbs for the ICD-10-CM search (the index inside the database, built once per release)."""

from __future__ import annotations

from core.accounts import Action
from core.store import icd10_search
from core.store.records import (
    Icd10Hit,
)
from core.store.verbs.base import StoreBase, requires


class Icd10Verbs(StoreBase):
    """ICD-10-CM code search."""

    # -- ICD-10-CM --------------------------------------------------------------------------------

    @requires(Action.READ_PRACTICE)
    def search_icd10(self, query: str, limit: int = 20) -> list[Icd10Hit]:
        """ICD-10-CM codes for a typed code prefix (``L57``) or words (``actinic keratosis``).

        The first search after a new ICD-10-CM release is loaded builds the index (a second or two);
        later searches use it directly.
        """
        if not query.strip():
            return []
        self.ensure_icd10_index()
        return icd10_search.search(self.conn, query, limit)

    @requires(Action.READ_PRACTICE)
    def ensure_icd10_index(self) -> bool:
        """Build the ICD-10-CM search index if it is missing or from another release; True if built."""
        from core import icd10

        release = icd10.release()
        if icd10_search.indexed_release(self.conn) == release:
            return False
        with self.transaction():
            icd10_search.rebuild(
                self.conn, release, ((c.code, c.description, c.billable) for c in icd10.all_codes())
            )
        return True
