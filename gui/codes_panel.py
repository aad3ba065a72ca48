"""The *Codes* box of the encounter editor: the coded lines, the checker's messages and the total.

``CodesPanel`` shows a coding (``core.visit.CodedVisit``, live while a draft is edited) or the billed
lines of a final encounter: ``codedLinesTable``, ``codingMessages`` (with the import's notes first and
*Mark dealt with*, Ctrl+D, while one is left), ``encounterTotal`` and, on the same row, the steps that
finish the encounter (``gui.encounter_actions``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from core.coding.model import Message
from core.money import format_cents
from core.store.records import EncounterRecord
from core.visit import CodedVisit
from gui.coded_lines_model import CodedLinesModel
from gui.coding_messages import CodingMessageList
from gui.encounter_actions import EncounterActions
from gui.views import RecordTableView
from gui.widget_names import named


class CodesPanel(QGroupBox):
    """The coded lines, the messages under them, the total and the finishing steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Codes", parent)
        self.setObjectName("codesPanel")
        self.lines = CodedLinesModel(self)
        self.lines_table = RecordTableView("codedLinesTable", "Coded lines")
        self.lines_table.setModel(self.lines)
        header = self.lines_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the description takes the room left (its tooltip holds it whole, with the why)
        header.setSectionResizeMode(CodedLinesModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.lines_table.setMinimumHeight(self.lines_table.verticalHeader().defaultSectionSize() * 3)
        self.messages = CodingMessageList()
        # Ctrl+D anywhere in the window (it is also in the Visit menu and the list's context menu)
        self.dealt_with_action = QAction("Mark the import note dealt with", self)
        self.dealt_with_action.setObjectName("noteDealtWithAction")
        self.dealt_with_action.setShortcut(QKeySequence("Ctrl+D"))
        self.dealt_with_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.dealt_with_action)
        self.messages.addAction(self.dealt_with_action)
        self.messages.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.dealt_with_button = named(
            QPushButton("Mark dealt with"),
            "noteDealtWithButton",
            "Mark the selected note from the import as dealt with",
            "After doing what the note from the import says, mark it dealt with (Ctrl+D)",
        )
        self.total = named(QLabel(format_cents(0)), "encounterTotal", "Total charges")
        total_font = QFont(self.total.font())
        total_font.setBold(True)
        total_font.setPointSizeF(total_font.pointSizeF() * 1.2)
        self.total.setFont(total_font)
        self.steps = EncounterActions()

        layout = QVBoxLayout(self)
        layout.addWidget(self.lines_table, 3)
        layout.addWidget(self.messages, 2)
        notes_row = QHBoxLayout()
        notes_row.addStretch(1)
        notes_row.addWidget(self.dealt_with_button)
        layout.addLayout(notes_row)
        total_row = QHBoxLayout()  # its own line: "paid … · balance …" is never squeezed by the buttons
        total_row.addWidget(QLabel("Total"))
        total_row.addWidget(self.total, 1)
        layout.addLayout(total_row)
        layout.addWidget(self.steps)
        self.setTabOrder(self.lines_table, self.messages)
        self.setTabOrder(self.messages, self.dealt_with_button)
        self.setTabOrder(self.dealt_with_button, self.steps.print_button)

    def show_nothing(self) -> None:
        """Nothing coded yet: no lines, no messages, $0.00."""
        self.lines.set_records([])
        self.messages.clear()
        self.total.setText(format_cents(0))
        self.show_notes_left(False)

    def show_coded(self, coded: CodedVisit, carried: Sequence[Message]) -> None:
        """The live coding of a draft, the import's ``carried`` notes first among its messages."""
        self.lines.set_records(coded.lines)
        self.messages.show_messages(coded.messages, coded.lines, carried)
        total = format_cents(coded.total_cents)
        missing = coded.missing_fees
        self.total.setText(f"{total} (no fee set for {', '.join(missing)})" if missing else total)

    def show_billed(self, record: EncounterRecord) -> None:
        """The lines billed with a final (printed, void) encounter, and what was paid."""
        self.lines.set_records(record.lines)
        self.messages.show_messages(record.messages, record.lines)
        paid = f" · paid {format_cents(record.paid_cents)} · balance {format_cents(record.balance_cents)}"
        self.total.setText(format_cents(record.total_cents) + (paid if record.paid_cents else ""))

    def show_notes_left(self, left: bool) -> None:
        """*Mark dealt with* (button and Ctrl+D) is there only while a note from the import is left."""
        self.dealt_with_button.setVisible(left)
        self.dealt_with_action.setEnabled(left)
