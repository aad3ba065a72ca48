"""The practice's database: the only package that touches SQLite.

    from core.store import open_store
    with open_store(path) as store:
        patient = store.save_patient(Patient(...))

``open_store`` checks the file before writing anything, applies the schema migrations and seeds a new
file with the demo practice; ``Store`` has the domain verbs; ``core.store.records`` the records.
"""

from __future__ import annotations

from core.store.opening import open_store
from core.store.records import (
    Acknowledgement,
    AuditCheck,
    AuditEntry,
    BilledLine,
    Coverage,
    EncounterRecord,
    EncounterStatus,
    FeeEntry,
    FrozenCoverage,
    Icd10Hit,
    Patient,
    Payer,
    PayerKind,
    Practice,
    PricedLine,
    Provider,
)
from core.store.schema import SCHEMA_VERSION, check_schema
from core.store.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "Acknowledgement",
    "AuditCheck",
    "AuditEntry",
    "BilledLine",
    "Coverage",
    "EncounterRecord",
    "EncounterStatus",
    "FeeEntry",
    "FrozenCoverage",
    "Icd10Hit",
    "Patient",
    "Payer",
    "PayerKind",
    "Practice",
    "PricedLine",
    "Provider",
    "Store",
    "check_schema",
    "open_store",
]
