"""``superbill code``: JSON in, one JSON object out, exit 0/2 (1 only for bugs), as docs/cli.md says."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import main
from core.commands import code as code_command

ROOT = Path(__file__).resolve().parents[3]

ENCOUNTER: dict[str, Any] = {
    "date_of_service": "2026-11-20",
    "place_of_service": "11",
    "payer": "medicare",
    "em_code": "99213",
    "lesions": [
        {"kind": "premalignant", "count": 12, "site": "face", "method": "cryosurgery", "diagnosis": "L57.0"},
    ],
}


def write(tmp_path: Path, data: object, name: str = "encounter.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    status = main.main(["code", *argv])
    captured = capsys.readouterr()
    return status, json.loads(captured.out), captured.err


def test_codes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(write(tmp_path, ENCOUNTER)))
    assert status == 0 and err == ""
    assert [(line["cpt"], line["units"], line["modifiers"]) for line in out["lines"]] == [
        ("99213", 1, ["25"]),
        ("17000", 1, []),
        ("17003", 11, []),
    ]
    assert out["lines"][2]["diagnosis_pointers"] == ["A"]
    assert out["lines"][2]["description"] == "Destroy premalignant lesions, 2nd-14th, each"
    assert out["diagnoses"] == ["L57.0"]
    assert [m["rule"] for m in out["messages"]] == ["EM_SAME_DAY"]
    assert out["messages"][0]["field"] == "em_code" and out["messages"][0]["severity"] == "warning"


def test_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(ENCOUNTER).encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out, _ = run(capsys, "-")
    assert status == 0 and out["lines"][1]["cpt"] == "17000"


def test_a_byte_order_mark_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(ENCOUNTER).encode("utf-8"))
    status, _, _ = run(capsys, str(path))
    assert status == 0


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"date_of_service": ', "not valid JSON (line 1"),
        ("", "empty"),
        ('{"place_of_service": NaN}', "NaN"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"lesions": ' + "9" * 5000 + "}", "number too long"),
        ('{"lesions": ' + "9" * 31 + "}", "number too long"),  # far below Python's own 4300 digits
        ('{"lesions": 1e999}', "too large"),  # Python would read it as infinity
        ('{"lesions": ' + "[" * 25 + "]" * 25 + "}", "nested too deeply"),  # far below a RecursionError
        ('{"date_of_service": "2026-11-20", "\\ud800": 1}', "broken character"),  # not text
    ],
)
def test_unreadable_json_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, needle: str
) -> None:
    status, out, err = run(capsys, str(write(tmp_path, content)))
    assert status == 2
    assert out["lines"] == [] and out["diagnoses"] == []
    (message,) = out["messages"]
    assert message["rule"] == "INVALID_INPUT" and message["severity"] == "error" and message["field"] is None
    assert needle in message["text"] and needle in err


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(ENCOUNTER).replace("face", "fa\u00e7e").encode("latin-1"))
    status, out, _ = run(capsys, str(path))
    assert status == 2 and "UTF-8" in out["messages"][0]["text"]


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(tmp_path / "nope.json"))
    assert status == 2 and "does not exist" in out["messages"][0]["text"] and "nope.json" in err


def test_a_folder_is_not_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, str(tmp_path))
    assert status == 2 and "folder" in out["messages"][0]["text"]


def test_bad_fields_are_exit_2_with_every_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(json.dumps(ENCOUNTER))
    data["lesions"][0]["count"] = "12"
    data["place_of_service"] = "99x"
    status, out, err = run(capsys, str(write(tmp_path, data)))
    assert status == 2 and out["lines"] == []
    assert [(m["rule"], m["field"]) for m in out["messages"]] == [
        ("INVALID_POS", "place_of_service"),
        ("INVALID_COUNT", "lesions[0].count"),
    ]
    assert "lesions[0].count" in err


def test_future_date_uses_todays_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dict(ENCOUNTER, date_of_service="2999-01-01")
    status, out, _ = run(capsys, str(write(tmp_path, data)))
    assert status == 2 and out["messages"][0]["rule"] == "INVALID_DATE"


def test_nothing_to_bill(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dict(ENCOUNTER, lesions=[], em_code=None)
    status, out, _ = run(capsys, str(write(tmp_path, data)))
    assert status == 2 and out["messages"][0]["rule"] == "NOTHING_TO_BILL"


def test_output_is_utf8_json(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    status = main.main(["code", str(write(tmp_path, ENCOUNTER))])
    raw = capsysbinary.readouterr().out
    assert status == 0
    assert "×".encode() in raw  # the "why" sentence, written as UTF-8, not \u escapes
    assert json.loads(raw.decode("utf-8"))["diagnoses"] == ["L57.0"]


def test_benchmark_without_the_reimbursement_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "core.coding.reimbursement", None)  # import fails as if absent
    status, out, err = run(capsys, str(write(tmp_path, ENCOUNTER)), "--benchmark")
    assert status == 2 and out["lines"] == []
    assert out["messages"][0]["rule"] == "BENCHMARK_UNAVAILABLE" and "--benchmark" in err


def test_benchmark_with_the_reimbursement_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("core.coding.reimbursement")
    seen: list[Any] = []

    def benchmark_json(encounter: Any, result: Any) -> dict[str, Any]:
        seen.append((encounter, result))
        return {"total_cents": 13632, "lines": len(result.lines)}

    fake.benchmark_json = benchmark_json  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "core.coding.reimbursement", fake)
    status, out, _ = run(capsys, str(write(tmp_path, ENCOUNTER)), "--benchmark")
    assert status == 0
    assert out["benchmark"] == {"total_cents": 13632, "lines": 3}
    assert seen[0][0].date_of_service == date(2026, 11, 20)


def test_a_bug_is_exit_1_with_nothing_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("core.coding.code_encounter", broken)
    status = main.main(["code", str(write(tmp_path, ENCOUNTER))])
    captured = capsys.readouterr()
    assert status == 1 and captured.out == "" and "bug" in captured.err


def test_run_uses_todays_date(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake(source: str, *, benchmark: bool, today: date) -> int:
        seen.update(source=source, benchmark=benchmark, today=today)
        return 0

    monkeypatch.setattr(code_command, "code_json", fake)
    assert main.main(["code"]) == 0
    assert seen == {"source": "-", "benchmark": False, "today": date.today()}


def test_real_subprocess(tmp_path: Path) -> None:
    path = write(tmp_path, ENCOUNTER)
    done = subprocess.run(
        [sys.executable, "main.py", "code", str(path)], cwd=ROOT, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.decode("utf-8"))
    assert [line["cpt"] for line in out["lines"]] == ["99213", "17000", "17003"]
    assert done.stderr == b""
    rejected = subprocess.run(
        [sys.executable, "main.py", "code", "-"],
        cwd=ROOT,
        input=b"{",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert rejected.returncode == 2
    assert json.loads(rejected.stdout)["messages"][0]["rule"] == "INVALID_INPUT"


@pytest.mark.parametrize(
    ("lesion", "rule", "field"),
    [
        ({"count": 1001}, "IMPLAUSIBLE_COUNT", "lesions[0].count"),
        ({"count": 10**12}, "IMPLAUSIBLE_COUNT", "lesions[0].count"),
        (
            {"kind": "malignant", "site": "nose", "diagnosis": "C44.311", "diameter_cm": 250.0},
            "IMPLAUSIBLE_MEASUREMENT",
            "lesions[0].diameter_cm",
        ),
    ],
)
def test_implausible_numbers_keep_the_contract_rules_meaning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lesion: dict[str, Any], rule: str, field: str
) -> None:
    """INVALID_COUNT/MISSING_MEASUREMENT mean only 'not a whole number >= 1' / 'missing or <= 0' (contract);
    our typing-mistake bounds refuse with rules of our own."""
    data = json.loads(json.dumps(ENCOUNTER))
    data["lesions"][0].update(lesion)
    status, out, _ = run(capsys, str(write(tmp_path, data)))
    assert status == 2 and out["lines"] == []
    assert [(m["severity"], m["rule"], m["field"]) for m in out["messages"]] == [("error", rule, field)]


def test_decision_for_surgery_is_an_optional_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vascular = {"kind": "vascular", "count": 1, "site": "face", "method": "laser", "diagnosis": "I78.1"}
    data = {**ENCOUNTER, "lesions": [{**vascular, "area_sq_cm": 12.0}]}
    status, out, _err = run(capsys, str(write(tmp_path, data)))
    assert status == 0 and out["lines"][0]["modifiers"] == ["25"]
    assert "57 instead of 25" in out["messages"][0]["text"]
    status, out, _err = run(capsys, str(write(tmp_path, {**data, "decision_for_surgery": True})))
    assert status == 0 and out["lines"][0]["modifiers"] == ["57"]
    assert "EM_DECISION_FOR_SURGERY" in [m["rule"] for m in out["messages"]]
    status, out, _err = run(capsys, str(write(tmp_path, {**data, "decision_for_surgery": 1})))
    assert status == 2 and out["messages"][0]["field"] == "decision_for_surgery"
