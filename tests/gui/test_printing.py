"""Superbill preview (Ctrl+P) and the day's PDF: built in the background, saved and printed via the seam.

Printing goes through the real path: the scripted print dialog answers as a user choosing *Print to
file (PDF)*, so the pages really are drawn on a ``QPrinter`` and the file is read back with pypdf.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QObject, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from core.store.records import EncounterStatus
from gui import background
from gui.main_window import MainWindow
from gui.printing import on_white
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter, table_rows


def add_patient(window: MainWindow, first: str, last: str) -> None:
    from datetime import date

    from core.store.records import Patient

    window.store.save_patient(Patient(first_name=first, last_name=last, date_of_birth=date(1970, 1, 2)))


def finalise_visit(qtbot: QtBot, window: MainWindow, fake: FakeDialogs, query: str, line: str) -> None:
    open_first_patient(qtbot, window, query)
    quick_enter(qtbot, window, line)
    fake.defaults["ask"] = True  # the warning question, if any
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    del fake.defaults["ask"]
    assert window.current_encounter().status is EncounterStatus.FINAL


def preview(window: MainWindow) -> QWidget:
    dialog = window.findChild(QWidget, "superbillPreview")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_ctrl_p_previews_then_saves_and_prints(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "12 ak face cryo")
    fake_dialogs.defaults["ask"] = True
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # a draft is finalised first
    dialog = preview(window)
    assert named(dialog, "previewPageCount").text() == "1 page"
    target = tmp_path / "out" / "bill"
    target.parent.mkdir()
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    text = PdfReader(target.with_suffix(".pdf")).pages[0].extract_text()
    assert "17000" in text and "17003" in text and "Sample" in text
    qtbot.mouseClick(named(dialog, "previewPrintButton"), Qt.MouseButton.LeftButton)
    assert fake_dialogs.printed_pages == [1]
    assert window.current_encounter().status is EncounterStatus.PRINTED


def test_print_day_writes_one_page_per_patient(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    add_patient(window, "Grace", "Hopper")
    add_patient(window, "Alan", "Turing")
    finalise_visit(qtbot, window, fake_dialogs, "sample", "12 ak face cryo")
    finalise_visit(qtbot, window, fake_dialogs, "hopper", "3 sk trunk")
    finalise_visit(qtbot, window, fake_dialogs, "turing", "20 tag neck electro")
    qtbot.mouseClick(named(window, "printDayButton"), Qt.MouseButton.LeftButton)
    dialog = preview(window)
    target = tmp_path / "day.pdf"
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    pages = PdfReader(target).pages
    assert len(pages) == 3
    names = [page.extract_text() for page in pages]
    assert "Sample" in names[0] and "Hopper" in names[1] and "Turing" in names[2]
    assert [row.encounter.status for row in window.day_sheet.model.records()] == [EncounterStatus.PRINTED] * 3


def test_print_day_runs_in_the_background_and_keeps_the_window_free(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    finalise_visit(qtbot, window, fake_dialogs, "sample", "2 ak face")
    background.set_pool(None)  # Qt's real thread pool for this test
    qtbot.mouseClick(named(window, "printDayButton"), Qt.MouseButton.LeftButton)
    assert named(window, "busyIndicator").isVisible()
    qtbot.waitUntil(lambda: window.findChild(QWidget, "superbillPreview") is not None, timeout=20000)
    assert not named(window, "busyIndicator").isVisible()


def test_print_day_with_nothing_final_says_why(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    qtbot.keyClick(
        window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert fake_dialogs.kinds() == ["inform"]  # a calm word, not an error
    assert "draft" in fake_dialogs.seen[0][2].lower()
    # the button is never a silent grey: clicking it says the same
    button = named(window, "printDayButton")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert fake_dialogs.kinds() == ["inform", "inform"]
    assert window.findChild(QWidget, "superbillPreview") is None


# -- printing on a printer (issue 10, item 4) and saying where it went (item 5) ------------------------


def page_images(path: Path) -> list[tuple[int, int, float]]:
    """(width px, height px, page width in inches) of each image drawn on each page of ``path``."""
    found = []
    for page in PdfReader(path).pages:
        objects = page["/Resources"].get("/XObject", {})
        for xobject in objects.get_object().values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append(
                    (int(xobject["/Width"]), int(xobject["/Height"]), float(page.mediabox.width) / 72)
                )
    return found


def thumbnail(path: Path) -> list[int]:
    """The first page of ``path`` as 85 x 110 grey levels (rendered finer, then smoothly shrunk)."""
    document = QPdfDocument()
    document.load(str(path))
    image = on_white(document.render(0, QSize(510, 660))).convertToFormat(QImage.Format.Format_Grayscale8)
    document.close()
    small = image.scaled(
        QSize(85, 110), Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    return [small.pixelColor(x, y).value() for y in range(110) for x in range(85)]


def mean_difference(first: list[int], second: list[int]) -> float:
    return sum(abs(a - b) for a, b in zip(first, second, strict=True)) / len(first)


class FolderOpened(QObject):
    """Stands in for the file manager: records the folders the window asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.folders: list[Path] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.folders.append(Path(url.toLocalFile()))


