"""Finishing an encounter: the buttons under the codes and the questions each step asks.

``EncounterActions`` holds *paid today* with *Record paid*, *Void…*, *Reopen…*, *Superbill…* and
*Save final*, and shows the ones that fit the encounter's status. The functions below ask the front
desk through the dialog seam (``gui.dialogs``) and return the answer; the editor
(``gui.encounter_editor``) takes the step in the store.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from core.coding.model import Message
from core.errors import InputError
from core.money import format_cents, parse_dollars
from core.store.records import EncounterRecord, EncounterStatus, Patient
from core.visit import FinalCheck
from gui.dialogs import dialogs
from gui.widget_names import named


class EncounterActions(QWidget):
    """What can be done with the encounter shown: pay, void, reopen, print, save as final."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encounterActions")
        self.paid = named(
            QLineEdit(), "encounterPaid", "Amount paid today", "What the patient paid at the desk, e.g. 25.00"
        )
        self.paid.setPlaceholderText("paid today")
        self.paid.setFixedWidth(self.paid.fontMetrics().horizontalAdvance("paid today") + 24)
        self.paid_button = named(QPushButton("Record paid"), "recordPaymentButton", "Record the payment")
        self.void_button = named(
            QPushButton("Void…"),
            "voidEncounterButton",
            "Void this encounter",
            "Keep the encounter on record but never bill it (for example: entered twice)",
        )
        self.reopen_button = named(
            QPushButton("Reopen…"),
            "reopenEncounterButton",
            "Reopen this final encounter to change it",
            "Turns the final encounter back into a draft; its superbill must be printed again.",
        )
        self.print_button = named(
            QPushButton("Superbill…"),
            "printSuperbillButton",
            "Preview and print the superbill",
            "Preview, print or save the superbill (Ctrl+P)",
        )
        self.save_button = named(
            QPushButton("Save final"),
            "saveEncounterButton",
            "Save the encounter as final",
            "Save as final (Ctrl+S)",
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.paid)
        row.addWidget(self.paid_button)
        row.addStretch(1)
        for button in (self.void_button, self.reopen_button, self.print_button, self.save_button):
            row.addWidget(button)
        self.setTabOrder(self.print_button, self.save_button)

    def show_no_patient(self) -> None:
        """A visit with no patient yet: Save and Print say calmly to choose the patient first."""
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        for hidden in (self.reopen_button, self.void_button, self.paid, self.paid_button):
            hidden.setVisible(False)

    def show_for(self, record: EncounterRecord) -> None:
        """The steps that fit ``record``: a draft is saved as final; a final one is paid or reopened."""
        draft = record.status is EncounterStatus.DRAFT
        self.print_button.setEnabled(record.status is not EncounterStatus.VOID)
        self.save_button.setEnabled(draft)
        self.reopen_button.setVisible(not draft)
        billed = record.status in (EncounterStatus.FINAL, EncounterStatus.PRINTED)
        self.paid.setVisible(billed)
        self.paid_button.setVisible(billed)
        if billed:
            self.paid.setText(format_cents(record.paid_cents).lstrip("$") if record.paid_cents else "")
        self.void_button.setVisible(record.id is not None and record.status is not EncounterStatus.VOID)

    def amount_paid(self) -> int | None:
        """The amount typed in *paid today*, in cents; ``None`` (after saying why) when it is no amount."""
        try:
            return parse_dollars(self.paid.text() or "0", field="Amount paid")
        except InputError as error:
            dialogs().problem(self, "Could not record the payment", error.text)
            return None


def may_finalize(parent: QWidget, check: FinalCheck) -> bool:
    """Say what blocks saving as final (notes from the import, errors, nothing to bill), or ask about
    the warnings; ``True`` when the visit may be saved as final."""
    if check.blocking_notes:
        dialogs().problem(
            parent,
            "Cannot save as final yet",
            "This draft came from the import with something the program could not take in:\n\n"
            + "\n".join(f"• {m.text}" for m in check.blocking_notes)
            + "\n\nDo what each note says (for example, re-enter a left-out lesion in the quick entry "
            "line). Then select the note marked “From the import” under the codes and press "
            "“Mark dealt with” (Ctrl+D), and save as final again.",
        )
        return False
    if check.errors or check.nothing_to_bill:
        texts = [m.text for m in check.errors] or ["Add at least one lesion or an office visit first."]
        dialogs().problem(
            parent, "Cannot save as final yet", "Fix these first:\n\n" + "\n".join(f"• {t}" for t in texts)
        )
        return False
    return not check.warnings or dialogs().ask(
        parent,
        "Please look at these warnings",
        "The codes can be billed, but a person should check:\n\n"
        + "\n".join(f"• {m.text}" for m in check.warnings)
        + "\n\nSave as final anyway? Your name and the time are kept with each warning for the biller.",
        "Save as final",
        "Go back",
    )


def ask_for_patient(parent: QWidget, typed: bool) -> None:
    """Save or print with no patient chosen: say how to choose one (what was ``typed`` is kept)."""
    kept = " The lesions typed so far are kept." if typed else ""
    dialogs().inform(
        parent,
        "Choose the patient first",
        "This visit has no patient yet. Find the patient (Ctrl+F, type part of the name, then Enter) "
        f"or add a new one (Ctrl+N), then save or print.{kept}",
    )


def dealt_with(parent: QWidget, note: Message) -> bool:
    """Has the front desk done what the import's ``note`` says?"""
    return dialogs().ask(
        parent,
        "Has this been dealt with?",
        f"{note.text}\n\nIf you have done what this note says, mark it dealt with: it is then no "
        "longer shown or kept with this draft.",
        "Dealt with",
        "Not yet",
    )


def void_reason(parent: QWidget, patient: Patient) -> str | None:
    """Why the encounter of ``patient`` is voided (``None``: the user changed their mind)."""
    return dialogs().ask_text(
        parent,
        "Void this encounter?",
        f"The encounter of {patient.display_name} will be kept on record but never billed.\n"
        "Why is it voided (for example: entered twice)?",
    )


def may_reopen(parent: QWidget, patient: Patient, record: EncounterRecord) -> bool:
    """Reopen the final ``record`` of ``patient`` as a draft?"""
    return dialogs().ask(
        parent,
        "Reopen this encounter?",
        f"The encounter of {patient.display_name} is {record.status.value}. Reopening makes it a "
        "draft again so you can change it; save it as final (and print the superbill again) afterwards.",
        "Reopen",
        "Keep it final",
        default_yes=False,  # Enter keeps it final: reopening drops its billed lines
    )
