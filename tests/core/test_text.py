"""Counted words: "1 visit", "2 visits", never "1 visits" or "visit(s)"."""

from __future__ import annotations

from core.text import counted


def test_one_and_many() -> None:
    assert counted(1, "visit") == "1 visit"
    assert counted(0, "visit") == "0 visits"
    assert counted(2, "visit was", "visits were") == "2 visits were"
