"""The lesion table's model: one row per lesion group, editable in place.

An edit is read with ``core.quick_entry.edit_group``; a bad value leaves the row as it was and
``problem`` carries the message to show. A size in the largest band is not kept yet: ``size_to_confirm``
carries the question (``core.quick_entry.size_question``) and ``keep_edit`` keeps it once the user
agrees. Every accepted change emits ``lesions_changed``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from core import icd10
from core.coding import kinds
from core.coding.model import LesionGroup, LesionKind
from core.coding.sites import read_site, site_label
from core.errors import InputError
from core.quick_entry import edit_group, site_text, size_question, size_text
from gui.table_model import RecordTableModel

#: the screen label of each kind, in declaration order (resources/codes/lesion_kinds.json)
KIND_NAMES: dict[LesionKind, str] = {LesionKind(k.name): k.screen_label for k in kinds.shipped().kinds}

Index = QModelIndex | QPersistentModelIndex


def site_name(site: str) -> str:
    """``mucous_membrane`` → ``mucous membrane``."""
    return site.replace("_", " ")


def site_words(group: LesionGroup) -> str:
    """What the site picker starts from: the words typed for the site (``left cheek``) while they still
    name it, else the site's name (``face``)."""
    reading = read_site(group.typed_site) if group.typed_site else None
    if reading is not None and reading.site == group.site and reading.says_more:
        return reading.words
    return site_label(group.site)


class LesionTableModel(RecordTableModel):
    """Rows are ``LesionGroup`` records in entry order (their position is the engine's index)."""

    COL_KIND, COL_COUNT, COL_SITE, COL_METHOD, COL_SIZE, COL_DIAGNOSIS = range(6)
    COLUMNS = ("Kind", "Count", "Site", "Method", "Diameter/area", "Diagnosis")
    NUMERIC_COLUMNS = frozenset({COL_COUNT})
    #: the ``edit_group`` field behind each column
    FIELDS = ("kind", "count", "site", "method", "size", "diagnosis")

    lesions_changed = Signal()
    problem = Signal(str)
    #: a size edit in the largest band, to ask about: (row, the group before, the group edited, the
    #: question, the size as typed); nothing is changed until ``keep_edit``
    size_to_confirm = Signal(int, object, object, str, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.read_only = False

    def lesions(self) -> tuple[LesionGroup, ...]:
        """The groups in row order, as the coding engine takes them."""
        return tuple(self._records)

    def set_lesions(self, lesions: tuple[LesionGroup, ...]) -> None:
        """Show ``lesions`` (no ``lesions_changed``: nothing was edited)."""
        self.set_records(lesions)

    def add_lesion(self, group: LesionGroup) -> int:
        """Add a group at the end; returns its row."""
        row = self.append_record(group)
        self.lesions_changed.emit()
        return row

    def remove_lesion(self, row: int) -> LesionGroup:
        """Take a group out; returns it."""
        group: LesionGroup = self.remove_record(row)
        self.lesions_changed.emit()
        return group

    def display(self, record: LesionGroup, column: int) -> str:
        if column == self.COL_KIND:
            return KIND_NAMES[record.kind]
        if column == self.COL_COUNT:
            return str(record.count)
        if column == self.COL_SITE:
            return site_text(record)
        if column == self.COL_METHOD:
            return record.method
        if column == self.COL_SIZE:
            return size_text(record)
        return record.diagnosis

    def sort_key(self, record: LesionGroup, column: int) -> Any:
        if column == self.COL_COUNT:
            return record.count
        if column == self.COL_SIZE:
            return record.diameter_cm or record.area_sq_cm or 0.0
        return self.display(record, column)

    def tooltip(self, record: LesionGroup, column: int) -> str | None:
        if column != self.COL_DIAGNOSIS:
            return None
        found = icd10.lookup(record.diagnosis)
        if found is None:
            return f"{record.diagnosis} is not in the ICD-10-CM code set"
        return found.description + ("" if found.billable else " (a category, not billable)")

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid():
            record: LesionGroup = self._records[index.row()]
            if index.column() == self.COL_KIND:
                return record.kind.value
            if index.column() == self.COL_SITE:
                return site_words(record)
            return self.display(record, index.column()).replace(" cm²", "cm2").replace(" cm", "cm")
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        record: LesionGroup = self._records[index.row()]
        try:
            changed = edit_group(record, self.FIELDS[index.column()], str(value))
        except InputError as error:
            self.problem.emit(error.text)
            return False
        if changed == record:
            return True
        question = size_question(changed) if index.column() == self.COL_SIZE else ""
        if question:
            self.size_to_confirm.emit(index.row(), record, changed, question, str(value).strip())
            return False
        self.keep_edit(index.row(), record, changed)
        return True

    def keep_edit(self, row: int, before: LesionGroup, changed: LesionGroup) -> bool:
        """Put ``changed`` in ``row`` if the row still holds ``before``; False when it no longer does."""
        if not 0 <= row < len(self._records) or self._records[row] != before:
            return False
        self.replace_record(row, changed)
        self.lesions_changed.emit()
        return True
