"""The list under the coded lines: notes carried from the import, the engine's messages (worst first),
then why each code was chosen."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from core.coding.model import Message, Severity
from core.store.records import PricedLine
from gui.widget_names import named

SEVERITY_NAMES = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
ERROR_COLOUR = "#b3261e"
REASON_COLOUR = "#555555"
#: how a carried note (``gui.carried_notes``) starts, so it is never taken for the engine's own finding
CARRIED_PREFIX = "From the import"
#: the item role that holds a carried note's ``Message`` (engine messages use ``UserRole``)
CARRIED_ROLE = Qt.ItemDataRole.UserRole + 1


class CodingMessageList(QListWidget):
    """``codingMessages``: first "From the import — Error: …" for each carried note (the note in
    ``CARRIED_ROLE``), then "Error: …", "Warning: …", "Note: …" (each item carries its ``Message``),
    then "Why 17000: …" for each line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "codingMessages", "Coding messages and reasons")
        self.setWordWrap(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)

    def show_messages(
        self, messages: Iterable[Message], lines: Iterable[PricedLine], carried: Iterable[Message] = ()
    ) -> None:
        """Replace the list with the ``carried`` notes, ``messages`` (errors first) and the reason of
        each line."""
        self.clear()
        for note in sorted(carried, key=lambda m: SEVERITY_ORDER[m.severity]):
            item = self._message_item(note, f"{CARRIED_PREFIX} — {SEVERITY_NAMES[note.severity]}: ")
            item.setData(CARRIED_ROLE, note)
            item.setToolTip(
                item.toolTip() + " · not yet dealt with: do what it says, then mark it dealt with (Ctrl+D)"
            )
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.addItem(item)
        for message in sorted(messages, key=lambda m: SEVERITY_ORDER[m.severity]):
            item = self._message_item(message, f"{SEVERITY_NAMES[message.severity]}: ")
            item.setData(Qt.ItemDataRole.UserRole, message)
            self.addItem(item)
        for line in lines:
            if line.why:
                item = QListWidgetItem(f"Why {line.cpt}: {line.why}")
                item.setForeground(QColor(REASON_COLOUR))
                self.addItem(item)

    def _message_item(self, message: Message, prefix: str) -> QListWidgetItem:
        icon = {
            Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
            Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
            Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
        }[message.severity]
        item = QListWidgetItem(self.style().standardIcon(icon), prefix + message.text)
        item.setToolTip(f"{message.rule}" + (f" · {message.field}" if message.field else ""))
        if message.severity is Severity.ERROR:
            item.setForeground(QColor(ERROR_COLOUR))
        return item

    def carried_note(self) -> Message | None:
        """The carried note the user points at: the current item when it is one, else the first shown."""
        current = self.currentItem()
        if current is not None and isinstance(note := current.data(CARRIED_ROLE), Message):
            return note
        for row in range(self.count()):
            if isinstance(note := self.item(row).data(CARRIED_ROLE), Message):
                return note
        return None
