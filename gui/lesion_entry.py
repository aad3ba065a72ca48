"""The Lesions box of the encounter editor: the quick-entry line, the diagnosis finder, and the table
of lesion groups (editable in place, Delete removes a row).

A line that cannot be read stays in the field with the parser's message under it; a refused cell
edit shows its message in the same place, and so does the reminder after a group of a kind with no
default diagnosis (malignant) was added without its code. A size in the largest band is asked about
(``dialogs().ask``) before the group is added or the size cell is changed; *Change it* keeps what was
typed for correcting. The *Site* cell is edited with ``gui.site_picker``. A code picked in the
diagnosis finder goes where the user is working (``_diagnosis_chosen``). ``lesions.lesions_changed``
tells the editor to recode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from textwrap import wrap

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.coding.model import LesionGroup, LesionKind
from core.errors import InputError
from core.quick_entry import (
    QuickEntryDefaults,
    edit_group,
    kind_hint,
    known_methods,
    read_quick_entry,
    size_text,
)
from gui.delegates import ChoiceDelegate
from gui.diagnosis_finder import DiagnosisFinder
from gui.dialogs import dialogs
from gui.errors import reporting
from gui.lesion_model import KIND_NAMES, LesionTableModel
from gui.site_picker import SiteDelegate
from gui.views import RecordTableView
from gui.widget_names import named

PROBLEM_COLOUR = "#b3261e"


class LesionEntry(QGroupBox):
    """``lesionQuickEntry``, ``diagnosisSearch``, ``removeLesionButton``, ``quickEntryMessage`` and
    ``lesionTable``. ``defaults`` gives the practice's method and diagnosis per kind at each Enter."""

    def __init__(self, defaults: Callable[[], QuickEntryDefaults], parent: QWidget | None = None) -> None:
        super().__init__("Lesions", parent)
        self._defaults = defaults
        self._editable = False
        self.quick_entry = named(
            QLineEdit(),
            "lesionQuickEntry",
            "Quick entry of lesions",
            "Type one group of lesions and press Enter, for example: 12 ak face cryo\n"
            "COUNT KIND [SITE] [METHOD] [DIAGNOSIS] [SIZE]\n"
            + "\n".join(wrap(f"KIND is {kind_hint()}; a lesion type brings its own diagnosis code.", 90)),
        )
        self.quick_entry.setPlaceholderText(
            "12 ak face cryo   ·   3 plantar wart foot   ·   1 bcc nose C44.311 0.8cm"
        )
        self.diagnosis_finder = DiagnosisFinder()
        self.message = named(QLabel(), "quickEntryMessage", "Quick entry problem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {PROBLEM_COLOUR};")

        self.lesions = LesionTableModel(self)
        self.table = RecordTableView("lesionTable", "Lesions of this encounter")
        self.table.setModel(self.lesions)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._delegates = [
            ChoiceDelegate([(KIND_NAMES[k], k.value) for k in LesionKind], "Kind of lesion", self),
            SiteDelegate(self),
            ChoiceDelegate([(m, m) for m in known_methods()], "Method", self),
        ]
        for column, delegate in zip(
            (LesionTableModel.COL_KIND, LesionTableModel.COL_SITE, LesionTableModel.COL_METHOD),
            self._delegates,
            strict=True,
        ):
            self.table.setItemDelegateForColumn(column, delegate)
        self.table.setToolTip("Double-click or press F2 to change a value; Delete removes the row.")
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 3)
        self.remove_button = named(
            QPushButton("Remove row"), "removeLesionButton", "Remove the selected lesion row", "Delete"
        )

        layout = QVBoxLayout(self)
        entry_label = QLabel("&Quick entry")
        entry_label.setBuddy(self.quick_entry)
        layout.addWidget(entry_label)
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.quick_entry, 3)
        entry_row.addWidget(self.diagnosis_finder, 2)
        entry_row.addWidget(self.remove_button)
        layout.addLayout(entry_row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.quick_entry.returnPressed.connect(self._add_from_quick_entry)
        self.quick_entry.textEdited.connect(lambda _text: self.show_problem(""))
        self.lesions.problem.connect(self.show_problem)
        # asked once the cell editor has closed: a question inside its commit would commit it twice
        self.lesions.size_to_confirm.connect(self._confirm_size, Qt.ConnectionType.QueuedConnection)
        self.remove_button.clicked.connect(self.remove_selected)
        self.diagnosis_finder.code_chosen.connect(self._diagnosis_chosen)
        self.setTabOrder(self.quick_entry, self.diagnosis_finder)
        self.setTabOrder(self.diagnosis_finder, self.table)
        self.setTabOrder(self.table, self.remove_button)

    def show_lesions(self, groups: Iterable[LesionGroup], *, editable: bool) -> None:
        """Show ``groups`` with an empty entry line; ``editable`` is False for a final encounter."""
        self.quick_entry.clear()
        self.show_problem("")
        self.lesions.set_lesions(tuple(groups))
        self.set_editable(editable)

    def set_editable(self, editable: bool) -> None:
        """Allow or stop typing, in-place edits and removing rows."""
        self._editable = editable
        for widget in (self.quick_entry, self.diagnosis_finder, self.remove_button):
            widget.setEnabled(editable)
        self.lesions.read_only = not editable

    def show_problem(self, text: str) -> None:
        """Show (or hide, when empty) the problem under the quick-entry line."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    @reporting("add the lesions")
    def _add_from_quick_entry(self) -> None:
        if not self._editable:
            return
        try:
            entry = read_quick_entry(self.quick_entry.text(), self._defaults())
        except InputError as error:
            self.show_problem(error.text)
            return
        group = entry.group
        if entry.needs_confirmation and not self._keep_size(group, entry.confirm):
            self.show_problem(entry.confirm)  # the line stays as typed, to correct the size
            self.quick_entry.setFocus()
            return
        self.quick_entry.clear()
        row = self.lesions.add_lesion(group)
        # the new row is current: the diagnosis finder fills it when it has no code yet
        column = LesionTableModel.COL_DIAGNOSIS if not group.diagnosis else LesionTableModel.COL_KIND
        self.table.setCurrentIndex(self.lesions.index(row, column))
        self.table.scrollTo(self.lesions.index(row, 0))
        kind = KIND_NAMES[group.kind].lower()
        self.show_problem(
            ""
            if group.diagnosis
            else f"Added without a diagnosis: {kind} lesions have no default code. Pick it in Find a "
            "diagnosis code, or type the ICD-10-CM code in the Diagnosis cell of the new row (F2), for "
            "example C44.311; the codes follow once it is there."
        )

    def _keep_size(self, group: LesionGroup, question: str) -> bool:
        """Ask ``question`` about a size in the largest band; True to keep it."""
        return dialogs().ask(self, "Check the size", question, f"Keep {size_text(group)}", "Change it")

    @reporting("change the size")
    def _confirm_size(
        self, row: int, before: LesionGroup, changed: LesionGroup, question: str, typed: str
    ) -> None:
        """A size typed in the table lands in the largest band: keep it, or open the cell again with
        what was typed."""
        if self._keep_size(changed, question):
            self.lesions.keep_edit(row, before, changed)
            return
        self.show_problem(question)
        index = self.lesions.index(row, LesionTableModel.COL_SIZE)
        if not index.isValid() or self.lesions.lesions()[row] != before:
            return
        self.table.setFocus()
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        editor = self.table.indexWidget(index)
        if isinstance(editor, QLineEdit):
            editor.setText(typed)
            editor.selectAll()

    def _diagnosis_chosen(self, code: str) -> None:
        """A code picked in the diagnosis finder goes where the user is working: at the end of the
        quick-entry line while a line is being typed; else into the current row when it has no
        diagnosis yet (a malignant group just added); else at the end of the (empty) line."""
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        groups = self.lesions.lesions()
        if not self.quick_entry.text().strip() and 0 <= row < len(groups) and not groups[row].diagnosis:
            self.lesions.keep_edit(row, groups[row], edit_group(groups[row], "diagnosis", code))
            self.table.setCurrentIndex(self.lesions.index(row, LesionTableModel.COL_DIAGNOSIS))
            self.show_problem("")
        else:
            text = self.quick_entry.text().rstrip()
            self.quick_entry.setText(f"{text} {code}" if text else code)
        self.quick_entry.setFocus()

    def remove_selected(self) -> None:
        """Take the current row's group out (Delete in the table, or *Remove row*)."""
        index = self.table.currentIndex()
        if index.isValid() and self._editable:
            self.lesions.remove_lesion(index.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.table.hasFocus():
            self.remove_selected()
            return
        super().keyPressEvent(event)
