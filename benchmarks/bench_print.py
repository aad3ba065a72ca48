"""Printing: bytes and seconds per printed page, printing a 6-patient day through ``QPrinter`` to a PDF file.

Builds a throwaway practice database (demo practice, 6 patients each with one final encounter on the
same day), renders the day's superbills (6 pages) once, then prints them with ``gui.printing``
(``new_printer`` + ``print_pages``) to a PDF file, as "Print to file (PDF)" in the print dialog does:
  - in grey (the print dialog's default unless a page has the biller's red box) and in colour,
    median of REPEAT runs each;
  - the longest pause of the main thread while a grey print runs on a worker thread (how long the
    window could not answer);
  - a baseline in the same run: the drawing as it was before issue 10 (a ``HighResolution`` printer
    left on its default paper, each page drawn as one image at the printer's 1200 dpi), once; skip
    it (about 7 s a page) with ``--no-baseline``.
Prints bytes and seconds per page, and ratios against the baseline. Runs offscreen in a temporary
folder; never touches the real user data.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

DAY = date(2026, 11, 27)
PATIENTS = 6
REPEAT = 3


def fill_day(db_path: Path) -> None:
    """PATIENTS patients, each with one coded, finalised encounter on DAY (varied lesions)."""
    from core.coding import code_encounter
    from core.coding.model import LesionGroup, LesionKind
    from core.store import EncounterRecord, Patient, open_store

    mixes = [
        (LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0"),),
        (
            LesionGroup(LesionKind.PREMALIGNANT, 16, "scalp", "cryosurgery", "L57.0"),
            LesionGroup(LesionKind.BENIGN, 2, "trunk", "cryosurgery", "L82.1"),
        ),
        (LesionGroup(LesionKind.SKIN_TAG, 20, "neck", "electrosurgery", "L91.8"),),
        (LesionGroup(LesionKind.MALIGNANT, 1, "trunk", "electrosurgery", "C44.519", diameter_cm=0.8),),
    ]
    clock = lambda: datetime(2026, 11, 27, 20, 0, tzinfo=UTC)  # noqa: E731
    with open_store(db_path, clock=clock, user="bench") as store:
        provider_id = store.providers()[0].id or 0
        payer_id = store.payers()[0].id
        with store.transaction():
            for n in range(PATIENTS):
                patient = store.save_patient(
                    Patient(
                        first_name=f"Patient{n:03d}",
                        last_name=f"Benchmark-{n:03d}",
                        date_of_birth=date(1950 + n, 1 + n, 1 + n),
                        sex="FM"[n % 2],
                        address1=f"{n} Example Street",
                        city="Springfield",
                        state="IL",
                        zip="62701",
                        payer_id=payer_id,
                        member_id=f"BENCH{n:06d}",
                    )
                )
                assert patient.id is not None
                draft = store.save_draft(
                    EncounterRecord(patient.id, provider_id, DAY, "11", lesions=mixes[n % len(mixes)])
                )
                assert draft.id is not None
                store.finalize(draft.id, code_encounter(store.coding_input(draft)))


def print_to_file(pdf: bytes, target: Path, *, colour: bool) -> None:
    """Print ``pdf`` with the window's printing code to a PDF file (as "Print to file" does)."""
    from PySide6.QtPrintSupport import QPrinter

    from gui.printing import new_printer, print_pages

    printer = new_printer()
    printer.setColorMode(QPrinter.ColorMode.Color if colour else QPrinter.ColorMode.GrayScale)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    print_pages(printer, pdf)


def print_as_before(pdf: bytes, target: Path) -> None:
    """The drawing before issue 10: default paper, one image per page at the printer's resolution."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    painter = QPainter(printer)
    for page in range(document.pageCount()):
        if page:
            printer.newPage()
        viewport = painter.viewport()
        size = document.pagePointSize(page)
        scale = min(viewport.width() / size.width(), viewport.height() / size.height())
        painter.drawImage(
            0, 0, document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
        )
    painter.end()
    document.close()


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def longest_main_thread_pause(action: Callable[[], object]) -> float:
    """Run ``action`` on a worker thread; the longest the main thread waited to run (seconds)."""
    worker = threading.Thread(target=action)
    worker.start()
    longest, last = 0.0, time.perf_counter()
    while worker.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        longest, last = max(longest, now - last - 0.001), now
    worker.join()
    return longest


def main() -> None:
    baseline = "--no-baseline" not in sys.argv[1:]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SUPERBILL_DATA_DIR"] = folder
        os.environ["SUPERBILL_KEYSTORE"] = "file"  # database keys in the temporary folder
        from PySide6.QtWidgets import QApplication

        from core.pdf.render import render_superbills
        from core.store import open_store
        from core.superbill.build import superbills_for_day

        app = QApplication.instance() or QApplication([])
        db_path = Path(folder) / "bench.db"
        fill_day(db_path)
        with open_store(db_path) as store:
            day = superbills_for_day(store, DAY, issued=DAY)
        out = BytesIO()
        pages = render_superbills(day, out)
        pdf = out.getvalue()
        grey, colour, before = (Path(folder) / name for name in ("grey.pdf", "colour.pdf", "before.pdf"))

        print_to_file(pdf, grey, colour=False)  # warm-up: QtPdf, the JPEG plugin
        grey_s = median_seconds(lambda: print_to_file(pdf, grey, colour=False), REPEAT)
        colour_s = median_seconds(lambda: print_to_file(pdf, colour, colour=True), REPEAT)
        pause = longest_main_thread_pause(lambda: print_to_file(pdf, grey, colour=False))
        before_s = median_seconds(lambda: print_as_before(pdf, before), 1) if baseline else None
        sizes = {path: path.stat().st_size for path in (grey, colour, before) if path.exists()}
        del app

    print(f"machine: nproc={os.cpu_count()} python={sys.version.split()[0]}")
    vector = len(pdf) / pages / 1024
    print(f"day of {PATIENTS} patients: {pages} pages; the superbill PDF itself: {vector:.0f} KiB/page")
    for name, path, seconds in (("grey", grey, grey_s), ("colour", colour, colour_s)):
        per_page = sizes[path] / pages / 1024
        print(
            f"printed {name}: {per_page:.0f} KiB/page, {seconds / pages * 1000:.0f} ms/page "
            f"(median of {REPEAT}; {sizes[path] / 1024 / 1024:.1f} MiB and {seconds:.2f} s for the day)"
        )
    print(f"longest pause of the main thread while a grey day prints on a worker: {pause * 1000:.0f} ms")
    if before_s is not None:
        size = sizes[before]
        print(
            f"before issue 10 (1200 dpi, default paper): {size / pages / 1024 / 1024:.2f} MiB/page, "
            f"{before_s / pages:.2f} s/page ({size / 1024 / 1024:.1f} MiB and {before_s:.1f} s for the day)"
        )
        print(
            f"before / now: bytes {size / sizes[grey]:.0f}x (grey) {size / sizes[colour]:.1f}x (colour); "
            f"seconds {before_s / grey_s:.0f}x (grey) {before_s / colour_s:.0f}x (colour)"
        )


if __name__ == "__main__":
    main()
