"""Opening a database file in a test as another tool would (to damage or edit it): SQLCipher with the
key this computer keeps for the file, so the test reads and writes the real pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2

from core.store import keys


def raw_connect(path: Path | str, *args: Any, key_of: Path | None = None, **kwargs: Any) -> Any:
    """A plain sqlcipher3 connection to ``path`` (not tracked by the program), keyed when it has a key
    (``key_of``: the key of that database instead, for a backup of it)."""
    target = str(path)
    conn = dbapi2.connect(target, *args, **kwargs)
    file = Path(target.removeprefix("file:").split("?")[0]) if kwargs.get("uri") else Path(target)
    if kwargs.get("uri") and target.startswith("file:"):
        from urllib.parse import unquote, urlparse

        file = Path(unquote(urlparse(target).path))
    key = keys.load_key(key_of or file)
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def new_keyed(path: Path, **kwargs: Any) -> Any:
    """A new encrypted database file at ``path`` with a random key kept on this computer, connected."""
    import os

    keys.save_key(path, os.urandom(keys.KEY_BYTES))
    return raw_connect(path, **kwargs)
