"""The list under the coded lines: the engine's messages, worst first, then why each code was chosen."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from core.coding.model import Message, Severity
from gui.coded_lines_model import PricedLine
from gui.widget_names import named

SEVERITY_NAMES = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
ERROR_COLOUR = "#b3261e"
REASON_COLOUR = "#555555"


class CodingMessageList(QListWidget):
    """``codingMessages``: "Error: …", "Warning: …", "Note: …" (each item carries its ``Message``),
    then "Why 17000: …" for each line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "codingMessages", "Coding messages and reasons")
        self.setWordWrap(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)

    def show_messages(self, messages: Iterable[Message], lines: Iterable[PricedLine]) -> None:
        """Replace the list with ``messages`` (errors first) and the reason of each line."""
        self.clear()
        style = self.style()
        icons = {
            Severity.ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            Severity.WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            Severity.INFO: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
        }
        for message in sorted(messages, key=lambda m: SEVERITY_ORDER[m.severity]):
            item = QListWidgetItem(
                icons[message.severity], f"{SEVERITY_NAMES[message.severity]}: {message.text}"
            )
            item.setData(Qt.ItemDataRole.UserRole, message)
            item.setToolTip(f"{message.rule}" + (f" · {message.field}" if message.field else ""))
            if message.severity is Severity.ERROR:
                item.setForeground(QColor(ERROR_COLOUR))
            self.addItem(item)
        for line in lines:
            if line.why:
                item = QListWidgetItem(f"Why {line.cpt}: {line.why}")
                item.setForeground(QColor(REASON_COLOUR))
                self.addItem(item)
