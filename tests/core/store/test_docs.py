"""docs/storage.md stays in step with the code: settings, their defaults and the schema version."""

from __future__ import annotations

from pathlib import Path

from core.store import SCHEMA_VERSION
from core.store.schema import APPLICATION_ID, KNOWN_MIGRATIONS
from core.store.settings import SETTINGS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "storage.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default() -> None:
    for setting in SETTINGS.values():
        assert f"`{setting.name}`" in DOC, setting.name
        default = setting.default
        shown = (
            {True: "yes", False: "no"}.get(default, str(default)) if isinstance(default, bool) else default
        )
        expected = "empty" if shown == "" else str(shown)
        assert f"`{setting.name}` ({expected}" in DOC, (setting.name, expected)


def test_schema_version_and_migrations_are_documented() -> None:
    assert f"now **{SCHEMA_VERSION}**" in DOC
    for name in KNOWN_MIGRATIONS:
        assert f"`{name}`" in DOC
    assert f"`{APPLICATION_ID:#X}`".replace("0X", "0x") in DOC
