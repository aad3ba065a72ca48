"""ICD-10-CM lookups: cost of the first lookup in a fresh process, of later lookups, and of the CLI.

Prints medians over fresh processes and ratios against ``python -c pass`` measured in the same run.
Needs only the installed project; uses a throwaway data folder (never the real one).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 7

FIRST_LOOKUP = """
import resource, time
t0 = time.perf_counter()
from core import icd10
t1 = time.perf_counter()
assert icd10.is_billable("L57.0")
t2 = time.perf_counter()
n = 10_000
for _ in range(n):
    icd10.lookup("S01.01XA")
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, (t3 - t2) / n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
BASELINE_RSS = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "SUPERBILL_DATA_DIR": folder, "SUPERBILL_KEYSTORE": "file"}
        py = sys.executable
        runs = [
            [
                float(x)
                for x in subprocess.run(
                    [py, "-c", FIRST_LOOKUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
                ).stdout.split()
            ]
            for _ in range(REPEAT)
        ]
        base_rss = float(subprocess.run([py, "-c", BASELINE_RSS], capture_output=True, text=True).stdout)
        baseline = statistics.median(wall([py, "-c", "pass"], env) for _ in range(REPEAT))
        cli = statistics.median(wall([py, "main.py", "icd10", "lookup", "L57.0"], env) for _ in range(REPEAT))
    imp, first, each, rss = (statistics.median(r[i] for r in runs) for i in range(4))
    print(
        f"machine: nproc={os.cpu_count()} python={sys.version.split()[0]}; "
        f"medians of {REPEAT} fresh processes"
    )
    print(f"import core.icd10:           {imp * 1000:7.1f} ms")
    print(f"first lookup (loads index):  {first * 1000:7.1f} ms")
    print(f"later lookups:               {each * 1e6:7.1f} us each")
    print(
        f"peak memory (max RSS):       {rss / 1024:7.1f} MB  (python -c pass: {base_rss / 1024:.1f} MB,"
        f" ratio {rss / base_rss:.1f}x)"
    )
    print(
        f"superbill icd10 lookup L57.0:{cli * 1000:7.1f} ms  (python -c pass: {baseline * 1000:.1f} ms,"
        f" ratio {cli / baseline:.1f}x)"
    )


if __name__ == "__main__":
    main()
