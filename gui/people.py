"""File → People… (administrators): who may sign in, with which role; and File → Change my password….

Adding a person, changing a role or switching an account off, and resetting a forgotten password
(emergency access) all go through ``core`` (``Store.add_account``, ``update_account``,
``reset_password``), which refuses them to anyone but an administrator whatever the window shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.accounts import Account, Role
from core.errors import SuperbillError
from core.store import Store
from gui.errors import reporting
from gui.widget_names import named

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def _password_field(name: str, accessible: str) -> QLineEdit:
    field = named(QLineEdit(), name, accessible)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class PeopleDialog(QDialog):
    """The accounts of the practice's database, and the administrator's changes to them."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleDialog")
        self.setWindowTitle("People who sign in")
        self.store = store
        self.table = named(QTableWidget(0, 4), "peopleTable", "People")
        self.table.setHorizontalHeaderLabels(["User name", "Full name", "Role", "May sign in"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.name = named(QLineEdit(), "personName", "User name")
        self.full_name = named(QLineEdit(), "personFullName", "Full name")
        self.role = named(QComboBox(), "personRole", "Role")
        for role in Role:
            self.role.addItem(role.label, role)
        self.active = named(QCheckBox("May sign in"), "personActive", "May sign in")
        self.active.setChecked(True)
        self.password = _password_field("personPassword", "Password (new person or reset)")
        self.message = named(QLabel(), "peopleMessage", "What happened")
        self.message.setWordWrap(True)
        self.add_button = named(QPushButton("&Add person"), "addPersonButton", "Add person")
        self.save_button = named(QPushButton("&Save changes"), "savePersonButton", "Save changes")
        self.reset_button = named(QPushButton("&Reset password"), "resetPasswordButton", "Reset password")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&User name", self.name)
        form.addRow("&Full name", self.full_name)
        form.addRow("R&ole", self.role)
        form.addRow("", self.active)
        form.addRow("&Password", self.password)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.reset_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_person)
        self.save_button.clicked.connect(self.save_person)
        self.reset_button.clicked.connect(self.reset_password)
        self.table.itemSelectionChanged.connect(self._selected)
        self.resize(620, 480)
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        """List every account; select ``keep`` (an account id) when given."""
        self.people: list[Account] = self.store.accounts()
        self.table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            cells = [person.name, person.full_name, person.role.label, "yes" if person.active else "no"]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if person.id == keep:
                self.table.selectRow(row)

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        return self.people[rows[0].row()] if rows else None

    def _selected(self) -> None:
        person = self.selected()
        if person is None:
            return
        self.name.setText(person.name)
        self.full_name.setText(person.full_name)
        self.role.setCurrentIndex(self.role.findData(person.role))
        self.active.setChecked(person.active)
        self.password.clear()

    def _apply(self, change: Callable[[], tuple[str, int | None]], *, needs_selection: bool = False) -> None:
        """Run one change to the accounts: its refusal is said under the form (what was typed stays);
        done, the list is read again with ``keep`` selected and ``text`` said."""
        if needs_selection and self.selected() is None:
            self.message.setText("Choose a person in the list first.")
            return
        try:
            text, keep = change()
        except SuperbillError as error:
            self.message.setText(error.text)
            return
        self.password.clear()
        self.reload(keep)
        self.message.setText(text)

    @reporting("add the person")
    def add_person(self) -> None:
        """A new account with the typed name, role and password (tell them to change it)."""

        def add() -> tuple[str, int | None]:
            role = Role(self.role.currentData())
            added = self.store.add_account(
                self.name.text(), self.password.text(), role, full_name=self.full_name.text()
            )
            return f"{added.name} can sign in now as {role.label.lower()}.", added.id

        self._apply(add)

    @reporting("save the changes")
    def save_person(self) -> None:
        """The selected person's full name, role and whether they may sign in."""

        def save() -> tuple[str, int | None]:
            saved = self.store.update_account(
                self._chosen().id,
                full_name=self.full_name.text(),
                role=Role(self.role.currentData()),
                active=self.active.isChecked(),
            )
            return f"{saved.name}: saved.", saved.id

        self._apply(save, needs_selection=True)

    @reporting("reset the password")
    def reset_password(self) -> None:
        """Give the selected person the typed password (they forgot theirs)."""

        def reset() -> tuple[str, int | None]:
            person = self._chosen()
            self.store.reset_password(person.id, self.password.text())
            return f"{person.name} signs in with the new password now; ask them to change it.", person.id

        self._apply(reset, needs_selection=True)

    def _chosen(self) -> Account:
        person = self.selected()
        assert person is not None  # _apply checked
        return person


class ChangePasswordDialog(QDialog):
    """The signed-in person's own password: the current one, then the new one twice."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle("Change my password")
        self.store = store
        self.current = _password_field("currentPassword", "Current password")
        self.new = _password_field("newPassword", "New password")
        self.again = _password_field("newPasswordAgain", "New password again")
        self.message = named(QLabel(), "changePasswordMessage", "What is wrong")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Current password", self.current)
        form.addRow("&New password", self.new)
        form.addRow("New password &again", self.again)
        form.addRow(self.message)
        form.addRow(buttons)

    def change(self) -> None:
        if self.new.text() != self.again.text():
            self.message.setText("New password again: the two new passwords differ.")
            self.again.clear()
            self.again.setFocus()
            return
        try:
            self.store.change_own_password(self.current.text(), self.new.text())
        except SuperbillError as error:
            self.message.setText(error.text)
            return
        self.accept()


@reporting("show the people")
def _people_dialog(window: MainWindow) -> PeopleDialog:
    return PeopleDialog(window.store, window)


def open_people(window: MainWindow) -> None:
    """File → People…: the dialog (core refuses its list to anyone but an administrator)."""
    dialog = _people_dialog(window)
    if dialog is None:
        return
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def change_password(window: MainWindow) -> None:
    """File → Change my password…; the status line says when it was changed."""
    dialog = ChangePasswordDialog(window.store, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: window.status_text.setText("Your password was changed."))
    dialog.open()
