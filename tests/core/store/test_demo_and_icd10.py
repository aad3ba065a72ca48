"""Demo data removal and the ICD-10-CM search index."""

from __future__ import annotations

from datetime import date

import pytest

from core.coding.model import LesionGroup, LesionKind
from core.store import EncounterRecord, Patient, Store


def test_remove_demo_data_keeps_real_patients_and_the_practice(store: Store) -> None:
    demo = store.patient_by_chart_number("DEMO-1")
    assert demo is not None and demo.is_demo and demo.id is not None
    provider = store.default_provider()
    assert provider.id is not None
    store.save_draft(
        EncounterRecord(
            demo.id,
            provider.id,
            date(2026, 11, 27),
            lesions=(LesionGroup(LesionKind.BENIGN, 1, "arm", "laser", "L82.1"),),
        )
    )
    real = store.save_patient(Patient("Ada", "Lovelace", date(1950, 12, 10)))
    assert store.remove_demo_data() == (5, 1)
    assert store.search_patients("demo") == []
    assert store.get_patient(real.id or 0) == real
    assert store.drafts() == []
    assert store.conn.execute("SELECT count(*) FROM lesion_groups").fetchone()[0] == 0
    assert (
        store.practice().name
        and store.providers()
        and store.payers()
        and store.fee_schedule(date(2026, 11, 27))
    )
    assert store.remove_demo_data() == (0, 0)
    assert store.audit_entries("demo_data")[-1].action == "remove"
    assert store.verify_audit().ok


def test_icd10_index_is_built_once_per_release(empty_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from core import icd10

    store = empty_store
    assert store.search_icd10("") == []
    assert store.ensure_icd10_index() is True
    assert store.ensure_icd10_index() is False
    hits = store.search_icd10("l57")
    assert hits[0].code == "L57.0" and hits[0].billable
    assert store.search_icd10("L57.0")[0].description == "Actinic keratosis"
    assert [h.code for h in store.search_icd10("actinic kerat")] == ["L57.0"]
    words = store.search_icd10("basal cell nose", limit=5)
    assert "C44.311" in [h.code for h in words]
    assert len(store.search_icd10("skin", limit=7)) == 7
    assert store.search_icd10("qqqqzzz") == []
    assert store.search_icd10('"; DROP TABLE patients; --') == []

    monkeypatch.setattr(icd10, "release", lambda: "a newer release")
    monkeypatch.setattr(
        icd10, "all_codes", lambda: iter([icd10.Icd10Code("Z99.9", "Test code for a new release", True)])
    )
    assert [h.code for h in store.search_icd10("test code")] == ["Z99.9"]
    assert store.search_icd10("l57") == []
