"""A checked database file whose ``Store`` is made at its first use: the window's sign-in screen shows
before the store's verbs and records are imported and before the file's first write.

``check_file`` (``core.store.opening``) has already refused what is not ours, damaged, too new or
locked by a key this computer lacks; what waits is the rest of ``open_store``: the safety settings
(write-ahead log), this program's entry in the file's ``sessions`` and the ``Store`` object. A new file
and a file to migrate are finished at once (what they hold is known only after those writes).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.store.opening import CheckedFile

if TYPE_CHECKING:
    from core.accounts import Account
    from core.store.store import Store


class StoreLater:
    """The store of a checked file, finished by ``store()`` (at the latest at the first sign-in).

    Until then it answers what the sign-in screen asks (``has_accounts``) from the checked file;
    ``sign_in`` and ``create_first_administrator`` finish it first. Close it if it is never used.
    """

    def __init__(self, checked: CheckedFile, *, program: str) -> None:
        self._checked: CheckedFile | None = checked
        self._program = program
        self._store: Store | None = None
        self.path: Path | None = checked.path
        if checked.needs_writes_first():
            self.store()

    @property
    def finished(self) -> bool:
        return self._store is not None

    def store(self) -> Store:
        """The open ``Store`` (made now, the first time)."""
        if self._store is None:
            checked = self._checked
            if checked is None:
                raise RuntimeError("the database was closed before its store was made")
            self._checked = None  # finish closes the connection when it fails: never twice
            self._store = checked.finish(program=self._program)
        return self._store

    def has_accounts(self) -> bool:
        if self._store is not None or self._checked is None:
            return self.store().has_accounts()
        return self._checked.has_accounts()

    def sign_in(self, name: str, password: str) -> Account:
        return self.store().sign_in(name, password)

    def create_first_administrator(self, name: str, password: str, *, full_name: str = "") -> Account:
        return self.store().create_first_administrator(name, password, full_name=full_name)

    def close(self) -> None:
        """Close the store, or the checked file when the store was never made."""
        if self._store is not None:
            self._store.close()
        elif self._checked is not None:
            self._checked.close()
            self._checked = None
