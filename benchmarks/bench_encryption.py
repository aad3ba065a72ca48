"""What encryption at rest costs (issue 11): SQLCipher with a raw 256-bit key against plain SQLite, on the
same data, the same SQLite build (sqlcipher3 without a key writes a plain file) and the same store code.

Prints medians and ratios encrypted / plain measured in this run:

* opening: connect, apply the key (none for plain) and read the schema — the cost a raw key adds (no
  PBKDF2: the key is applied as bytes); and a whole ``open_store`` of an encrypted file;
* writing: ``Store.save_patient`` one by one (a transaction each, ``synchronous=FULL``) — saves/s;
* bulk writing: one transaction inserting many patient rows — rows/s;
* cold reading: a new connection that reads every patient row (each page decrypted once) — rows/s;
* warm reading: ``search_patients`` on an open store (pages already in the cache).

Run: ``python benchmarks/bench_encryption.py [--patients N] [--repeat N]``. Uses a temporary folder and a
key file in it (never the computer's key store or the real data folder).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _paired_ms(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Medians of each action, run in turns (encrypted, plain, encrypted, …) on a shared machine."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(found) for name, found in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--patients", type=int, default=20_000, help="patient rows for the bulk and read runs"
    )
    parser.add_argument("--saves", type=int, default=200, help="patients saved one by one through the store")
    parser.add_argument("--repeat", type=int, default=21, help="repetitions per measured operation")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="superbill-bench-crypt-") as folder:
        base = Path(folder)
        os.environ["SUPERBILL_DATA_DIR"] = str(base / "userdata")
        os.environ["SUPERBILL_KEYSTORE"] = f"file:{base / 'keys.json'}"
        from core.store import Patient, Store, connections, keys, open_store
        from core.store.demo import set_up
        from core.store.opening import prepare
        from core.store.store import utc_now

        sqlcipher = connections.sqlcipher
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"SQLCipher {sqlcipher.connect(':memory:').execute('PRAGMA cipher_version').fetchone()[0]} "
            f"(SQLite {sqlcipher.sqlite_version})"
        )
        encrypted_path = base / "encrypted.db"
        plain_path = base / "plain.db"

        def plain_store() -> Store:
            conn = sqlcipher.connect(str(plain_path), isolation_level=None)
            return Store(prepare(conn, plain_path, in_memory=False), plain_path, clock=utc_now, user="bench")

        encrypted = open_store(encrypted_path, seed_demo=True)
        plain = plain_store()
        set_up(plain, with_demo=True)
        stores = {"encrypted": encrypted, "plain": plain}

        # writing through the store, one transaction per patient
        # (in alternating blocks, so a burst of load on a shared machine falls on both alike)
        spent = dict.fromkeys(stores, 0.0)
        for block in range(10):
            for name, store in stores.items():
                start = time.perf_counter()
                for n in range(block * args.saves // 10, (block + 1) * args.saves // 10):
                    store.save_patient(Patient(f"Save{n}", f"Bench{n}", date(1950, 1, 1 + n % 28)))
                spent[name] += time.perf_counter() - start
        saves = {name: args.saves / seconds for name, seconds in spent.items()}

        # bulk rows in one transaction
        bulk: dict[str, float] = {}
        for name, store in stores.items():
            rows = [
                (
                    f"B{name[0]}{n:06d}",
                    f"First{n}",
                    f"Last{n % 997}",
                    f"first{n}",
                    f"last{n % 997}",
                    "1960-01-01",
                )
                for n in range(args.patients)
            ]
            start = time.perf_counter()
            store.conn.execute("BEGIN IMMEDIATE")
            store.conn.executemany(
                "INSERT INTO patients (chart_number, first_name, last_name, first_norm, last_norm, "
                "date_of_birth) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            store.conn.execute("COMMIT")
            bulk[name] = args.patients / (time.perf_counter() - start)

        # warm reads on the open store
        warm = _paired_ms(
            {name: (lambda s=store: s.search_patients("Last5")) for name, store in stores.items()},
            args.repeat,
        )
        encrypted.close()
        plain.conn.close()
        key = keys.load_key(encrypted_path)
        assert key is not None

        def open_and_read(path: Path, with_key: bool, everything: bool) -> None:
            conn = sqlcipher.connect(str(path), isolation_level=None)
            if with_key:
                connections.apply_key(conn, key)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if everything:
                conn.execute("SELECT * FROM patients").fetchall()
            conn.close()

        opening = _paired_ms(
            {
                "encrypted": lambda: open_and_read(encrypted_path, True, False),
                "plain": lambda: open_and_read(plain_path, False, False),
            },
            args.repeat,
        )
        cold = _paired_ms(
            {
                "encrypted": lambda: open_and_read(encrypted_path, True, True),
                "plain": lambda: open_and_read(plain_path, False, True),
            },
            args.repeat,
        )
        whole_open = _median_ms(lambda: open_store(encrypted_path, seed_demo=False).close(), args.repeat)

        size = {"encrypted": encrypted_path.stat().st_size, "plain": plain_path.stat().st_size}
        print(f"repeat {args.repeat}; {args.patients:,} bulk patient rows; {args.saves} saves one by one")
        print(f"{'':34}{'encrypted':>12}{'plain':>12}{'ratio':>8}")

        def line(label: str, figures: dict[str, float], unit: str) -> None:
            ratio = figures["encrypted"] / figures["plain"]
            print(
                f"{label:34}{figures['encrypted']:>10.1f}{unit:>2}{figures['plain']:>10.1f}{unit:>2}{ratio:>8.2f}"
            )

        line("open + key + read schema (ms)", opening, "")
        line("cold read of all patients (ms)", cold, "")
        line("warm search_patients (ms)", warm, "")
        line("save_patient one by one (/s)", saves, "")
        line("bulk insert in one transaction (/s)", bulk, "")
        print(f"{'file size (MB)':34}{size['encrypted'] / 1e6:>10.1f}  {size['plain'] / 1e6:>10.1f}")
        print(f"open_store of the encrypted file (whole opening, checks included): {whole_open:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
