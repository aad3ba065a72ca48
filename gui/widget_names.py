"""Naming a widget for screen readers, keyboard users and tests: its objectName and accessible name.

docs/gui.md lists the names that are a contract; every widget a person can reach gets a name in
plain words, and a tooltip when its use is not obvious.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str, tip: str = "") -> W:
    """Give ``widget`` its object name, accessible name and (when given) tooltip; return it."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    if tip:
        widget.setToolTip(tip)
    return widget
