"""The practice's database: the only package that touches SQLite.

    from core.store import open_store
    with open_store(path) as store:
        patient = store.save_patient(Patient(...))

``open_store`` checks the file before writing anything, applies the schema migrations and seeds a new
file with the demo practice; ``Store`` has the domain verbs; ``core.store.records`` the records.

The names below are imported at their first use (PEP 562): importing one module of the package
(``core.store.keys`` to find a key, ``core.store.opening`` to check a file before the window shows)
does not build every record class and verb of the store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

#: where the names that are not records live (every other name of ``__all__`` is in core.store.records)
_HOMES: dict[str, str] = {
    "open_store": "core.store.opening",
    "SCHEMA_VERSION": "core.store.schema",
    "check_schema": "core.store.schema",
    "Store": "core.store.store",
}

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


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES.get(name, "core.store.records")), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
