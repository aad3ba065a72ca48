"""Small helpers for the words the program shows: one place, so "1 encounters" cannot come back."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    """``counted(1, "visit")`` → ``"1 visit"``; ``counted(3, "visit")`` → ``"3 visits"``; ``many`` for an
    irregular plural (``counted(2, "superbill is", "superbills are")``)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
