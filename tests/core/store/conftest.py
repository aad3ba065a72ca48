"""Fixtures for the store tests: a fresh database file per test (never the real data folder) and a clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from core.store import Store
from tests.signing_in import open_signed_in


class FakeClock:
    """A clock the test moves by hand; starts at 2026-11-27 15:00 UTC."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "practice.db"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[Store]:
    """A new database with the demo practice."""
    with open_signed_in(db_path, clock=clock, user="tester") as opened:
        yield opened


@pytest.fixture
def empty_store(db_path: Path, clock: FakeClock) -> Iterator[Store]:
    """A new database without demo data."""
    with open_signed_in(db_path, seed_demo=False, clock=clock, user="tester") as opened:
        yield opened


DOS = date(2026, 11, 27)
