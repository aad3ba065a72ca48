"""Pieces every settings page shares: the line under a form that says what went wrong or was saved,
and the row of buttons at the bottom of a form.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from gui.widget_names import named

PROBLEM_COLOUR = "#b3261e"
DONE_COLOUR = "#1b5e20"


def message_label(name: str) -> QLabel:
    """An empty, wrapping line for a form's problem or confirmation."""
    label = named(QLabel(), name, "Problem or confirmation")
    label.setWordWrap(True)
    return label


def show_message(label: QLabel, text: str, *, ok: bool) -> None:
    """Show ``text`` in green when something was saved, in red when it was refused."""
    label.setStyleSheet(f"color: {DONE_COLOUR if ok else PROBLEM_COLOUR};")
    label.setText(text)


def button_row(*buttons: QPushButton | None) -> QHBoxLayout:
    """Buttons in a row; ``None`` is the stretch that pushes the rest to the right."""
    row = QHBoxLayout()
    for button in buttons:
        if button is None:
            row.addStretch(1)
        else:
            row.addWidget(button)
    return row
