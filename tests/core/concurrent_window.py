"""Stand-in for the front-desk window in the multi-process test: what the window does to the file.

Run as ``python concurrent_window.py DB COUNT``. Opens the store as the window does, takes the daily
backup on a background thread (as the window does at start-up: the step that used to drop the window's
locks), and saves a draft on every "edit" — ``COUNT`` drafts, each edited a few times, every fourth one
finalised. After each committed write it prints one line (``draft ID COUNT`` / ``final ID``), a promise
the test holds the database to. Exits 0 only when every write went through.
"""

from __future__ import annotations

import sys
import threading
from datetime import date
from pathlib import Path

from core import visit
from core.backup import run_daily_backup
from core.coding import LesionGroup, LesionKind
from core.store import EncounterRecord
from tests.signing_in import open_signed_in


def main(db: Path, count: int) -> int:
    store = open_signed_in(db, seed_demo=False, program="Superbill Desk window")
    backup_dir = db.parent / "daily"
    backup = threading.Thread(
        target=run_daily_backup, args=(db, backup_dir, date(2026, 12, 1)), kwargs={"keep_days": 14}
    )
    backup.start()
    provider = store.default_provider()
    patient = store.search_patients("Sample")[0]
    assert provider.id is not None and patient.id is not None
    print("ready", flush=True)
    for n in range(count):
        record = EncounterRecord(
            patient_id=patient.id,
            provider_id=provider.id,
            date_of_service=date(2026, 11, 30),
            place_of_service="11",
        )
        for lesions in (1, 2, 3 + n % 10):  # typing: the draft is saved on every edit
            group = LesionGroup(LesionKind.PREMALIGNANT, lesions, "face", "cryosurgery", "L57.0")
            record = store.save_draft(EncounterRecord(**{**record.__dict__, "lesions": (group,)}))
            print(f"draft {record.id} {lesions}", flush=True)
        if n % 4 == 0:
            assert record.id is not None
            visit.finalize_unattended(store, record, "saved as final by the test's window")
            print(f"final {record.id}", flush=True)
    backup.join()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
