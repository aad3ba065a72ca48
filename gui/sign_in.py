"""The screen in front of the practice's data: first-run set-up, sign-in, and the locked window.

Three faces of one page (``Gate``): a database with no account yet asks for its first administrator
(in the same named fields, so whoever signs in first on a new file sets it up);
otherwise it asks for a user name and password (``signInUser``, ``signInPassword``, ``signInButton``
in ../shared/spec/gui.md, carried into docs/gui.md). Locked, it names who was signed in and takes
their password — or anyone else's, which is how a shared front-desk computer switches user. Nothing
of the patient data is on this page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import SuperbillError
from core.store.later import StoreLater
from gui.widget_names import named

if TYPE_CHECKING:  # for the type checker only (a Protocol class costs a few ms to make at start-up)
    from typing import Protocol

    from core.accounts import Account

    class Door(Protocol):
        """What the gate asks of the database: a ``Store``, or (before it is made) ``core.store.later``'s
        ``StoreLater``, so that the screen shows before the store's modules are imported."""

        def has_accounts(self) -> bool: ...

        def sign_in(self, name: str, password: str) -> Account: ...

        def create_first_administrator(self, name: str, password: str, *, full_name: str = "") -> Account: ...


class Gate(QWidget):
    """Set-up, sign-in or unlock; emits ``signed_in`` with the account once the store has one.

    Built before the window is shown: it uses only a few widgets (not the ``Qt`` namespace, whose
    Python enums PySide6 builds all at once on first use)."""

    signed_in = Signal(object)  # Account

    def __init__(self, store: Door, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self.store = store
        self.locked_for: Account | None = None
        self.title = named(QLabel(), "signInTitle", "Sign in")
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.explain = named(QLabel(), "signInExplanation", "What to do")
        self.explain.setWordWrap(True)
        self.user = named(QLineEdit(), "signInUser", "User name")
        self.full_name = named(QLineEdit(), "setupFullName", "Full name (optional)")
        self.password = named(QLineEdit(), "signInPassword", "Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # set-up shows what was typed on request instead of asking for it twice
        self.show_password = named(QCheckBox("S&how the password"), "showPassword", "Show the password")
        self.show_password.toggled.connect(
            lambda shown: self.password.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
            )
        )
        self.button = named(QPushButton("Sign in"), "signInButton", "Sign in")
        self.button.setDefault(True)
        self.message = named(QLabel(), "signInMessage", "Sign-in problem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.timeout.connect(lambda: self.button.setEnabled(True))

        self.form = QFormLayout()
        self.form.addRow("&User name", self.user)
        self.form.addRow("&Full name", self.full_name)
        self.form.addRow("&Password", self.password)
        self.form.addRow("", self.show_password)
        box = QFrame()
        box.setObjectName("signInBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setFixedWidth(480)  # a fixed width lets the wrapped texts take the height they need
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.explain)
        inner.addLayout(self.form)
        inner.addWidget(self.message)
        right = QHBoxLayout()  # the button at the right, at its own size
        right.addStretch(1)
        right.addWidget(self.button)
        inner.addLayout(right)
        # centred by stretches, not by an alignment: an aligned item gets only its size hint, too
        # short for the wrapped texts, and the fields were squeezed
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.button.clicked.connect(self.submit)
        for field in (self.user, self.full_name, self.password):
            field.returnPressed.connect(self.submit)
        self.show_face()

    # -- faces -----------------------------------------------------------------------------------------

    @property
    def setting_up(self) -> bool:
        return not self.store.has_accounts()

    def _presumed_setting_up(self) -> bool:
        # a file not checked yet (core.store.later) is presumed set up; corrected once it is checked
        if isinstance(self.store, StoreLater):
            return not self.store.presumed_accounts()
        return self.setting_up

    def show_face(self) -> None:
        """Set-up when the file has no account yet, else sign-in (or unlock when locked)."""
        setting_up = self.face_setting_up = self._presumed_setting_up()
        for field in (self.full_name, self.show_password):
            field.setVisible(setting_up)
            label = self.form.labelForField(field)
            if label is not None:
                label.setVisible(setting_up)
        self.show_password.setChecked(False)
        self.message.clear()
        self.password.clear()
        if setting_up:
            self.title.setText("Welcome to Superbill Desk")
            self.explain.setText(
                "Set up the first administrator of this practice's database: the person who adds the "
                "others (File → People…), resets forgotten passwords and changes the settings. "
                "Choose a password of at least 8 characters (tick “Show the password” to check it)."
            )
            self.button.setText("Create administrator and sign in")
        elif self.locked_for is not None:
            self.title.setText("Superbill Desk is locked")
            self.explain.setText(
                f"{self.locked_for.shown_name} was signed in; nothing was lost. Type the password to go "
                "on — or sign in as someone else."
            )
            self.user.setText(self.locked_for.name)
            self.button.setText("Unlock")
        else:
            self.title.setText("Sign in to Superbill Desk")
            self.explain.setText("Type your user name and password.")
            self.button.setText("Sign in")
        self.button.setAccessibleName(self.button.text())
        self.focus_first_empty()

    def lock(self, account: Account | None) -> None:
        """Show the locked face for ``account`` (who was signed in)."""
        self.locked_for = account
        self.show_face()

    def focus_first_empty(self) -> None:
        field = self.password if self.user.text().strip() else self.user
        field.setFocus()

    # -- signing in ---------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Enter or the button: set up, sign in or unlock; a refusal is said under the fields."""
        if not self.button.isEnabled():
            return
        try:
            account = self._set_up() if self.setting_up else self._sign_in()
        except SuperbillError as error:
            self._refused(error)
            return
        self.locked_for = None
        self.password.clear()
        self.show_password.setChecked(False)
        self.message.clear()
        self.signed_in.emit(account)

    def _set_up(self) -> Account:
        return self.store.create_first_administrator(
            self.user.text(), self.password.text(), full_name=self.full_name.text()
        )

    def _sign_in(self) -> Account:
        return self.store.sign_in(self.user.text(), self.password.text())

    def _refused(self, error: SuperbillError) -> None:
        self.message.setText(error.text)
        self.password.clear()
        wait = getattr(error, "wait_seconds", 0)
        if wait:
            self.button.setEnabled(False)
            self.retry.start(wait * 1000)
        self.focus_first_empty()
