"""Superbills out of the window: the preview, printing in the background, Save as PDF, and where it went.

``MainWindow`` creates one ``Printing`` and connects its menu actions and buttons to it; everything
else about printing lives here:

- the superbills are assembled on the main thread (the database connection lives there) and drawn
  into a PDF in the background (``run_in_background``), then shown in ``gui.preview.PreviewDialog``;
- *Print…* asks for a printer through the dialog seam (``dialogs().setup_printer``) on a ``QPrinter``
  set to US Letter, portrait, full page; the pages are then rasterised with QtPdf at the printer's
  resolution capped at ``MAX_PRINT_DPI`` and painted on the printer **on a worker thread** (Qt
  supports ``QPainter`` on a ``QPrinter`` outside the GUI thread), with a progress dialog whose Cancel
  stops at the next page; the window stays usable;
- after saving or printing, the status line says where the output went; a file gets an *Open folder*
  button (``QDesktopServices``);
- *Print day* names the visits it left out because they are still drafts, and the preview offers to
  open them.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QProgressDialog, QPushButton

from core.dates import shown_date
from core.store.records import EncounterStatus
from core.text import counted
from gui.background import run_in_background
from gui.dialogs import dialogs
from gui.errors import show_error
from gui.print_pages import MAX_PRINT_DPI as MAX_PRINT_DPI
from gui.print_pages import STRIP_ROWS as STRIP_ROWS
from gui.print_pages import PrintCancelledError as PrintCancelledError
from gui.print_pages import new_printer as new_printer
from gui.print_pages import on_white as on_white
from gui.print_pages import print_pages as print_pages
from gui.widget_names import named

if TYPE_CHECKING:
    from core.superbill.model import Superbill
    from gui.main_window import MainWindow
    from gui.preview import PreviewDialog

log = logging.getLogger("superbill.gui")


@dataclass
class LeftOut:
    """A visit of the day left out of *Print day* because it is still a draft."""

    encounter_id: int
    name: str


@dataclass
class _PrintJob:
    progress: QProgressDialog
    pages: int
    stop: threading.Event = field(default_factory=threading.Event)


class _PageRelay(QObject):
    """Carries "page done" from the worker thread to ``deliver`` on the main thread (queued signal)."""

    page_done = Signal(int)

    def __init__(self, parent: QObject, deliver: Callable[[int], None]) -> None:
        super().__init__(parent)  # lives on the main thread, so its slot runs there
        self._deliver = deliver
        self.page_done.connect(self._delivered)

    @Slot(int)
    def _delivered(self, done: int) -> None:
        self._deliver(done)


class Printing(QObject):
    """Preview, print and save superbills for ``window``; says in its status line where they went."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.preview: PreviewDialog | None = None
        self.job: _PrintJob | None = None
        self.folder: Path | None = None  # the folder of the last file written
        self.open_folder_button = named(
            QPushButton("Open folder"), "openFolderButton", "Open the folder of the saved file"
        )
        self.open_folder_button.setVisible(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        window.statusBar().addWidget(self.open_folder_button)  # right after the message it belongs to

    # -- what the menus call ---------------------------------------------------------------------
    def preview_superbill(self, encounter_id: int) -> None:
        """Build the superbill of one final encounter and show the preview (Ctrl+P)."""
        try:
            from core.superbill.build import superbill_for  # late: ReportLab is only needed to print

            store = self.window.store
            superbill = superbill_for(store, encounter_id)
            record = store.get_encounter(encounter_id)
            patient = store.get_patient(record.patient_id)
        except Exception as error:
            show_error(self.window, error, "show the superbill")
            return
        self._superbills(
            [superbill],
            f"Superbill — {patient.display_name}",
            f"superbill-{record.document_number or encounter_id}-{patient.last_name}.pdf",
            [encounter_id],
        )

    def print_day(self) -> None:
        """One PDF with every final superbill of the shown day, built in the background."""
        try:
            self._print_day()
        except Exception as error:
            show_error(self.window, error, "print the day")

    def _print_day(self) -> None:
        from core.superbill.build import superbills_for_day

        store = self.window.store
        day = self.window.day_sheet.day
        encounters = store.encounters_on(day)
        ids = [e.id for e in encounters if e.is_billed and e.id]
        if not ids:
            dialogs().inform(
                self.window,
                "Nothing to print yet",
                f"No visit on {shown_date(day)} is saved as final yet, so there is no superbill to print. "
                "Drafts are not printed: open each visit and save it as final (Ctrl+S) first.",
            )
            return
        left_out = [
            LeftOut(e.id, store.get_patient(e.patient_id).display_name)
            for e in encounters
            if e.status is EncounterStatus.DRAFT and e.id is not None
        ]
        superbills = superbills_for_day(store, day)
        self._superbills(
            superbills,
            f"Superbills of {shown_date(day)} ({len(superbills)} patients)",
            f"superbills-{day.isoformat()}.pdf",
            ids,
            left_out,
        )

    def _superbills(
        self,
        superbills: list[Superbill],
        title: str,
        name: str,
        ids: list[int],
        left_out: list[LeftOut] | None = None,
    ) -> None:
        from core.pdf.render import render_superbills

        self.render_and_preview(
            lambda out: render_superbills(superbills, out),
            f"Preparing {counted(len(superbills), 'superbill')}…",
            title,
            name,
            encounter_ids=ids,
            left_out=left_out,
        )

    def close(self) -> None:
        """The window is closing: close the preview and stop a print at its next page."""
        if self.job is not None:
            self.job.stop.set()
        if self.preview is not None:
            self.preview.close()

    def open_folder(self) -> None:
        """Show the folder of the last file written in the system's file manager."""
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    # -- the preview -----------------------------------------------------------------------------
    def render_and_preview(
        self,
        draw: Callable[[BinaryIO], object],
        busy: str,
        title: str,
        name: str,
        *,
        encounter_ids: list[int] | None = None,
        left_out: list[LeftOut] | None = None,
        noun: str = "superbill",
    ) -> None:
        """``draw(out)`` writes a PDF on a worker thread (no widgets, no database), then the preview
        shows it. Printing or saving it marks ``encounter_ids`` printed (none for a review sheet)."""
        self._set_busy(busy)

        def render() -> bytes:  # runs on a worker thread: no widgets, no database
            out = io.BytesIO()
            draw(out)
            return out.getvalue()

        in_color = False  # black on white; colour can still be chosen in the print dialog

        def done(pdf: bytes) -> None:
            self._set_busy("")
            self._show_preview(pdf, title, name, encounter_ids or [], left_out or [], in_color, noun)

        def failed(error: BaseException) -> None:
            self._set_busy("")
            show_error(self.window, error, f"prepare the {noun}")

        run_in_background(self.window, render, done, failed)

    def _show_preview(
        self,
        pdf: bytes,
        title: str,
        name: str,
        encounter_ids: list[int],
        left_out: list[LeftOut],
        in_color: bool,
        noun: str = "superbill",
    ) -> None:
        from gui.preview import PreviewDialog  # late: QtPdf loads only when a preview is shown

        if self.preview is not None:
            self.preview.close()
        preview = PreviewDialog(
            pdf,
            title,
            name,
            self.window,
            on_print=lambda: self._print(preview, encounter_ids, in_color),
            on_saved=lambda path: self._saved(path, encounter_ids),
            left_out=[(item.encounter_id, item.name) for item in left_out],
            go_to=self._go_to_visit,
            noun=noun,
        )
        self.preview = preview
        preview.destroyed.connect(self._preview_closed)
        preview.show()
        message = f"{title}: {counted(preview.document.pageCount(), 'page')} ready."
        if left_out:
            names = ", ".join(item.name for item in left_out)
            message += f" Left out because still a draft: {names}."
        self._say(message)

    def _preview_closed(self) -> None:
        self.preview = None

    def _go_to_visit(self, encounter_id: int) -> None:
        """Open a draft that was left out of the day's print, with the window in front."""
        self.window.open_encounter(encounter_id)
        self.window.raise_()
        self.window.activateWindow()

    def _mark_printed(self, encounter_ids: list[int]) -> None:
        if not encounter_ids:  # a review sheet: nothing is marked printed
            return
        for record in self.window.store.mark_printed(encounter_ids):
            self.window.day_sheet.show_encounter(record, select=False)
        current = self.window.editor.encounter
        if current is not None and current.id in encounter_ids:
            self.window.editor.open_encounter(current.id)

    def _saved(self, path: Path, encounter_ids: list[int]) -> None:
        self._mark_printed(encounter_ids)
        self.window.store.record_print(encounter_ids, f"saved as PDF {path}")
        self._say(f"Saved {path.name} in {path.parent}.", written=path)

    # -- printing --------------------------------------------------------------------------------
    def _print(self, preview: PreviewDialog, encounter_ids: list[int], in_color: bool) -> None:
        """Ask for a printer, then draw the pages on a worker thread with a progress dialog.

        The print dialog starts on grayscale unless a page has the biller's warnings (boxed in red):
        the rest of a superbill is black on white with pale shading, and grey pages go to the printer
        losslessly and about a quarter the size of colour ones. The user can still choose colour.
        """
        from PySide6.QtPrintSupport import QPrinter

        if self.job is not None:
            self.job.progress.raise_()
            self.job.progress.activateWindow()
            return
        pdf = preview.pdf
        pages = preview.document.pageCount()
        printer = new_printer()
        printer.setDocName(preview.windowTitle())
        printer.setFromTo(1, pages)
        printer.setColorMode(QPrinter.ColorMode.Color if in_color else QPrinter.ColorMode.GrayScale)
        if not dialogs().setup_printer(preview, printer, pages):
            return
        to_file = (
            Path(printer.outputFileName())
            if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName()
            else None
        )
        name = printer.printerName() or "(default)"
        where = f"the PDF file {to_file}" if to_file else f"the printer {name}"
        total = (min(printer.toPage() or pages, pages) - max(printer.fromPage(), 1) + 1) if pages else 0

        doing = f"Printing {counted(total, 'page')} to {where}…"
        progress = QProgressDialog(doing, "", 0, total, self.window)
        named(progress, "printProgress", "Printing progress")
        progress.setWindowTitle("Printing")
        progress.setWindowModality(Qt.WindowModality.NonModal)  # the window stays usable
        cancel = named(QPushButton("Cancel"), "printCancelButton", "Cancel printing")
        progress.setCancelButton(cancel)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(0)
        job = _PrintJob(progress, total)
        relay = _PageRelay(progress, lambda done: self._page_done(job, done, where))

        def cancelled() -> None:
            job.stop.set()
            progress.setLabelText("Cancelling after the page being printed…")
            cancel.setEnabled(False)

        progress.canceled.connect(cancelled)
        progress.rejected.connect(cancelled)  # Esc hides a progress dialog without "canceled"
        progress.setValue(0)
        progress.show()
        self.job = job
        self._set_busy(doing)

        def work() -> int:  # worker thread: the printer, its own PDF document and images only
            return print_pages(printer, pdf, cancelled=job.stop.is_set, progress=relay.page_done.emit)

        def done(drawn: int) -> None:
            self._print_finished(job)
            self._mark_printed(encounter_ids)
            self.window.store.record_print(encounter_ids, f"printed to {where}")
            if to_file is not None:
                self._say(f"Printed {counted(drawn, 'page')} to the PDF file {to_file}.", written=to_file)
            else:
                self._say(f"Sent {counted(drawn, 'page')} to the printer {name}.")

        def failed(error: BaseException) -> None:
            self._print_finished(job)
            if isinstance(error, PrintCancelledError):
                if not error.pages:
                    self._say("Printing cancelled: nothing was printed.")
                else:
                    self._say(
                        f"Printing cancelled after {error.pages} of {counted(total, 'page')}; the printer "
                        "cannot take back the pages already sent."
                    )
                return
            self._say("")
            show_error(self.window, error, "print the superbills")

        run_in_background(self.window, work, done, failed)

    def _page_done(self, job: _PrintJob, done: int, where: str) -> None:
        job.progress.setValue(done)
        if not job.stop.is_set():
            job.progress.setLabelText(f"Printed page {done} of {job.pages} to {where}…")

    def _print_finished(self, job: _PrintJob) -> None:
        if self.job is job:
            self.job = None
        self._set_busy("")
        job.progress.canceled.disconnect()  # closing a progress dialog says "canceled"
        job.progress.rejected.disconnect()
        job.progress.close()
        job.progress.deleteLater()

    # -- the status line -------------------------------------------------------------------------
    def _say(self, text: str, written: Path | None = None) -> None:
        """Put ``text`` on the status line; after a file was ``written``, offer to open its folder.

        The button names the file, so it still makes sense once the status line moves on.
        """
        self.window.status_text.setText(text)
        self.folder = written.parent if written is not None else None
        self.open_folder_button.setVisible(written is not None)
        if written is not None:
            self.open_folder_button.setText(f"Open folder ({written.name})")
            self.open_folder_button.setMinimumWidth(self.open_folder_button.sizeHint().width())
            self.open_folder_button.setToolTip(f"Open {written.parent} in the file manager")

    def _set_busy(self, text: str) -> None:
        self.window.busy.setVisible(bool(text))
        if text:
            self._say(text)
        elif self.window.status_text.text().startswith(("Preparing", "Printing ")):
            self._say("")
