"""Test-wide setup: headless Qt, and no test ever near the real user data folder.

The environment is set at import time, before pytest-qt or any test imports Qt or platformdirs.
"""

from __future__ import annotations

import os
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


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty data folder; the default database path points inside it."""
    folder = tmp_path / "userdata"
    monkeypatch.setenv("SUPERBILL_DATA_DIR", str(folder))
    return folder
