"""Crash-test writer: saves encounters through the store in a loop, reporting each one after its commit.

Run as ``python crash_writer.py DB SEED``. Prints ``ready`` once the store is open, then for every
committed write one line: ``patient ID``, ``draft ID LESIONS-JSON`` or ``final ID``. A line is printed
(and flushed) only after the store's call has returned, so each printed line is a promise that the
write is durable; the crash test kills this process at random moments and holds the store to it.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

from core import visit
from core.coding import LesionGroup, LesionKind
from core.store import EncounterRecord, Patient
from tests.signing_in import open_signed_in

KINDS = (
    (LesionKind.PREMALIGNANT, "face", "cryosurgery", "L57.0"),
    (LesionKind.BENIGN, "trunk", "cryosurgery", "L82.1"),
    (LesionKind.SKIN_TAG, "neck", "electrosurgery", "L91.8"),
)


def lesion_json(groups: tuple[LesionGroup, ...]) -> str:
    """The lesions as compact JSON, the way the test compares them."""
    return json.dumps([{**asdict(g), "kind": str(g.kind)} for g in groups], separators=(",", ":"))


def main(db: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = open_signed_in(db, seed_demo=False)
    provider = store.default_provider()
    medicare = next(p for p in store.payers() if p.coding_payer == "medicare")
    assert provider.id is not None
    print("ready", flush=True)
    patient = None
    for n in range(1_000_000):
        if patient is None or n % 4 == 0:
            patient = store.save_patient(
                Patient(
                    first_name=f"Crash{seed}",
                    last_name=f"Test{n}",
                    date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(20_000)),
                    payer_id=medicare.id,
                    member_id=f"1EG4TE5MK{n % 100:02d}",
                )
            )
            print(f"patient {patient.id}", flush=True)
        assert patient.id is not None
        groups = tuple(
            LesionGroup(kind, rng.randint(1, 12), site, method, diagnosis)
            for kind, site, method, diagnosis in rng.sample(KINDS, rng.randint(1, 3))
        )
        record = store.save_draft(
            EncounterRecord(
                patient_id=patient.id,
                provider_id=provider.id,
                date_of_service=date(2026, 11, 2) + timedelta(days=rng.randrange(20)),
                lesions=groups,
            )
        )
        print(f"draft {record.id} {lesion_json(groups)}", flush=True)
        if rng.random() < 0.5:
            coded = visit.code_stored(store, record)
            if not coded.has_errors:
                assert record.id is not None
                visit.finalize(store, record, coded, dict.fromkeys(visit.check_final(coded).warnings, ""))
                print(f"final {record.id}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
