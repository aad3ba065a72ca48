"""The window's database, opened around its first paint: the sign-in screen shows before the store's
modules are imported and before the file is written to.

``open_later`` decides what must happen before the window shows. A file that exists (the daily case)
is only looked at: its key is fetched, and the file opened and checked (``check_file``: ours, not
damaged, not too new, the key works; an unencrypted one converted), just after the window shows,
before its first write. Nothing reads the file or the key before the window: asking the system's key
store (``keyring``: Windows Credential Locker, macOS Keychain) costs 150–200 ms, and a Python
``open()`` of a database file beside SQLite's connection would drop SQLite's locks when it closes. A
file whose key is not kept here asks for its recovery key just after the window shows
(``gui.first_paint``). A new file is made and set up at once. What always waits: the safety settings
(write-ahead log), this program's entry in the file's ``sessions`` and the ``Store`` object.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # core.store.opening brings SQLCipher: imported when a file is checked
    from core.accounts import Account
    from core.store.opening import CheckedFile
    from core.store.store import Store

MEMORY = ":memory:"


def open_later(path: Path | str | None, *, program: str) -> StoreLater:
    """The window's ``StoreLater`` for ``path`` (None: the default file). Raises as ``open_store`` for a
    file made now (a new one); an existing file's problems, a missing key among them
    (``keys.KeyMissingError``), come from ``store()`` just after the window shows."""
    if path is None:
        from core.paths import default_db_path

        path = default_db_path()
    if str(path) != MEMORY:
        file = Path(path)
        if file.is_file() and file.stat().st_size > 0:
            return StoreLater(file, program=program)
    from core.store.opening import check_file

    checked = check_file(path, whole_file_check=False)
    try:
        return StoreLater(checked, program=program)
    except BaseException:
        checked.close()  # a new file's set-up or a migration failed (finish closed it already)
        raise


class StoreLater:
    """The store of a file, made by ``store()``: just after the window shows, at the latest at the
    first sign-in (``sign_in`` and ``create_first_administrator`` make it first).

    Made from a ``CheckedFile``, it answers ``has_accounts`` from that file; a new file or one to
    migrate is finished at once (what it holds is known only after those writes). Made from a path,
    nothing is read until ``store()`` (which may then raise as ``open_store``; it can be called again,
    after the recovery key was typed). Close it if it is never used.
    """

    def __init__(self, source: CheckedFile | Path, *, program: str) -> None:
        self._checked: CheckedFile | None = None if isinstance(source, Path) else source
        self._path = source if isinstance(source, Path) else None  # checked at the first use
        self._program = program
        self._store: Store | None = None
        self.path: Path | None = self._checked.path if self._checked is not None else self._path
        if self._checked is not None and self._checked.needs_writes_first():
            self.store()

    @property
    def finished(self) -> bool:
        return self._store is not None

    @property
    def looked_at_only(self) -> bool:
        """True until a file that was only looked at is checked: whether it has accounts is not known
        yet (``presumed_accounts``)."""
        return self._store is None and self._path is not None

    def presumed_accounts(self) -> bool:
        """``has_accounts`` without reading a file that was only looked at: an existing file with its key
        kept here was set up (the sign-in screen corrects itself once the file is checked)."""
        return True if self.looked_at_only else self.has_accounts()

    def store(self) -> Store:
        """The open ``Store`` (made now, the first time)."""
        if self._store is None:
            checked = self._checked
            if checked is None:
                if self._path is None:
                    raise RuntimeError("the database was closed before its store was made")
                from core.store.opening import check_file

                checked = check_file(self._path, whole_file_check=False)  # raises: nothing is kept
            self._checked = None  # finish closes the connection when it fails: never twice
            self._store = checked.finish(program=self._program)
            self._path = None
        return self._store

    def has_accounts(self) -> bool:
        if self._checked is not None:
            return self._checked.has_accounts()
        return self.store().has_accounts()

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
        self._path = None
