"""The base of every table in the window: one record per row, ``COL_*`` columns, record and sort roles.

Subclasses name their columns (``COLUMNS`` and ``COL_*`` constants) and say how a record shows in a
column (``display``) and sorts (``sort_key``). Changing one record emits ``dataChanged`` for that
row only, so views keep their selection and scroll position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

#: the whole record of a row (``index.data(RECORD_ROLE)``)
RECORD_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: a value that sorts the column correctly (numbers as numbers, dates as ISO text)
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RecordTableModel(QAbstractTableModel):
    """Rows are records (frozen dataclasses or tuples of them); columns come from ``COLUMNS``."""

    COLUMNS: tuple[str, ...] = ()
    #: columns whose text is right-aligned (numbers, money)
    NUMERIC_COLUMNS: frozenset[int] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Any] = []

    # -- what a subclass provides ------------------------------------------------------------
    def display(self, record: Any, column: int) -> str:
        """The text shown for ``record`` in ``column``."""
        raise NotImplementedError

    def sort_key(self, record: Any, column: int) -> Any:
        """The value ``SORT_ROLE`` returns; the display text unless a subclass knows better."""
        return self.display(record, column)

    def tooltip(self, record: Any, column: int) -> str | None:
        """Extra words shown when the mouse rests on a cell."""
        return None

    # -- records ----------------------------------------------------------------------------
    def records(self) -> list[Any]:
        """A copy of the records, in row order."""
        return list(self._records)

    def record(self, row: int) -> Any:
        """The record of ``row``."""
        return self._records[row]

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace every row (a model reset)."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def replace_record(self, row: int, record: Any) -> None:
        """Change one row; only that row is reported as changed."""
        self._records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def append_record(self, record: Any) -> int:
        """Add a row at the end; returns its row number."""
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(record)
        self.endInsertRows()
        return row

    def remove_record(self, row: int) -> Any:
        """Take one row out and return its record."""
        self.beginRemoveRows(QModelIndex(), row, row)
        record = self._records.pop(row)
        self.endRemoveRows()
        return record

    # -- Qt's model interface ---------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._records)):
            return None
        record = self._records[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.display(record, column)
        if role == RECORD_ROLE:
            return record
        if role == SORT_ROLE:
            return self.sort_key(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
