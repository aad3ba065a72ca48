"""The lesion table's site picker: type a few letters, pick a site from the list, by keys or mouse.

``SitePicker`` is the *Site* cell's editor: a line edit whose drop-down lists the entries of
``core.coding.sites.find_sites`` for what has been typed (``left ch`` → *left cheek (face)*, *left
chest (trunk)*…), the best match first and current. Down opens or moves in the list, Enter (or a
click) takes the entry, Esc leaves the cell as it was; Enter with the list closed takes the words
typed (``back of the hand``), read like the quick-entry line. The words go to the model, which sets
them with ``core.quick_entry.edit_group(group, "site", words)``.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QCompleter,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from core.coding.sites import SiteChoice, find_sites, site_label

Index = QModelIndex | QPersistentModelIndex

#: how many entries the list shows at most
MATCHES = 20
#: the widest the list grows to show an entry whole, in pixels
WIDEST = 760
#: the item role holding the words an entry keeps (``left cheek``)
WORDS_ROLE = Qt.ItemDataRole.UserRole + 1


def choice_text(choice: SiteChoice) -> str:
    """``left cheek (face)`` as the table shows it; the site alone when the words are its name; a note
    (``wrist``: arm and hand are different groups) after a dash."""
    label = site_label(choice.site)
    text = choice.words if choice.words.lower() == label else f"{choice.words} ({label})"
    return f"{text} — {choice.note}" if choice.note else text


class SitePicker(QLineEdit):
    """A search field for one site; ``chosen`` when an entry of the list is taken, ``cancelled`` on Esc."""

    chosen = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sitePicker")
        self.setAccessibleName("Site: type to search, Down and Enter to choose, Esc to cancel")
        self.setPlaceholderText("type a site: left cheek, upper back…")
        self.setToolTip(
            "Type a few letters of the site (left ch, upper b, nose), then Down and Enter to choose; "
            "Enter alone keeps the words typed; Esc leaves the cell as it was"
        )
        self._matches = QStandardItemModel(self)
        self.drop_down = QCompleter(self._matches, self)
        self.drop_down.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.drop_down.setCompletionRole(WORDS_ROLE)
        self.drop_down.setMaxVisibleItems(12)
        self.drop_down.setWidget(self)
        popup = self.drop_down.popup()
        assert popup is not None  # a completer always has its popup list once it has a widget
        popup.setObjectName("siteMatches")
        popup.setAccessibleName("Sites found")
        # the stubs type the overloaded signal as one SignalInstance; [str] picks the text overload
        self.drop_down.activated[str].connect(self._take)  # type: ignore[index]
        self.textEdited.connect(self.search)
        show_all = self.addAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
            QLineEdit.ActionPosition.TrailingPosition,
        )
        show_all.setToolTip("List the sites (Down)")
        show_all.triggered.connect(lambda: self.search(""))

    def matches(self) -> list[str]:
        """The entries listed now, as shown."""
        return [self._matches.item(row).text() for row in range(self._matches.rowCount())]

    def list_shown(self) -> bool:
        popup = self.drop_down.popup()
        return popup is not None and popup.isVisible()

    def search(self, query: str) -> None:
        """List the sites for ``query`` (every contract site for an empty one), the best one current."""
        self._matches.clear()
        for choice in find_sites(query, MATCHES):
            item = QStandardItem(choice_text(choice))
            item.setData(choice.words, WORDS_ROLE)
            item.setToolTip(f"Coded with the {choice.group}")
            self._matches.appendRow(item)
        popup = self.drop_down.popup()
        assert popup is not None
        if not self._matches.rowCount():
            popup.hide()
            return
        # as wide as the longest entry (a note included), within reason: the cell is often narrower
        popup.setMinimumWidth(min(WIDEST, popup.sizeHintForColumn(0) + 2 * popup.frameWidth() + 24))
        self.drop_down.complete()
        popup.setCurrentIndex(popup.model().index(0, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            popup = self.drop_down.popup()
            if popup is not None:
                popup.hide()
            event.accept()
            self.cancelled.emit()
            return
        if event.key() == Qt.Key.Key_Down and not self.list_shown():
            whole = self.hasSelectedText() and self.selectedText() == self.text()
            QTimer.singleShot(0, partial(self.search, "" if whole else self.text()))
            event.accept()
            return
        super().keyPressEvent(event)

    def _take(self, words: str) -> None:
        self.setText(words)
        self.chosen.emit()


class SiteDelegate(QStyledItemDelegate):
    """Edits the *Site* cell with a ``SitePicker``; the model gets the words (``left cheek``)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        picker = SitePicker(parent)
        picker.chosen.connect(partial(self._finish, picker))
        picker.cancelled.connect(partial(self._cancel, picker))
        return picker

    def _finish(self, picker: SitePicker) -> None:
        self.commitData.emit(picker)
        self.closeEditor.emit(picker, QAbstractItemDelegate.EndEditHint.NoHint)

    def _cancel(self, picker: SitePicker) -> None:
        self.closeEditor.emit(picker, QAbstractItemDelegate.EndEditHint.RevertModelCache)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, SitePicker)
        if not editor.isModified():  # a key that opened the editor has already been typed into it
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, SitePicker)
        model.setData(index, editor.text().strip(), Qt.ItemDataRole.EditRole)
