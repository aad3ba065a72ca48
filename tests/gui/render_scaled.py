"""Render the window at one display scaling in its own process and report text Qt can tell is cut off.

``python -m tests.gui.render_scaled OUT_FOLDER`` with ``QT_SCALE_FACTOR`` and an offscreen screen of a
given size (``QT_QPA_PLATFORM=offscreen:configfile=…``) set by the caller: the scale must be set before
the ``QApplication`` exists, hence a process per scale (``tests/gui/test_scaling.py``). It builds the
window on a new database, adds a patient and a payer with long names, saves a visit as final and
records a payment, then checks the main window, the new-patient form and the settings dialog, saving
a screenshot of each in OUT_FOLDER. It prints one JSON object: the screen, the window's frame and the
problems found (a label or button narrower than its text, a day sheet or table cell whose text does
not fit its column, a window larger than the screen's free area).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QWidget,
)

from core.store.records import Patient, Payer, PayerKind
from gui import background
from gui.app import build_main_window
from gui.dialogs import Dialogs, set_dialogs
from tests.signing_in import PASSWORD, USER

LONG_LAST, LONG_FIRST = "Featherstonehaugh-Worthington", "Maximiliana"
#: columns that share the room left and may shorten their text, which their tooltip holds whole
SHARED_COLUMNS = {("dayTable", "Lesions"), ("dayTable", "Codes"), ("codedLinesTable", "Description")}
LONG_PAYER = "Blue Cross Blue Shield of North Dakota Medicare Advantage"


class Yes(Dialogs):
    """Every question answered yes, every message noted (nothing waits on a modal window)."""

    def ask(self, *args: object, **kwargs: object) -> bool:
        return True

    def inform(self, *args: object, **kwargs: object) -> None:
        return None

    def problem(self, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"a problem was shown: {args}")


def clipped(top: QWidget, where: str) -> list[str]:
    """Labels and buttons narrower than their text, and table cells whose text does not fit."""
    found = []
    for label in top.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or not label.text() or label.pixmap() is not None:
            continue
        if label.sizeHint().width() > label.width() + 1:
            found.append(
                f"{where}: the label {label.objectName() or label.text()!r} is {label.width()} wide, "
                f"its text needs {label.sizeHint().width()}"
            )
    for button in top.findChildren(QPushButton):
        words = button.text().replace("&", "")
        margin = 2 * button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
        needed = button.fontMetrics().horizontalAdvance(words) + margin
        if button.isVisible() and words and button.width() < needed:
            found.append(f"{where}: the button {words!r} is {button.width()} wide, its text needs {needed}")
    for table in top.findChildren(QTableView):
        if not table.isVisible() or table.model() is None:
            continue
        model, metrics = table.model(), table.fontMetrics()
        stretch = QHeaderView.ResizeMode.Stretch
        margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                if table.isColumnHidden(column):
                    continue
                text = str(model.index(row, column).data() or "")
                whole = str(model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) or "")
                heading = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                shares = (table.objectName(), heading) in SHARED_COLUMNS
                if shares and text in whole and table.horizontalHeader().sectionResizeMode(column) == stretch:
                    continue  # a column that shares the room left shows its whole text in the tooltip
                needed = max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=0)
                if needed + margin > table.columnWidth(column):
                    found.append(
                        f"{where}: {table.objectName()} row {row + 1} column {column + 1} “{text}” needs "
                        f"{needed + margin}, the column is {table.columnWidth(column)}"
                    )
    return found


def wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(250):
        if condition():
            return
        QTest.qWait(20)
    raise AssertionError("waited 5 seconds")


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    set_dialogs(Yes())
    background.set_pool(background.SynchronousPool())
    window = build_main_window(out / "practice.db")
    # a new file: the sign-in screen sets up its first administrator
    window.findChild(QLineEdit, "signInUser").setText(USER)
    window.findChild(QLineEdit, "signInPassword").setText(PASSWORD)
    window.findChild(QPushButton, "signInButton").click()
    store = window.store
    assert store.account is not None, "could not sign in"
    payer = store.save_payer(Payer(name=LONG_PAYER, kind=PayerKind.COMMERCIAL, coding_payer="commercial"))
    store.save_patient(
        Patient(
            first_name=LONG_FIRST,
            last_name=LONG_LAST,
            date_of_birth=date(1948, 3, 14),
            payer_id=payer.id,
            member_id="W123456789",
        )
    )
    window.show()
    QTest.qWaitForWindowExposed(window)
    screen = window.screen().availableGeometry()
    problems = []
    frame = window.frameGeometry()
    if not screen.contains(frame):
        problems.append(
            f"the window {frame.getRect()} is larger than the screen's free area {screen.getRect()}"
        )

    search = window.findChild(QWidget, "patientSearch")
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(search, "featherstonehaugh")
    results = window.findChild(QWidget, "patientResults")
    wait_for(lambda: results.model().rowCount() == 1)
    QTest.keyClick(search, Qt.Key.Key_Return)
    entry = window.findChild(QWidget, "lesionQuickEntry")
    for line in ("12 ak face cryo", "3 sk trunk L82.1", "1 bcc nose electro C44.311 0.8cm"):
        QTest.keyClicks(entry, line)
        QTest.keyClick(entry, Qt.Key.Key_Return)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    paid = window.findChild(QWidget, "encounterPaid")
    QTest.keyClicks(paid, "25.00")
    QTest.mouseClick(window.findChild(QWidget, "recordPaymentButton"), Qt.MouseButton.LeftButton)
    QTest.qWait(50)
    total = window.findChild(QLabel, "encounterTotal")
    problems += clipped(window, "main window")
    window.grab().save(str(out / "main-window.png"))

    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    QTest.qWait(50)
    form = window.findChild(QWidget, "patientFormArea")
    save = window.findChild(QPushButton, "savePatientButton")
    problems += clipped(window, "new-patient form")
    window.grab().save(str(out / "new-patient-form.png"))
    area_ok = form is not None and form.isVisible() and save is not None
    if not area_ok:
        problems.append("the new-patient form is not shown")

    window.open_settings()
    settings = window.findChild(QWidget, "settingsDialog")
    QTest.qWaitForWindowExposed(settings)
    if not screen.contains(settings.frameGeometry()):
        problems.append(
            f"the settings dialog {settings.frameGeometry().getRect()} is larger than {screen.getRect()}"
        )
    problems += clipped(settings, "settings")
    settings.grab().save(str(out / "settings.png"))
    print(
        json.dumps(
            {
                "screen": screen.getRect(),
                "scale": window.devicePixelRatio(),
                "window": frame.getRect(),
                "total": total.text(),
                "problems": problems,
            }
        )
    )
    window.close()
    store.close()
    app.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
