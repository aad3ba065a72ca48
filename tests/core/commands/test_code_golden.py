"""``superbill code`` answers exactly as before issue 14's work on its speed.

``code_golden.json`` holds, for each case, the input, the arguments, and the exit status, standard output
and standard error that ``python main.py code FILE`` gave on main before the code path was made lighter
(see its ``made_by``). The output is a contract read by other programs (docs/cli.md), so it must stay
the same byte for byte; a deliberate change of a result updates the fixture in the same commit.

The second half checks what the command loads: the `code` verb must not import the window, the
database or the PDF writer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import main

ROOT = Path(__file__).resolve().parents[3]
CASES: list[dict[str, Any]] = json.loads((Path(__file__).with_name("code_golden.json")).read_text("utf-8"))[
    "cases"
]


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERBILL_")}
    env["SUPERBILL_DATA_DIR"] = str(tmp_path / "data")
    env["SUPERBILL_KEYSTORE"] = "file"
    return env


def test_the_fixture_covers_coded_and_rejected_inputs() -> None:
    assert len(CASES) >= 15
    assert {case["status"] for case in CASES} == {0, 2}
    assert any("--benchmark" in case["arguments"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_same_answer_as_before(
    case: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    monkeypatch.setenv("SUPERBILL_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "encounter.json"
    path.write_text(case["input"], encoding="utf-8")
    status = main.main(["code", str(path), *case["arguments"]])
    captured = capsysbinary.readouterr()
    assert (status, captured.out.decode("utf-8"), captured.err.decode("utf-8")) == (
        case["status"],
        case["stdout"],
        case["stderr"],
    )


@pytest.mark.parametrize(
    "name", ["docs example", "docs example, --benchmark", "rejected: many problems", "rejected: not JSON"]
)
def test_same_bytes_as_before_from_a_fresh_process(tmp_path: Path, name: str) -> None:
    """Through a real process, as bench_code.py runs it (which ends without the interpreter's
    teardown: everything written must still be there, and the exit status)."""
    case = next(case for case in CASES if case["name"] == name)
    path = tmp_path / "encounter.json"
    path.write_text(case["input"], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "main.py", "code", str(path), *case["arguments"]],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        check=False,
    )
    expected = (case["status"], case["stdout"].encode("utf-8"), case["stderr"].encode("utf-8"))
    assert (done.returncode, done.stdout, done.stderr) == expected


#: top-level packages and our modules that `superbill code` must never load
HEAVY = (
    "PySide6",
    "shiboken6",
    "gui",
    "reportlab",
    "sqlite_utils",
    "sqlite3",
    "sqlcipher3",
    "argon2",
    "keyring",
    "core.store",
    "core.pdf",
    "core.superbill",
    "core.importer",
    "core.backup",
)


@pytest.mark.parametrize("arguments", [[], ["--benchmark"]])
def test_the_code_verb_loads_nothing_heavy(tmp_path: Path, arguments: list[str]) -> None:
    path = tmp_path / "encounter.json"
    path.write_text(CASES[0]["input"], encoding="utf-8")
    script = (
        "import io, json, sys\n"
        "import main\n"
        "out, sys.stdout = sys.stdout, io.StringIO()\n"
        f"status = main.main(['code', {str(path)!r}, *{arguments!r}])\n"
        "sys.stdout = out\n"
        "import atexit\n"
        "print(json.dumps([status, sorted(sys.modules), atexit._ncallbacks()]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    status, modules, at_exit = json.loads(done.stdout.strip().splitlines()[-1])
    assert status == 0
    # main.py ends such a process without the interpreter's teardown: nothing may wait for it
    assert at_exit == 0 and "logging" not in modules
    loaded = [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert loaded == []


def test_exit_without_teardown_only_when_nothing_is_left_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.commands import common

    ended: list[int] = []
    monkeypatch.setattr(os, "_exit", ended.append)
    common.exit_without_teardown(1)  # a bug: its log is closed by the normal exit
    assert ended == []
    monkeypatch.setitem(sys.modules, "logging", sys.modules.get("logging") or types.ModuleType("logging"))
    common.exit_without_teardown(0)
    assert ended == []
    monkeypatch.delitem(sys.modules, "logging")
    common.exit_without_teardown(2)
    assert ended == [2]
