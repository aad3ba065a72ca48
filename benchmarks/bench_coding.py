"""How fast the coding engine is: encounters coded per second in-process, and one `superbill code` call.

Run: ``python benchmarks/bench_coding.py``. Prints medians and the ratio of one
``python main.py code FILE`` call to ``python -c pass`` measured in the same run. Uses a throwaway
data folder, never the real one.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7


def sample_encounters() -> list[dict[str, object]]:
    """A day's worth of varied encounters, as JSON-shaped dicts."""
    from core.coding.example import example_lesions

    scalp = {
        "kind": "premalignant",
        "count": 9,
        "site": "scalp",
        "method": "cryosurgery",
        "diagnosis": "L57.0",
    }
    kinds = [*example_lesions(), scalp]
    out = []
    for i in range(60):
        lesions = [kinds[(i + j) % len(kinds)] for j in range(1 + i % 4)]
        out.append(
            {
                "date_of_service": "2026-11-20",
                "place_of_service": "11",
                "payer": ["medicare", "aetna", "bcbs"][i % 3],
                "em_code": "99213" if i % 2 else None,
                "prior_services": [{"date_of_service": "2026-11-12", "cpt": "17000"}] if i % 5 == 0 else [],
                "lesions": lesions,
            }
        )
    return out


def in_process() -> tuple[float, float]:
    """Median encounters per second: (engine alone, JSON parse + engine + JSON out)."""
    from core.coding import code_encounter
    from core.coding.output import result_to_json
    from core.coding.parse import encounter_from_json

    today = date(2026, 11, 27)
    data = sample_encounters()
    encounters = [encounter_from_json(d, today=today)[0] for d in data]
    assert all(e is not None for e in encounters)
    for enc in encounters:  # warm-up: tables and the ICD-10-CM index load once
        code_encounter(enc)  # type: ignore[arg-type]
    engine_rates, full_rates = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(10):
            for enc in encounters:
                code_encounter(enc)  # type: ignore[arg-type]
        engine_rates.append(10 * len(encounters) / (time.perf_counter() - start))
        start = time.perf_counter()
        for _ in range(10):
            for d in data:
                enc, _ = encounter_from_json(d, today=today)
                json.dumps(result_to_json(code_encounter(enc)))  # type: ignore[arg-type]
        full_rates.append(10 * len(data) / (time.perf_counter() - start))
    return statistics.median(engine_rates), statistics.median(full_rates)


def wall(command: list[str], env: dict[str, str]) -> float:
    """Median wall time of ``command`` in seconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0,):
            raise SystemExit(f"{command} failed with {done.returncode}: {done.stderr.decode()}")
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-coding-") as folder:
        os.environ["SUPERBILL_DATA_DIR"] = str(Path(folder) / "data")
        os.environ["SUPERBILL_KEYSTORE"] = "file"  # database keys in the temporary folder
        env = dict(os.environ)
        path = Path(folder) / "encounter.json"
        path.write_text(json.dumps(sample_encounters()[3]), encoding="utf-8")
        engine, full = in_process()
        baseline = wall([sys.executable, "-c", "pass"], env)
        one_call = wall([sys.executable, "main.py", "code", str(path)], env)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"in-process engine: {engine:,.0f} encounters/s (median of {RUNS} runs)")
    print(f"in-process JSON in -> engine -> JSON out: {full:,.0f} encounters/s (median of {RUNS} runs)")
    print(f"python -c pass: {baseline * 1000:.0f} ms (median of {RUNS})")
    print(f"python main.py code FILE: {one_call * 1000:.0f} ms (median of {RUNS})")
    print(f"ratio code call / python -c pass: {one_call / baseline:.1f}x")


if __name__ == "__main__":
    main()
