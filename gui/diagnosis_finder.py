"""Find an ICD-10-CM code by words ("actinic keratosis") or by its beginning ("L82").

The search runs in the background (word searches take a tenth of a second or more) and its matches
drop down under the field; choosing one emits ``code_chosen`` with the code. Only billable codes are
offered, because a category heading cannot go on a claim.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QStyle, QWidget

from core import icd10
from gui.background import run_in_background
from gui.errors import show_error

#: how many matches the drop-down shows
MATCHES = 12


class DiagnosisFinder(QLineEdit):
    """A search field whose drop-down lists ``L57.0 — Actinic keratosis`` style matches."""

    code_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnosisSearch")
        self.setAccessibleName("Find a diagnosis code")
        self.setPlaceholderText("Find a diagnosis code (words or L82…)")
        self.setToolTip(
            "Type words or the start of a code, then pick a match; it is added to the quick-entry line"
        )
        self.setClearButtonEnabled(True)
        self._matches = QStringListModel(self)
        self.drop_down = QCompleter(self._matches, self)
        self.drop_down.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.drop_down.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.drop_down.setMaxVisibleItems(MATCHES)
        self.drop_down.setWidget(self)
        popup = self.drop_down.popup()
        assert popup is not None  # a completer always has its popup list once it has a widget
        popup.setObjectName("diagnosisMatches")
        popup.setAccessibleName("Diagnosis codes found")
        # the stubs type the overloaded signal as one SignalInstance; [str] picks the text overload
        self.drop_down.activated[str].connect(self._chosen)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.search_now)
        self.textEdited.connect(lambda _text: self._timer.start())

    def matches(self) -> list[str]:
        """The matches shown for the current text."""
        return self._matches.stringList()

    def search_now(self) -> None:
        """Search for the text typed (also run by the typing timer)."""
        self._timer.stop()
        query = self.text().strip()
        if len(query) < 2:
            self._matches.setStringList([])
            return

        def found(codes: list[icd10.Icd10Code]) -> None:
            if self.text().strip() != query:
                return  # the user typed on; a newer search is coming
            shown = [f"{c.code} — {c.description}" for c in codes if c.billable]
            self._matches.setStringList(shown)
            if shown:
                self._fit_matches(shown)
                self.drop_down.complete()

        run_in_background(
            self, lambda: icd10.search(query, MATCHES * 2), found, lambda error: show_error(self, error)
        )

    def _fit_matches(self, shown: list[str]) -> None:
        """The list as wide as its longest match (not the field's width, which cut descriptions off),
        within the screen."""
        popup = self.drop_down.popup()
        assert popup is not None
        style = popup.style()
        margins = 2 * popup.frameWidth() + 4 * style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin)
        scroll_bar = style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        needed = max(popup.fontMetrics().horizontalAdvance(text) for text in shown) + margins + scroll_bar
        screen = self.screen().availableGeometry().width() if self.screen() else needed
        popup.setMinimumWidth(min(needed, screen))

    def _chosen(self, text: str) -> None:
        code = text.split(" ", 1)[0]
        self.clear()
        self._matches.setStringList([])
        self.code_chosen.emit(code)
