"""Verbs for the practice (one row), its providers and the payers."""

from __future__ import annotations

import re
from dataclasses import replace

from core.accounts import Action
from core.errors import InputError, NotFoundError
from core.npi import validate_npi
from core.store import rows
from core.store.records import (
    CODING_PAYERS,
    Payer,
    PayerKind,
    Practice,
    Provider,
)
from core.store.verbs.base import requires
from core.store.verbs.settings_fees import SettingsFeesVerbs

#: a place-of-service code: two digits (11 = office)
POS_CODE = re.compile(r"^\d{2}$")
_TAX_ID = re.compile(r"^(\d{2}-\d{7}|\d{9}|\d{3}-\d{2}-\d{4})$")
_STATE = re.compile(r"^[A-Z]{2}$")
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")


class PracticeVerbs(SettingsFeesVerbs):
    """The practice, providers and payers (``default_provider`` reads a setting)."""

    # -- practice ---------------------------------------------------------------------------------

    @requires(Action.READ_PRACTICE)
    def practice(self) -> Practice:
        """The practice; an empty one (no name) until it is filled in."""
        row = self._one("SELECT * FROM practice WHERE id = 1")
        return Practice(name="") if row is None else rows.practice_from(row)

    @requires(Action.PRACTICE_SETTINGS)
    def update_practice(self, practice: Practice) -> Practice:
        """Save the practice details after checking them (``InputError`` names the field)."""
        p = replace(practice, name=" ".join(practice.name.split()), state=practice.state.strip().upper())
        if not p.name:
            raise InputError(
                "Practice name: type the practice's name as registered with its NPI.", field="name"
            )
        if p.group_npi:
            validate_npi(p.group_npi, field="group_npi")
        if p.tax_id and not _TAX_ID.match(p.tax_id.strip()):
            raise InputError(
                f"Tax ID: “{p.tax_id}” is not a tax ID; type the EIN as 12-3456789.", field="tax_id"
            )
        if not POS_CODE.match(p.default_pos):
            raise InputError(
                "Default place of service: use a two-digit code such as 11.", field="default_pos"
            )
        if p.zip and not re.match(r"^\d{5}(-\d{4})?$", p.zip.strip()):
            raise InputError(f"ZIP code: “{p.zip}” is not a ZIP code (12345 or 12345-6789).", field="zip")
        before = self.practice()
        row = {"id": 1, **rows.practice_row(p)}
        with self.transaction():
            names = ", ".join(row)
            marks = ", ".join(f":{name}" for name in row)
            updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "id")
            self.conn.execute(
                f"INSERT INTO practice ({names}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {updates}",
                row,
            )
            self._audit(
                "practice",
                1,
                "update",
                rows.as_json_value(before) if before.name else None,
                rows.as_json_value(p),
            )
        return self.practice()

    # -- providers --------------------------------------------------------------------------------

    @requires(Action.READ_PRACTICE)
    def providers(self, *, include_inactive: bool = False) -> list[Provider]:
        """The practice's providers, active ones only unless asked, by last name."""
        where = "" if include_inactive else "WHERE active = 1"
        return [
            rows.provider_from(r)
            for r in self._query(f"SELECT * FROM providers {where} ORDER BY last_name, first_name, id")
        ]

    @requires(Action.READ_PRACTICE)
    def get_provider(self, provider_id: int) -> Provider:
        """The provider with this id, or ``NotFoundError``."""
        return self._get(
            "providers", provider_id, rows.provider_from, f"There is no provider number {provider_id}."
        )

    @requires(Action.PRACTICE_SETTINGS)
    def save_provider(self, provider: Provider) -> Provider:
        """Add (``id`` None) or update a provider; checks names and the NPI's check digit."""
        p = replace(
            provider,
            first_name=" ".join(provider.first_name.split()),
            last_name=" ".join(provider.last_name.split()),
            credentials=provider.credentials.strip(),
            taxonomy=provider.taxonomy.strip().upper(),
        )
        if not p.first_name:
            raise InputError("Provider first name: type the provider's first name.", field="first_name")
        if not p.last_name:
            raise InputError("Provider last name: type the provider's last name.", field="last_name")
        p = replace(p, npi=validate_npi(p.npi, field="npi"))
        clash = self._one("SELECT id, first_name, last_name FROM providers WHERE npi = ?", [p.npi])
        if clash is not None and clash["id"] != p.id:
            raise InputError(
                f"NPI: {p.npi} already belongs to {clash['first_name']} {clash['last_name']}.", field="npi"
            )
        row = rows.record_row(p, active=int(p.active))
        with self.transaction():
            return self._save_record("providers", "provider", p, row, self.get_provider)

    @requires(Action.READ_PRACTICE)
    def default_provider(self) -> Provider:
        """The provider new encounters get: the ``default_provider_id`` setting, else the first active."""
        chosen = int(self.setting("default_provider_id"))
        if chosen:
            row = self._one("SELECT * FROM providers WHERE id = ? AND active = 1", [chosen])
            if row is not None:
                return rows.provider_from(row)
        row = self._one("SELECT * FROM providers WHERE active = 1 ORDER BY id LIMIT 1")
        if row is None:
            raise NotFoundError(
                "The practice has no active provider yet. Add the provider (name and NPI) in Settings first."
            )
        return rows.provider_from(row)

    # -- payers -----------------------------------------------------------------------------------

    @requires(Action.READ_PRACTICE)
    def payers(self) -> list[Payer]:
        """Every payer, by name."""
        return [rows.payer_from(r) for r in self._query("SELECT * FROM payers ORDER BY name COLLATE NOCASE")]

    @requires(Action.READ_PRACTICE)
    def get_payer(self, payer_id: int) -> Payer:
        """The payer with this id, or ``NotFoundError``."""
        return self._get("payers", payer_id, rows.payer_from, f"There is no payer number {payer_id}.")

    @requires(Action.PRACTICE_SETTINGS)
    def save_payer(self, payer: Payer) -> Payer:
        """Add (``id`` None) or update a payer after checking its kind, coding word and modifiers."""
        p = replace(
            payer,
            name=" ".join(payer.name.split()),
            payer_id=payer.payer_id.strip(),
            claims_address1=" ".join(payer.claims_address1.split()),
            claims_address2=" ".join(payer.claims_address2.split()),
            claims_city=" ".join(payer.claims_city.split()),
            claims_state=payer.claims_state.strip().upper(),
            claims_zip=payer.claims_zip.strip(),
        )
        if not p.name:
            raise InputError("Payer name: type the insurance plan's name.", field="name")
        if p.claims_state and not _STATE.match(p.claims_state):
            raise InputError(
                f"Claims address state: “{p.claims_state}” is not a state; use the two-letter code, "
                "for example ND.",
                field="claims_state",
            )
        if p.claims_zip and not _ZIP.match(p.claims_zip):
            raise InputError(
                f"Claims address ZIP code: “{p.claims_zip}” is not a ZIP code; type 5 digits (12345) "
                "or ZIP+4 (12345-6789).",
                field="claims_zip",
            )
        try:
            kind = PayerKind(p.kind)
        except ValueError:
            raise InputError(
                "Payer kind: choose medicare, medicaid, commercial or self_pay.", field="kind"
            ) from None
        if p.coding_payer not in CODING_PAYERS:
            raise InputError(f"Coding rules: choose one of {', '.join(CODING_PAYERS)}.", field="coding_payer")
        if p.distinct_modifier not in ("59", "XS"):
            raise InputError("Distinct-procedure modifier: choose 59 or XS.", field="distinct_modifier")
        p = replace(p, kind=kind)
        clash = self._one("SELECT id FROM payers WHERE name = ? COLLATE NOCASE", [p.name])
        if clash is not None and clash["id"] != p.id:
            raise InputError(f"Payer name: there is already a payer called {p.name}.", field="name")
        row = rows.record_row(p, kind=str(p.kind), use_modifier_51=int(p.use_modifier_51))
        with self.transaction():
            return self._save_record("payers", "payer", p, row, self.get_payer)
