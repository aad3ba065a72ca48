"""How long one `superbill code` call takes on the documented 12-AK encounter, against `python -c pass`.

Run: ``python benchmarks/bench_code.py [RUNS]``. Runs ``python main.py code FILE`` (FILE: the input
example of docs/cli.md) and ``python -c pass`` RUNS times each (default 15) as subprocesses, and prints
both medians, their ratio and the goal of issue 14 (at most 3x), then the same for CPU time (user + system
of the child process: steadier than wall time on a shared machine). A warm-up run of each comes first, and
``PYTHONDONTWRITEBYTECODE`` is dropped for the subprocesses so the figures include no compilation (an
installed program has its bytecode). Uses a throwaway data folder, never the real one.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 3.0


def documented_encounter() -> str:
    """The input example of docs/cli.md (the first JSON block: 12 actinic keratoses and four more groups)."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    block = text.split("```json\n", 1)[1].split("```", 1)[0]
    json.loads(block)  # fail early if the documentation changed shape
    return block


def timed(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``command`` in seconds, after one
    warm-up run."""
    walls, cpus = [], []
    for attempt in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{command} failed with {done.returncode}: {done.stderr.decode()}")
        if attempt:
            walls.append(elapsed)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory(prefix="bench-code-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["SUPERBILL_DATA_DIR"] = str(Path(folder) / "data")
        env["SUPERBILL_KEYSTORE"] = "file"
        path = Path(folder) / "encounter.json"
        path.write_text(documented_encounter(), encoding="utf-8")
        baseline, baseline_cpu = timed([sys.executable, "-c", "pass"], env, runs)
        one_call, one_call_cpu = timed([sys.executable, "main.py", "code", str(path)], env, runs)
    ratio = one_call / baseline
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load average after the runs (1, 5, 15 min): {load}")
    print(f"python -c pass: {baseline * 1000:.0f} ms (median of {runs})")
    print(f"python main.py code FILE (docs/cli.md example): {one_call * 1000:.0f} ms (median of {runs})")
    verdict = "met" if ratio <= GOAL else "not met"
    print(f"ratio code call / python -c pass: {ratio:.1f}x (goal: <= {GOAL:.0f}x, {verdict})")
    print(
        f"CPU time: {one_call_cpu * 1000:.0f} ms against {baseline_cpu * 1000:.0f} ms, "
        f"{one_call_cpu / baseline_cpu:.1f}x (for information: the goal is the wall-time ratio)"
    )


if __name__ == "__main__":
    main()
