"""Verbs for the first start (set-up record, emptiness) and the demo data's removal."""

from __future__ import annotations

from core.accounts import Action
from core.store.verbs.base import StoreBase, requires


class SetupVerbs(StoreBase):
    """Whether set-up finished, whether anything was entered, and the demo patients."""

    # -- set-up -----------------------------------------------------------------------------------

    def is_set_up(self) -> bool:
        """True once the first start finished (with or without demo data)."""
        return self._one("SELECT 1 FROM meta WHERE name = 'set_up_at'") is not None

    def mark_set_up(self) -> None:
        """Record that the first start finished; call inside the set-up transaction."""
        self.conn.execute(
            "INSERT INTO meta (name, value) VALUES ('set_up_at', ?) ON CONFLICT (name) DO NOTHING",
            [self.now().isoformat()],
        )

    @requires(Action.READ_PRACTICE)
    def is_empty(self) -> bool:
        """True when nothing was entered yet: no practice, provider, payer, patient or encounter."""
        return all(
            self._one(f"SELECT 1 FROM {table} LIMIT 1") is None
            for table in ("practice", "providers", "payers", "patients", "encounters")
        )

    # -- demo data --------------------------------------------------------------------------------

    @requires(Action.PRACTICE_SETTINGS)
    def remove_demo_data(self) -> tuple[int, int]:
        """Delete the demo patients and all their encounters; returns (patients, encounters) removed.

        The practice, provider, payers and fees stay (edit them into the practice's own). The audit
        log keeps a record of the removal.
        """
        with self.transaction():
            patient_ids = [
                r["id"] for r in self._query("SELECT id FROM patients WHERE is_demo = 1 ORDER BY id")
            ]
            if not patient_ids:
                return (0, 0)
            marks = ", ".join("?" * len(patient_ids))
            encounter_ids = [
                r["id"]
                for r in self._query(
                    f"SELECT id FROM encounters WHERE patient_id IN ({marks}) ORDER BY id", patient_ids
                )
            ]
            self.conn.execute(f"DELETE FROM encounters WHERE patient_id IN ({marks})", patient_ids)
            self.conn.execute(f"DELETE FROM patients WHERE id IN ({marks})", patient_ids)
            self._audit(
                "demo_data", "demo", "remove", {"patients": patient_ids, "encounters": encounter_ids}, None
            )
        return (len(patient_ids), len(encounter_ids))

    @requires(Action.READ_PRACTICE)
    def has_demo_data(self) -> bool:
        """True while demo patients are in the database."""
        return self._one("SELECT 1 FROM patients WHERE is_demo = 1 LIMIT 1") is not None
