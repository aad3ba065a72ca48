"""Test-wide setup: headless Qt, and no test ever near the real user data folder.

The environment is set at import time, before pytest-qt or any test imports Qt or platformdirs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Shared, noisy machines: no per-example deadline anywhere. In CI the examples are derandomized, so a
# run on main is repeatable (a failure found locally is kept in .hypothesis/ and replayed there).
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)

os.environ["QT_QPA_PLATFORM"] = "offscreen"
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="superbill-tests-"))
# QSettings and platformdirs on Linux follow the XDG folders; point them at a throwaway place.
os.environ["XDG_CONFIG_HOME"] = str(_SESSION_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_SESSION_HOME / "data")
os.environ["XDG_CACHE_HOME"] = str(_SESSION_HOME / "cache")
os.environ["SUPERBILL_DATA_DIR"] = str(_SESSION_HOME / "superbill")
settings.load_profile("ci" if os.environ.get("CI") else "default")
# The commands tests run (in this process or as real processes) sign in as the tests' first
# administrator, as a script would (docs/cli.md "Signing in"): see tests/signing_in.py.
os.environ["SUPERBILL_USER"] = "tester"
os.environ["SUPERBILL_PASSWORD"] = "tester's long password"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> None:
    """Argon2id at its real cost takes about a second on these machines; thousands of test stores
    hash with the smallest parameters instead (the real ones are tested in tests/core/test_passwords.py)."""
    from core import passwords

    passwords.use_parameters(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty data folder; the default database path points inside it."""
    folder = tmp_path / "userdata"
    monkeypatch.setenv("SUPERBILL_DATA_DIR", str(folder))
    return folder


# -- No open() of a database file beside its SQLite connection -------------------------------------------
# Closing any descriptor of a file drops every POSIX lock the process holds on it, so an ``open()`` of a
# database (or its -wal/-shm) while this process has an SQLite connection to it lets another program
# corrupt the file (see core/store/connections.py). Python announces every open() to audit hooks: this
# one records each such open, and every test fails when one happened during it.
_LOCK_DROPPING_OPENS: list[str] = []


def _watch_opens(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not args or not isinstance(args[0], str | bytes | os.PathLike):
        return
    connections = sys.modules.get("core.store.connections")
    if connections is None or not hasattr(connections, "database_of"):
        return  # not imported yet (or being imported): no connection can exist
    open_now = connections.open_here()
    if not open_now:
        return
    try:
        target = connections.database_of(os.fsdecode(args[0]))  # type: ignore[arg-type]
    except (OSError, ValueError):
        return
    if target in open_now:
        _LOCK_DROPPING_OPENS.append(f"{os.fsdecode(args[0])} (mode {args[1]!r})")  # type: ignore[arg-type]


sys.addaudithook(_watch_opens)


@pytest.fixture(autouse=True)
def no_open_beside_a_connection() -> object:
    """Fails the test when any code opened a database file that this process had a connection to."""
    _LOCK_DROPPING_OPENS.clear()
    yield
    found, _LOCK_DROPPING_OPENS[:] = list(_LOCK_DROPPING_OPENS), []
    assert not found, f"open() of a database file beside its SQLite connection: {found}"
