"""The window, two imports and backups at the same moment, each in its own process, on one file.

This is how a practice really uses the program: the window stays open all day while an import of the
morning's visits and a backup to a USB stick run beside it. Every process must finish without a single
failed write, every write it reported must be in the file, and the file must pass SQLite's integrity
check and the audit log's hash chain. (Before the fix: "database is locked" on the first overlap, and a
corrupted file after the start-up backup dropped the window's locks.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.backup import check_database_file
from core.store import EncounterStatus
from tests.signing_in import open_signed_in

ROOT = Path(__file__).resolve().parents[2]
WINDOW = Path(__file__).with_name("concurrent_window.py")
DRAFTS = 60
IMPORTED = 40


def _day(prefix: str) -> dict[str, Any]:
    return {
        "encounters": [
            {
                "patient": {
                    "chart_number": f"{prefix}{n:04d}",
                    "first_name": f"Imp{prefix}",
                    "last_name": f"Patient{n}",
                    "date_of_birth": "1950-12-10",
                    "sex": "F",
                    "payer": "medicare",
                    "member_id": "1EG4TE5MK73",
                },
                "provider_npi": "1234567893",
                "date_of_service": "2026-11-20",
                "place_of_service": "11",
                "em_code": None,
                "lesions": [
                    {
                        "kind": "premalignant",
                        "count": 1 + n % 14,
                        "site": "face",
                        "method": "cryosurgery",
                        "diagnosis": "L57.0",
                    }
                ],
            }
            for n in range(IMPORTED)
        ]
    }


def _start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.slow
def test_window_saves_two_imports_and_backups_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    open_signed_in(db).close()  # the demo practice, as on a first start
    days = []
    for prefix in ("A", "B"):
        day = tmp_path / f"day-{prefix}.json"
        day.write_text(json.dumps(_day(prefix)), encoding="utf-8")
        days.append(day)

    window = _start(str(WINDOW), str(db), str(DRAFTS))
    assert window.stdout is not None and window.stdout.readline().strip() == "ready"
    others = [_start("main.py", "--db", str(db), "import", str(day)) for day in days]
    others += [_start("main.py", "--db", str(db), "backup", str(tmp_path / f"usb-{n}.db")) for n in range(3)]

    window_out, window_err = window.communicate(timeout=300)
    assert window.returncode == 0, window_err
    promises = window_out.splitlines()
    outputs = [p.communicate(timeout=300) for p in others]
    for process, (_out, err) in zip(others, outputs, strict=True):
        assert process.returncode == 0, f"{process.args}: {err}"

    drafts = {int(w[1]): int(w[2]) for w in (line.split() for line in promises) if w[0] == "draft"}
    finals = {int(w[1]) for w in (line.split() for line in promises) if w[0] == "final"}
    assert len(drafts) == DRAFTS and len(finals) == (DRAFTS + 3) // 4
    with open_signed_in(db, seed_demo=False) as store:
        assert store.integrity_problems() == []
        assert store.verify_audit().ok
        for encounter_id, count in drafts.items():
            stored = store.get_encounter(encounter_id)
            assert stored.lesions[0].count == count
            assert (stored.status is EncounterStatus.FINAL) == (encounter_id in finals)
        for prefix in ("A", "B"):
            assert len(store.search_patients(f"Imp{prefix}", limit=500)) == IMPORTED
        imported = [json.loads(out)["imported"] for out, _ in outputs[:2]]
        assert imported == [IMPORTED, IMPORTED]
        documents = [e.document_number for e in store.encounters_between(*_range()) if e.document_number]
        assert len(documents) == len(set(documents))  # unique under concurrent writers
        numbers = sorted(int(d.removeprefix("SB-")) for d in documents)
        assert numbers == list(range(1, len(numbers) + 1))  # and gapless
    for n in range(3):
        check_database_file(tmp_path / f"usb-{n}.db")
    check_database_file(tmp_path / "daily" / "superbill-2026-12-01.db")


def _range() -> tuple[Any, Any]:
    from datetime import date

    return date(2000, 1, 1), date(2100, 1, 1)
