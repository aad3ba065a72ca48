"""The demo practice a brand-new database starts with, read from ``resources/demo``.

Seeded once, in the same transaction that follows the first migration, only into a new file. The
demo patients carry ``is_demo``; ``Store.remove_demo_data`` deletes them and their encounters.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import Any

from core.coding import tables
from core.coding.model import LesionKind
from core.money import parse_dollars
from core.store.records import Patient, Payer, PayerKind, Practice, Provider
from core.store.store import Store


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("resources.demo").joinpath(name).read_text(encoding="utf-8")
    )
    return data


def demo_practice_data() -> dict[str, Any]:
    """``resources/demo/practice.json``: the practice, its provider and the demo patients."""
    return _read("practice.json")


def demo_fee_schedule() -> tuple[date, dict[str, int]]:
    """The demo fee schedule: its effective date and code → fee per unit in cents."""
    data = _read("fee_schedule.json")
    fees = {cpt: parse_dollars(amount, field=f"fee for {cpt}") for cpt, amount in data["fees"].items()}
    return date.fromisoformat(data["effective_from"]), fees


def seed_payers(store: Store) -> dict[str, int | None]:
    """Add the payers of the coding engine's payer table (resources/codes/payers.json) with their
    default conventions; returns engine payer word → ``Payer.id``."""
    ids: dict[str, int | None] = {}
    for row in tables.payer_table().values():
        saved = store.save_payer(
            Payer(
                name=row.name,
                kind=PayerKind(row.kind),
                coding_payer=row.id,
                use_modifier_51=row.modifier_51,
                distinct_modifier=row.distinct_modifier,
            )
        )
        ids[row.id] = saved.id
    return ids


def seed_demo(store: Store) -> None:
    """Fill an empty database with the demo practice, provider, payers, fees and patients, atomically."""
    data = demo_practice_data()
    raw = dict(data["practice"])
    raw["default_methods"] = {LesionKind(k): v for k, v in raw["default_methods"].items()}
    raw["default_diagnoses"] = {LesionKind(k): v for k, v in raw["default_diagnoses"].items()}
    with store.transaction():
        store.update_practice(Practice(**raw))
        for provider in data["providers"]:
            store.save_provider(Provider(**provider))
        payer_ids = seed_payers(store)
        effective_from, fees = demo_fee_schedule()
        for cpt, cents in sorted(fees.items()):
            store.set_fee(cpt, cents, effective_from)
        for patient in data["patients"]:
            fields = {k: v for k, v in patient.items() if k != "payer"}
            fields["date_of_birth"] = date.fromisoformat(fields["date_of_birth"])
            store.save_patient(Patient(**fields, payer_id=payer_ids[patient["payer"]], is_demo=True))


def set_up(store: Store, *, with_demo: bool) -> None:
    """Finish a new database: the demo data (when asked and the file holds no data yet), and the
    record that set-up is done, in one transaction — so demo data is added exactly once."""
    with store.transaction():
        if store.is_set_up():
            return
        with store.setting_up():
            if with_demo and store.is_empty():
                seed_demo(store)
        store.mark_set_up()
