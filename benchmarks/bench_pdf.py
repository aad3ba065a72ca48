"""Superbill PDFs: milliseconds per one-page superbill, and pages per second for a 200-patient day.

Builds a throwaway practice database (demo practice, 200 patients each with one final encounter on
the same day), then times, in this process:
  - assembling and rendering one superbill (median of REPEAT runs),
  - a baseline in the same run: one ReportLab page with one paragraph in the same embedded fonts,
  - assembling and rendering the whole day into one PDF (median of DAY_REPEAT runs),
  - the whole command as the front desk runs it, ``superbill print --date DAY -o FILE`` in a new process
    (start, open the file, sign in, build, render, write; median of DAY_REPEAT runs, bytecode already
    written), and a baseline in the same run: a new ``python -c pass`` process.
Prints medians, ratios and issue 14's goals beside them (at most 15 ms a page; the whole command at most
2 s).
Never touches the real user data folder.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

DAY = date(2026, 11, 27)
PATIENTS = 200
REPEAT = 25
DAY_REPEAT = 3
PAGE_GOAL_MS = 15.0
COMMAND_GOAL_S = 2.0
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import BENCH_PASSWORD, BENCH_USER, signed_in  # noqa: E402  (the benchmarks' administrator)


def print_command_seconds(db_path: Path, folder: Path) -> float:
    """Median wall time of ``python main.py --db DB print --date DAY -o FILE`` in a new process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(SUPERBILL_USER=BENCH_USER, SUPERBILL_PASSWORD=BENCH_PASSWORD)  # commands sign in too
    command = [
        sys.executable, "main.py", "--db", str(db_path), "print", "--date", DAY.isoformat(),
        "-o", str(folder / "day.pdf"),
    ]  # fmt: skip
    times = []
    for attempt in range(DAY_REPEAT + 1):  # the first run writes the bytecode: not timed
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"print --date failed ({done.returncode}): {done.stdout}{done.stderr}")
        if attempt:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_process_seconds() -> float:
    """Median wall time of a new ``python -c pass`` process (the floor of any command)."""
    return median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), DAY_REPEAT)


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fill_day(db_path: Path) -> None:
    """200 patients, each with one coded, finalised encounter on DAY (varied lesions)."""
    from core import visit
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
    with signed_in(open_store(db_path, clock=clock, user="bench")) as store:
        provider_id = store.providers()[0].id or 0
        payer_id = store.payers()[0].id
        with store.transaction():
            for n in range(PATIENTS):
                patient = store.save_patient(
                    Patient(
                        first_name=f"Patient{n:03d}",
                        last_name=f"Benchmark-{n:03d}",
                        date_of_birth=date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
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
                visit.finalize_unattended(store, draft, "benchmark")


def baseline_page() -> None:
    """One Letter page, one paragraph, the same embedded fonts, invariant mode: ReportLab's floor."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from core.pdf.styles import styles

    doc = SimpleDocTemplate(BytesIO(), pagesize=LETTER, invariant=1)
    doc.build([Paragraph("Superbill baseline page", styles().body)])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SUPERBILL_DATA_DIR"] = folder
        os.environ["SUPERBILL_KEYSTORE"] = "file"  # database keys in the temporary folder
        from core.pdf.render import render_superbills
        from core.store import open_store
        from core.superbill.build import superbill_for, superbills_for_day

        db_path = Path(folder) / "bench.db"
        start = time.perf_counter()
        fill_day(db_path)
        setup = time.perf_counter() - start

        with signed_in(open_store(db_path)) as store:
            one = superbill_for(store, 2, issued=DAY)  # 16 AKs + 2 SKs: the busiest mix
            pages_one = render_superbills([one], BytesIO())
            render_superbills([one], BytesIO())  # warm-up: fonts parsed, styles built
            render_only = median_seconds(lambda: render_superbills([one], BytesIO()), REPEAT)
            with_build = median_seconds(
                lambda: render_superbills([superbill_for(store, 2, issued=DAY)], BytesIO()), REPEAT
            )
            baseline = median_seconds(baseline_page, REPEAT)

            build_day = median_seconds(lambda: superbills_for_day(store, DAY, issued=DAY), DAY_REPEAT)
            day = superbills_for_day(store, DAY, issued=DAY)
            out = BytesIO()
            pages_day = render_superbills(day, out)
            render_day = median_seconds(lambda: render_superbills(day, BytesIO()), DAY_REPEAT)

        command = print_command_seconds(db_path, Path(folder))
        bare = bare_process_seconds()

    total_day = build_day + render_day
    per_page_ms = total_day / pages_day * 1000
    print(f"machine: nproc={os.cpu_count()} python={sys.version.split()[0]}")
    print(f"setup: {PATIENTS} patients coded and finalised in {setup:.1f} s (not part of the figures)")
    print(
        f"one superbill ({pages_one} page): render {render_only * 1000:.1f} ms, "
        f"build+render {with_build * 1000:.1f} ms (median of {REPEAT})"
    )
    print(
        f"baseline one-paragraph page: {baseline * 1000:.1f} ms; "
        f"superbill/baseline = {render_only / baseline:.1f}x"
    )
    print(
        f"day of {len(day)} patients: {pages_day} pages, {len(out.getvalue()) / 1024:.0f} KiB; "
        f"build {build_day:.2f} s + render {render_day:.2f} s (median of {DAY_REPEAT}) = "
        f"{pages_day / total_day:.1f} pages/s ({total_day / pages_day * 1000:.1f} ms/page)"
    )
    print(f"day render vs {len(day)} x one-superbill render: {render_day / (len(day) * render_only):.2f}x")
    print(
        f"superbill PDF in a {PATIENTS}-patient day: {per_page_ms:.1f} ms/page "
        f"({per_page_ms / 1000 / baseline:.2f}x the one-paragraph page); "
        f"goal <= {PAGE_GOAL_MS:.0f} ms/page ({'met' if per_page_ms <= PAGE_GOAL_MS else 'not met'})"
    )
    print(
        f"superbill print --date, whole process ({pages_day} pages): {command:.2f} s "
        f"(median of {DAY_REPEAT}; {command / bare:.1f}x python -c pass, {bare * 1000:.0f} ms); "
        f"goal <= {COMMAND_GOAL_S:.0f} s ({'met' if command <= COMMAND_GOAL_S else 'not met'})"
    )


if __name__ == "__main__":
    main()
