"""Crash safety: a writer killed with SIGKILL at random moments never loses a write it reported as saved.

The writer (``crash_writer.py``) saves patients, drafts and finalisations through the store and prints
each one after the store's call returns. Each round kills it at a random moment — usually in the middle
of its writing loop, sometimes while it is still opening the database — and the test then holds the
database to every printed promise: the row is there, with its lesions; the file passes SQLite's
integrity check; and the audit log's hash chain is unbroken.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.store import EncounterStatus
from tests.core.crash_writer import lesion_json
from tests.signing_in import open_signed_in

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 30
SEED = 20261127


def _writer(db: Path, seed: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(seed)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL does not exist on Windows")
def test_every_reported_write_survives_being_killed(tmp_path: Path) -> None:
    db = tmp_path / "superbill.db"
    open_signed_in(db).close()
    rng = random.Random(SEED)
    drafts: dict[int, str] = {}
    finals: set[int] = set()
    patients: set[int] = set()
    killed_mid_loop = 0

    for round_ in range(KILLS):
        proc = _writer(db, round_)
        assert proc.stdout is not None
        if round_ % 6 == 5:  # now and then, kill it while it may still be opening the database
            time.sleep(rng.uniform(0.0, 0.6))
        else:
            first = proc.stdout.readline()
            assert first == b"ready\n", proc.communicate()[1].decode(errors="replace")
            time.sleep(rng.uniform(0.0, 0.3))
            killed_mid_loop += 1
        proc.kill()
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")
        for line in out.decode().split("\n")[:-1]:  # a line cut off by the kill is no promise
            what, _, rest = line.partition(" ")
            if what == "patient":
                patients.add(int(rest))
            elif what == "draft":
                number, _, lesions = rest.partition(" ")
                drafts[int(number)] = lesions
            elif what == "final":
                finals.add(int(rest))

    assert killed_mid_loop >= KILLS * 2 // 3
    assert len(drafts) > KILLS and finals, "the writer should have saved many encounters"
    with open_signed_in(db, seed_demo=False) as store:
        assert store.integrity_problems() == []
        audit = store.verify_audit()
        assert audit.ok, audit.text
        data = store.verify_data()  # every change is in the file with its audit row, or neither
        assert data.ok, data.problems
        for patient_id in patients:
            store.get_patient(patient_id)
        for encounter_id, lesions in drafts.items():
            record = store.get_encounter(encounter_id)
            assert lesion_json(record.lesions) == lesions
            assert json.loads(lesions)  # every saved encounter had lesions
        for encounter_id in finals:
            record = store.get_encounter(encounter_id)
            assert record.status is EncounterStatus.FINAL
            assert record.lines and record.document_number
