"""The data check's cost: replaying the audit log and comparing every record, at a practice's scale.

Builds a database in a temporary folder through the store's own verbs (the data check needs a real
audit log: every encounter is created as a draft, edited once, finalised; some are printed, paid,
voided, reopened and finalised again — about five audit rows per encounter), then measures on that file:

- the audit log's hash-chain walk (``core.store.audit.verify``): the baseline, it reads the same log;
- the data check (``core.store.data_check.verify_data``): replay plus comparison of every record;
- the whole ``superbill verify`` (integrity check, chain, data check), once;
- the data check's peak Python memory (``tracemalloc``, one extra run: it slows that run down).

It prints the medians, the ratio data check / chain walk measured in this run, and the time per
thousand encounters (a practice's ten years are about 250,000 encounters; both checks grow linearly).

Run: ``python benchmarks/bench_verify.py [--encounters N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

FIRST_DAY = date(2026, 1, 2)
LAST_DAY = date(2026, 11, 27)
PATIENTS_PER_ENCOUNTER = 0.2
BATCH = 500  # encounters per transaction while building (the program writes one per verb)


class Clock:
    """The store's clock while building: a second later on every call, from the last day on (the
    visits of the whole year are typed in then; the coding refuses a date of service in the future)."""

    def __init__(self) -> None:
        self.now = datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 14, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def build(db_path: Path, encounters: int, rng: random.Random) -> None:
    """Patients and encounters through the verbs, each write with its audit row."""
    from core import visit
    from core.coding import LesionGroup, LesionKind
    from core.store import EncounterRecord, Patient, open_store

    kinds = (
        LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0"),
        LesionGroup(LesionKind.BENIGN, 2, "trunk", "cryosurgery", "L82.1"),
        LesionGroup(LesionKind.SKIN_TAG, 4, "neck", "electrosurgery", "L91.8"),
    )
    days = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    with open_store(db_path, clock=Clock(), user="bench") as store:
        provider = store.default_provider()
        payers = [p for p in store.payers() if p.kind != "self_pay"]
        assert provider.id is not None
        patient_ids: list[int] = []
        with store.transaction():
            for n in range(max(1, int(encounters * PATIENTS_PER_ENCOUNTER))):
                payer = rng.choice(payers)
                saved = store.save_patient(
                    Patient(
                        f"First{n}",
                        f"Last{n % 997}",
                        date(1930 + n % 70, 1 + n % 12, 1 + n % 28),
                        payer_id=payer.id,
                        member_id=f"M{n:07d}",
                    )
                )
                assert saved.id is not None
                patient_ids.append(saved.id)

        def finalise(record: EncounterRecord) -> EncounterRecord:
            return visit.finalize_unattended(store, record, "benchmark")

        for start in range(0, encounters, BATCH):
            with store.transaction():
                for n in range(start, min(start + BATCH, encounters)):
                    day = days[n * len(days) // encounters]
                    lesions = tuple(rng.sample(kinds, rng.randint(1, 2)))
                    draft = store.save_draft(
                        EncounterRecord(rng.choice(patient_ids), provider.id, day, "11", lesions=lesions)
                    )
                    draft = store.save_draft(
                        replace(draft, lesions=(replace(lesions[0], count=5), *lesions[1:]))
                    )
                    final = finalise(draft)
                    assert final.id is not None
                    if n % 5 == 0:
                        store.mark_printed([final.id])
                    if n % 3 == 0:
                        store.record_payment(final.id, 2500)
                    if n % 50 == 0:
                        store.void_encounter(final.id, "entered twice")
                    elif n % 100 == 1:
                        finalise(store.save_draft(replace(store.reopen(final.id), em_code="99213")))


def median_s(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` in seconds over ``repeat`` runs (after one warm-up run)."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=20_000, help="encounters in the file")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="superbill-bench-") as folder:
        os.environ["SUPERBILL_DATA_DIR"] = str(Path(folder) / "userdata")  # never the real data folder
        os.environ["SUPERBILL_KEYSTORE"] = "file"  # database keys there too, never the key store
        from core.backup import verify_database
        from core.store import audit
        from core.store.data_check import verify_data

        db_path = Path(folder) / "superbill.db"
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}"
        )
        start = time.perf_counter()
        build(db_path, args.encounters, random.Random(20261127))
        from core.store.connections import connect

        conn = connect(db_path, read_only=True)
        log_rows = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        print(
            f"built {args.encounters:,} encounters through the verbs ({log_rows:,} audit rows) in "
            f"{time.perf_counter() - start:.0f} s (file {db_path.stat().st_size / 1e6:.0f} MB)"
        )

        try:
            check = verify_data(conn)
            assert check.ok, check.problems
            chain_s = median_s(lambda: audit.verify(conn), args.repeat)
            data_s = median_s(lambda: verify_data(conn), args.repeat)
            tracemalloc.start()
            verify_data(conn)
            peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
        finally:
            conn.close()
        start = time.perf_counter()
        report = verify_database(db_path)
        whole_s = time.perf_counter() - start
        assert report.ok, report.lines

        per_k = 1000 / args.encounters
        print(f"\nmedians over {args.repeat} runs (s)        {args.encounters:>8,} enc.   per 1,000 enc.")
        print(f"  audit chain walk (baseline)        {chain_s:10.2f}   {chain_s * per_k:10.3f}")
        print(f"  data check (replay + compare)      {data_s:10.2f}   {data_s * per_k:10.3f}")
        print(f"  ratio data check / chain walk      {data_s / chain_s:10.2f}")
        print(f"  records compared                   {check.records:10,}")
        print(f"  peak Python memory of data check   {peak_mb:10.1f} MB   {peak_mb * per_k:10.2f} MB")
        print(f"  superbill verify, whole (one run)  {whole_s:10.2f}   {whole_s * per_k:10.3f}")
        print(
            f"  data check at 250,000 encounters   ~{data_s * 250_000 / args.encounters:9.0f} s "
            "(linear estimate from this run)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
