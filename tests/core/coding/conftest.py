"""Fixtures for the coding tests."""

from __future__ import annotations

import pytest

from tests.core.coding.builders import FakeIcd10


@pytest.fixture
def icd() -> FakeIcd10:
    """A tiny stand-in for the ICD-10-CM code set, so engine tests do not depend on the full index."""
    return FakeIcd10()
