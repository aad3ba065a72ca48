"""Verbs for the fee schedule (fees with effective dates) and the declared business settings."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date

from core.accounts import Action
from core.errors import InputError
from core.store import rows
from core.store.records import (
    FeeEntry,
)
from core.store.settings import SettingValue, check_value, declared
from core.store.verbs.base import StoreBase, requires

_CPT = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")


class SettingsFeesVerbs(StoreBase):
    """Fees by code and date; settings with declared defaults (``core.store.settings``)."""

    # -- fees -------------------------------------------------------------------------------------

    @requires(Action.READ_PRACTICE)
    def fee_for(self, cpt: str, on: date) -> int | None:
        """The practice's fee in cents for one unit of ``cpt`` on the day ``on``, or ``None``."""
        row = self._one(
            "SELECT unit_fee_cents FROM fee_schedule WHERE cpt = ? AND effective_from <= ? "
            "ORDER BY effective_from DESC LIMIT 1",
            [cpt.strip().upper(), on.isoformat()],
        )
        return None if row is None else int(row["unit_fee_cents"])

    @requires(Action.READ_PRACTICE)
    def fee_schedule(self, on: date) -> list[FeeEntry]:
        """Every code's fee in force on ``on``, by code (the schedule holds a few hundred rows at most)."""
        every = rows.fee_entries(list(self._query("SELECT * FROM fee_schedule")))
        return [
            e for e in every if e.effective_from <= on and (e.effective_to is None or on <= e.effective_to)
        ]

    @requires(Action.READ_PRACTICE)
    def fee_history_of(self, cpts: Sequence[str]) -> list[FeeEntry]:
        """Every fee ever set for these codes, by code then date, with each entry's last day."""
        if not cpts:
            return []
        marks = ", ".join("?" * len(cpts))
        return rows.fee_entries(
            list(self._query(f"SELECT * FROM fee_schedule WHERE cpt IN ({marks})", list(cpts)))
        )

    @requires(Action.READ_PRACTICE)
    def fee_history(self, cpt: str) -> list[FeeEntry]:
        """Every fee set for one code, oldest first."""
        return self.fee_history_of([cpt.strip().upper()])

    @requires(Action.FEES)
    def set_fee(self, cpt: str, unit_fee_cents: int, effective_from: date) -> FeeEntry:
        """Set the fee for one unit of ``cpt`` from ``effective_from`` on (replacing a fee set for that
        same day). Earlier days keep their fee, and finalised encounters never change.
        """
        code = cpt.strip().upper()
        if not _CPT.match(code):
            raise InputError(
                f"Code: “{cpt}” is not a CPT or HCPCS code (5 characters, e.g. 17000).", field="cpt"
            )
        if not isinstance(unit_fee_cents, int) or isinstance(unit_fee_cents, bool) or unit_fee_cents < 0:
            raise InputError(
                "Fee: type an amount of zero or more, for example 150.00.", field="unit_fee_cents"
            )
        if not isinstance(effective_from, date):
            raise InputError("Effective from: type the first day the fee applies.", field="effective_from")
        with self.transaction():
            old = self._one(
                "SELECT unit_fee_cents FROM fee_schedule WHERE cpt = ? AND effective_from = ?",
                [code, effective_from.isoformat()],
            )
            self.conn.execute(
                "INSERT INTO fee_schedule (cpt, unit_fee_cents, effective_from) VALUES (?, ?, ?) "
                "ON CONFLICT (cpt, effective_from) DO UPDATE SET unit_fee_cents = excluded.unit_fee_cents",
                [code, unit_fee_cents, effective_from.isoformat()],
            )
            key = f"{code}@{effective_from.isoformat()}"
            self._audit(
                "fee",
                key,
                "create" if old is None else "update",
                None if old is None else {"unit_fee_cents": old["unit_fee_cents"]},
                {"cpt": code, "unit_fee_cents": unit_fee_cents, "effective_from": effective_from.isoformat()},
            )
        return next(e for e in self.fee_history(code) if e.effective_from == effective_from)

    # -- settings ---------------------------------------------------------------------------------

    @requires(Action.READ_PRACTICE)
    def setting(self, name: str) -> SettingValue:
        """A setting's value: the user's if one was saved, else the declared default."""
        spec = declared(name)
        row = self._one("SELECT value FROM settings WHERE name = ?", [name])
        if row is None:
            return spec.default
        value: SettingValue = json.loads(row["value"])
        return value

    @requires(Action.PRACTICE_SETTINGS)
    def set_setting(self, name: str, value: object) -> SettingValue:
        """Save a user's value for a declared setting (checked and converted to its type)."""
        spec = declared(name)
        checked = check_value(spec, value)
        with self.transaction():
            old = self._one("SELECT value FROM settings WHERE name = ?", [name])
            self.conn.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [name, json.dumps(checked)],
            )
            self._audit("setting", name, "update", None if old is None else json.loads(old["value"]), checked)
        return checked