@pytest.fixture
def folder_opened() -> Iterator[FolderOpened]:
    handler = FolderOpened()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_print_to_a_pdf_printer_gives_letter_pages_at_no_more_than_300_dpi(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path, folder_opened: FolderOpened
) -> None:
    finalise_visit(qtbot, window, fake_dialogs, "sample", "12 ak face cryo")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = preview(window)
    original = tmp_path / "original.pdf"
    fake_dialogs.answers["save_file"].append(original)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    printed = tmp_path / "printer" / "printed.pdf"
    printed.parent.mkdir()
    fake_dialogs.print_to = printed  # the user picks "Print to file (PDF)" in the print dialog

    qtbot.mouseClick(named(dialog, "previewPrintButton"), Qt.MouseButton.LeftButton)

    pages = PdfReader(printed).pages
    assert len(pages) == 1
    assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == (612, 792)  # US Letter
    # was 6.2 MB for this page (a 1200-dpi colour image); grey and lossless now, about 0.22 MB
    assert printed.stat().st_size < 400_000
    images = page_images(printed)
    assert images, "the page is drawn as an image"
    for width, _height, inches in images:
        assert 150 <= width / inches <= 300
    # the Letter page fills the Letter sheet: it looks like the saved PDF, not shrunk into a corner
    assert mean_difference(thumbnail(original), thumbnail(printed)) < 8
    status = named(window, "statusText").text()
    assert str(printed) in status
    open_folder = named(window, "openFolderButton")
    assert open_folder.isVisible()
    qtbot.mouseClick(open_folder, Qt.MouseButton.LeftButton)
    assert folder_opened.folders == [printed.parent]
    assert window.current_encounter().status is EncounterStatus.PRINTED


def test_save_as_pdf_says_where_the_file_went_and_opens_its_folder(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path, folder_opened: FolderOpened
) -> None:
    finalise_visit(qtbot, window, fake_dialogs, "sample", "2 ak face")
    open_folder = named(window, "openFolderButton")
    assert not open_folder.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = preview(window)
    target = tmp_path / "bills" / "visit.pdf"
    target.parent.mkdir()
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(dialog, "previewSaveButton"), Qt.MouseButton.LeftButton)
    assert target.is_file()
    status = named(window, "statusText").text()
    assert "visit.pdf" in status and str(target.parent) in status
    assert open_folder.isVisible()
    qtbot.mouseClick(open_folder, Qt.MouseButton.LeftButton)
    assert folder_opened.folders == [target.parent]


