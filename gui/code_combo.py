"""A drop-down of codes whose text is the bare code and whose label tells what the code is.

docs/gui.md promises that ``encounterPos`` reads ``11`` by default and that ``encounterEmCode`` is
empty when no visit code is billed: an item's text (``currentText()``, ``findText``) is the code
alone, or empty for "none". People still see what each code means: the closed box and the open list
both draw ``11 — Office``, and screen readers read the same words (the accessible text role).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QStylePainter,
    QWidget,
)

#: the item role holding the words shown for an item (``11 — Office``)
LABEL_ROLE = int(Qt.ItemDataRole.UserRole) + 10


class _LabelDelegate(QStyledItemDelegate):
    """Draws each item of the open list with its label instead of its bare code."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        label = index.data(LABEL_ROLE)
        if label:
            option.text = str(label)


class CodeComboBox(QComboBox):
    """Items are codes (text and data) with a label; ``None`` is the empty "none" item."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_LabelDelegate(self))
        self.currentIndexChanged.connect(self._show_label_as_tip)

    def add_code(self, code: str | None, name: str) -> None:
        """Add ``code`` (``None``: no code, shown empty) described by ``name``."""
        label = f"{code} — {name}" if code else name
        self.addItem(code or "", code)
        row = self.count() - 1
        self.setItemData(row, label, LABEL_ROLE)
        self.setItemData(row, label, Qt.ItemDataRole.AccessibleTextRole)
        self.setItemData(row, label, Qt.ItemDataRole.ToolTipRole)
        # the open list is as wide as its longest label (Qt sizes it from the short item texts)
        needed = self.view().fontMetrics().horizontalAdvance(label) + 4 * self.iconSize().width()
        self.view().setMinimumWidth(max(self.view().minimumWidth(), needed))

    def current_label(self) -> str:
        """What the current item is, in words (``11 — Office``)."""
        return str(self.currentData(LABEL_ROLE) or self.currentText())

    def _show_label_as_tip(self, _index: int) -> None:
        self.setToolTip(self.current_label())
        self.setAccessibleDescription(self.current_label())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = self.fontMetrics().elidedText(
            self.current_label(), Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