def test_the_save_dialog_starts_in_the_folder_of_the_last_pdf_saved(
    qtbot: QtBot,
    window: MainWindow,
    fake_dialogs: FakeDialogs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first save starts in the Documents folder (the home folder when there is none); the next
    starts where the last PDF went (kept per user in ``QSettings``, so also after the window is opened
    again), not in Documents again."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    finalise_visit(qtbot, window, fake_dialogs, "sample", "2 ak face")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    target = tmp_path / "superbills" / "first.pdf"
    target.parent.mkdir()
    fake_dialogs.answers["save_file"].append(target)
    qtbot.mouseClick(named(preview(window), "previewSaveButton"), Qt.MouseButton.LeftButton)
    first_start = Path(fake_dialogs.seen[-1][2]).parent
    assert first_start == home / "Documents"
    fake_dialogs.answers["save_file"].append(None)  # the user looks where it starts, then cancels
    qtbot.mouseClick(named(preview(window), "previewSaveButton"), Qt.MouseButton.LeftButton)
    assert Path(fake_dialogs.seen[-1][2]).parent == target.parent
    for left in target.parent.iterdir():
        left.unlink()
    target.parent.rmdir()  # a folder that is gone: back to Documents
    fake_dialogs.answers["save_file"].append(None)
    qtbot.mouseClick(named(preview(window), "previewSaveButton"), Qt.MouseButton.LeftButton)
    assert Path(fake_dialogs.seen[-1][2]).parent == home / "Documents"
    (home / "Documents").rmdir()  # no Documents folder at all: the home folder
    fake_dialogs.answers["save_file"].append(None)
    qtbot.mouseClick(named(preview(window), "previewSaveButton"), Qt.MouseButton.LeftButton)
    assert Path(fake_dialogs.seen[-1][2]).parent == home


def test_print_dialog_cancelled_prints_nothing(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    finalise_visit(qtbot, window, fake_dialogs, "sample", "2 ak face")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    fake_dialogs.print_to = None  # the user closes the print dialog
    qtbot.mouseClick(named(preview(window), "previewPrintButton"), Qt.MouseButton.LeftButton)
    assert "setup_printer" in fake_dialogs.kinds()
    assert window.findChild(QWidget, "printProgress") is None
    assert window.current_encounter().status is EncounterStatus.FINAL


def test_printing_runs_in_the_background_with_progress_and_cancel_stops_it(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    names = ["Hopper", "Turing", "Lovelace", "Noether", "Curie"]
    for name in names:
        add_patient(window, "Test", name)
    finalise_visit(qtbot, window, fake_dialogs, "sample", "12 ak face cryo")
    for name in names:
        finalise_visit(qtbot, window, fake_dialogs, name.lower(), "3 sk trunk")
    qtbot.mouseClick(named(window, "printDayButton"), Qt.MouseButton.LeftButton)
    dialog = preview(window)
    assert named(dialog, "previewPageCount").text() == "6 pages"
    printed = tmp_path / "day-printed.pdf"
    fake_dialogs.print_to = printed
    background.set_pool(None)  # Qt's real thread pool: the pages are drawn on a worker thread

    qtbot.mouseClick(named(dialog, "previewPrintButton"), Qt.MouseButton.LeftButton)
    # the click came back at once: the pages are being drawn while the window is used
    progress = named(window, "printProgress")
    assert isinstance(progress, QProgressDialog) and progress.isVisible()
    assert progress.maximum() == 6 and progress.value() < 6
    assert named(window, "busyIndicator").isVisible()
    day = named(window, "dayDate")
    before = day.date()
    qtbot.mouseClick(named(window, "nextDayButton"), Qt.MouseButton.LeftButton)
    assert day.date() == before.addDays(1)
    qtbot.mouseClick(named(progress, "printCancelButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QWidget, "printProgress") is None, timeout=30_000)

    assert "cancelled" in named(window, "statusText").text().lower()
    assert not printed.exists()  # no half-printed file left behind
    assert not named(window, "busyIndicator").isVisible()
    statuses = {e.status for e in window.store.encounters_on(before.toPython())}
    assert statuses == {EncounterStatus.FINAL}  # nothing was marked printed


def test_printing_to_the_end_in_the_background_marks_the_day_printed(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """Issue 10, done when: a two-page day printed through QPrinter to a PDF file has two US Letter
    pages and weighs under 1 MB a page."""
    add_patient(window, "Grace", "Hopper")
    finalise_visit(qtbot, window, fake_dialogs, "sample", "12 ak face cryo")
    finalise_visit(qtbot, window, fake_dialogs, "hopper", "3 sk trunk")
    qtbot.mouseClick(named(window, "printDayButton"), Qt.MouseButton.LeftButton)
    printed = tmp_path / "day.pdf"
    fake_dialogs.print_to = printed
    background.set_pool(None)
    qtbot.mouseClick(named(preview(window), "previewPrintButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QWidget, "printProgress") is None, timeout=30_000)
    pages = PdfReader(printed).pages
    assert len(pages) == 2
    assert [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages] == [(612, 792)] * 2
    assert printed.stat().st_size < 2 * 1_000_000
    assert f"Printed 2 pages to the PDF file {printed}" in named(window, "statusText").text()
    assert [row.encounter.status for row in window.day_sheet.model.records()] == [EncounterStatus.PRINTED] * 2


def test_print_day_names_the_drafts_it_left_out_and_opens_them(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs
) -> None:
    add_patient(window, "Grace", "Hopper")
    add_patient(window, "Alan", "Turing")
    finalise_visit(qtbot, window, fake_dialogs, "sample", "12 ak face cryo")
    open_first_patient(qtbot, window, "hopper")
    quick_enter(qtbot, window, "3 sk trunk")  # saved as a draft, not final
    hopper = window.current_encounter()
    open_first_patient(qtbot, window, "turing")
    quick_enter(qtbot, window, "2 tag neck")
    turing = window.current_encounter()
    assert hopper.status is turing.status is EncounterStatus.DRAFT

    qtbot.keyClick(
        window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = preview(window)
    assert named(dialog, "previewPageCount").text() == "1 page"
    left_out = named(dialog, "previewLeftOut")
    assert left_out.isVisible()
    assert "Hopper" in left_out.text() and "Turing" in left_out.text() and "draft" in left_out.text()
    status = named(window, "statusText").text()
    assert "Hopper" in status and "Turing" in status and "draft" in status
    go = named(dialog, "previewGoToDraftButton")
    assert go.isVisible() and "Hopper" in go.text()
    qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    assert window.current_encounter().id == hopper.id
    assert "Turing" in go.text()
    qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    assert window.current_encounter().id == turing.id


def test_print_pages_stops_at_the_next_page_when_cancelled(tmp_path: Path) -> None:
    from gui.printing import PrintCancelledError, new_printer, print_pages

    pdf = tmp_path / "three.pdf"
    canvas = Canvas(str(pdf), pagesize=LETTER)
    for page in ("one", "two", "three"):
        canvas.drawString(72, 720, page)
        canvas.showPage()
    canvas.save()
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "out.pdf"
    printer.setOutputFileName(str(target))
    done: list[int] = []
    with pytest.raises(PrintCancelledError) as stopped:
        print_pages(printer, pdf.read_bytes(), cancelled=lambda: len(done) == 1, progress=done.append)
    assert done == [1]  # one page drawn, then Cancel
    assert stopped.value.pages == 0  # the file is removed: nothing of the job goes out
    assert not target.exists()


def test_a_colour_page_is_still_well_under_a_megabyte_at_300_dpi(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """Pages with the biller's red box print in colour (JPEG strips): still far from the old 6 MB."""
    from core.pdf.render import render_superbills
    from core.superbill.build import superbill_for
    from gui.printing import new_printer, print_pages

    finalise_visit(qtbot, window, fake_dialogs, "sample", "16 ak scalp cryo")
    out = io.BytesIO()
    render_superbills([superbill_for(window.store, window.current_encounter().id)], out)
    printer = new_printer()
    printer.setColorMode(QPrinter.ColorMode.Color)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "colour.pdf"
    printer.setOutputFileName(str(target))
    assert print_pages(printer, out.getvalue()) == 1
    page = PdfReader(target).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    assert target.stat().st_size < 1_000_000
    assert all(width / inches == 300 for width, _height, inches in page_images(target))


def test_saving_the_day_keeps_the_day_sheet_on_the_visit_in_the_editor(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """Seen in the keyboard-only clinic day: marking the day printed highlighted each row in turn and
    left the last one highlighted, while the editor showed another visit."""
    finalise_visit(qtbot, window, fake_dialogs, "sample", "2 ak face")
    finalise_visit(qtbot, window, fake_dialogs, "jordan", "2 ak face")
    day = named(window, "dayTable")
    first_row = day.model().index(0, 0)
    qtbot.mouseClick(day.viewport(), Qt.MouseButton.LeftButton, pos=day.visualRect(first_row).center())
    qtbot.keyClick(day, Qt.Key.Key_Return)  # the first visit of the day in the editor
    assert window.editor.patient is not None and window.editor.patient.last_name == "Sample"
    qtbot.keyClick(
        window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: window.findChild(QWidget, "superbillPreview") is not None, timeout=20000)
    fake_dialogs.answers["save_file"].append(tmp_path / "day.pdf")
    qtbot.mouseClick(named(preview(window), "previewSaveButton"), Qt.MouseButton.LeftButton)
    assert [row[5] for row in table_rows(day)] == ["Printed", "Printed"]
    assert day.model().index(day.currentIndex().row(), 0).data() == "Sample, Avery"
    assert window.editor.patient.last_name == "Sample"
