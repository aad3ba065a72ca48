"""``Store``: the one object that reads and writes the practice's SQLite database.

Every write verb runs in one transaction together with its audit-log row, so a crash leaves either
the whole change or none of it. The file is opened in write-ahead-log mode with ``synchronous=FULL``:
once a verb returns, its change survives a crash or a power cut. Domain verbs go in, frozen
dataclasses (``core.store.records``) come out; nothing else in the program runs SQL on this file.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.coding.model import CodingResult, Encounter, PriorService, Severity
from core.coding.settings import CodingSettings
from core.errors import InputError, NotFoundError, StoreError
from core.npi import validate_npi
from core.store import audit, icd10_search, patient_search, rows
from core.store.patients import (
    checked_patient,
    dates_look_alike,
    names_look_alike,
    normalise_name,
)
from core.store.records import (
    CODING_PAYERS,
    AuditCheck,
    AuditEntry,
    BilledLine,
    EncounterRecord,
    EncounterStatus,
    FeeEntry,
    Icd10Hit,
    Patient,
    Payer,
    PayerKind,
    Practice,
    Provider,
)
from core.store.settings import SettingValue, check_value, declared

Clock = Callable[[], datetime]

_CPT = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")
_POS = re.compile(r"^\d{2}$")
_TAX_ID = re.compile(r"^(\d{2}-\d{7}|\d{9}|\d{3}-\d{2}-\d{4})$")
#: the first chart number handed out by ``next_chart_number`` in an empty practice
FIRST_CHART_NUMBER = 1001
#: how far back ``prior_services`` looks: longer than the longest global period (90 days)
PRIOR_SERVICE_DAYS = 120


def utc_now() -> datetime:
    """The default clock: the current time in UTC."""
    return datetime.now(UTC)


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getuser raises various errors when no user name is set (services, containers)
        return "unknown"


def _us_date(day: date) -> str:
    return f"{day:%m/%d/%Y}"


def _same_draft(stored: EncounterRecord, edited: EncounterRecord) -> bool:
    """True when saving ``edited`` over ``stored`` would change nothing a draft keeps."""
    return (
        stored.patient_id,
        stored.provider_id,
        stored.date_of_service,
        stored.place_of_service,
        stored.em_code,
        stored.lesions,
        stored.messages,
    ) == (
        edited.patient_id,
        edited.provider_id,
        edited.date_of_service,
        edited.place_of_service,
        edited.em_code or None,
        tuple(edited.lesions),
        tuple(edited.messages),
    )


class Store:
    """The practice's database. Make one with ``core.store.open_store``; close it (or use ``with``).

    ``clock`` returns the current UTC time (tests pass a fixed one); ``user`` is the name written
    into the audit log (default: the operating-system user). Use a store from the thread that
    opened it.
    """

    def __init__(self, db: Database, path: Path | None, *, clock: Clock, user: str) -> None:
        self.db = db
        self.path = path
        self._clock = clock
        self.user = user
        patient_search.register(db.conn)

    # -- life cycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file; everything saved is already on disk."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group several verbs into one transaction: all of them are stored, or none (nests safely)."""
        with self.db.atomic():
            yield self

    def now(self) -> datetime:
        """The store's clock, in UTC."""
        value = self._clock()
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    def today(self) -> date:
        """Today's date at the front desk (the clock converted to the computer's time zone)."""
        return self.now().astimezone().date()

    def _audit(
        self, entity: str, entity_id: object, action: str, before: Any = None, after: Any = None
    ) -> None:
        """Append the audit row of a write (inside its transaction). For an update of a record only
        the fields that changed are kept, before and after, so drafts saved on every edit do not
        fill the log with copies of unchanged lesions."""
        if isinstance(before, dict) and isinstance(after, dict):
            before, after = audit.changed_fields(before, after)
        audit.append(
            self.conn,
            at=self.now(),
            who=self.user,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
        )

    def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._query(sql, params).fetchone()
        return row

    def _query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params)

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        cursor = self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update(self, table: str, row_id: int, row: dict[str, Any]) -> None:
        assignments = ", ".join(f"{name} = :{name}" for name in row)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = :_id", {**row, "_id": row_id})

    # -- practice ---------------------------------------------------------------------------------

    def practice(self) -> Practice:
        """The practice; an empty one (no name) until it is filled in."""
        row = self._one("SELECT * FROM practice WHERE id = 1")
        return Practice(name="") if row is None else rows.practice_from(row)

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
        if not _POS.match(p.default_pos):
            raise InputError(
                "Default place of service: use a two-digit code such as 11.", field="default_pos"
            )
        if p.zip and not re.match(r"^\d{5}(-\d{4})?$", p.zip.strip()):
            raise InputError(f"ZIP code: “{p.zip}” is not a ZIP code (12345 or 12345-6789).", field="zip")
        before = self.practice()
        row = {"id": 1, **rows.practice_row(p)}
        with self.db.atomic():
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

    def providers(self, *, include_inactive: bool = False) -> list[Provider]:
        """The practice's providers, active ones only unless asked, by last name."""
        where = "" if include_inactive else "WHERE active = 1"
        return [
            rows.provider_from(r)
            for r in self._query(f"SELECT * FROM providers {where} ORDER BY last_name, first_name, id")
        ]

    def get_provider(self, provider_id: int) -> Provider:
        """The provider with this id, or ``NotFoundError``."""
        row = self._one("SELECT * FROM providers WHERE id = ?", [provider_id])
        if row is None:
            raise NotFoundError(f"There is no provider number {provider_id}.")
        return rows.provider_from(row)

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
        row = {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "credentials": p.credentials,
            "npi": p.npi,
            "taxonomy": p.taxonomy,
            "active": int(p.active),
        }
        with self.db.atomic():
            if p.id is None:
                new_id = self._insert("providers", row)
                saved = replace(p, id=new_id)
                self._audit("provider", new_id, "create", None, rows.as_json_value(saved))
            else:
                before = self.get_provider(p.id)
                self._update("providers", p.id, row)
                saved = p
                self._audit("provider", p.id, "update", rows.as_json_value(before), rows.as_json_value(saved))
        return saved

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

    def payers(self) -> list[Payer]:
        """Every payer, by name."""
        return [rows.payer_from(r) for r in self._query("SELECT * FROM payers ORDER BY name COLLATE NOCASE")]

    def get_payer(self, payer_id: int) -> Payer:
        """The payer with this id, or ``NotFoundError``."""
        row = self._one("SELECT * FROM payers WHERE id = ?", [payer_id])
        if row is None:
            raise NotFoundError(f"There is no payer number {payer_id}.")
        return rows.payer_from(row)

    def save_payer(self, payer: Payer) -> Payer:
        """Add (``id`` None) or update a payer after checking its kind, coding word and modifiers."""
        p = replace(payer, name=" ".join(payer.name.split()), payer_id=payer.payer_id.strip())
        if not p.name:
            raise InputError("Payer name: type the insurance plan's name.", field="name")
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
        row = {
            "name": p.name,
            "kind": str(p.kind),
            "payer_id": p.payer_id,
            "coding_payer": p.coding_payer,
            "use_modifier_51": int(p.use_modifier_51),
            "distinct_modifier": p.distinct_modifier,
        }
        with self.db.atomic():
            if p.id is None:
                saved = replace(p, id=self._insert("payers", row))
                self._audit("payer", saved.id, "create", None, rows.as_json_value(saved))
            else:
                before = self.get_payer(p.id)
                self._update("payers", p.id, row)
                saved = p
                self._audit("payer", p.id, "update", rows.as_json_value(before), rows.as_json_value(saved))
        return saved

    # -- patients ---------------------------------------------------------------------------------

    def get_patient(self, patient_id: int) -> Patient:
        """The patient with this id, or ``NotFoundError``."""
        row = self._one("SELECT * FROM patients WHERE id = ?", [patient_id])
        if row is None:
            raise NotFoundError(f"There is no patient number {patient_id}. Search for the patient by name.")
        return rows.patient_from(row)

    def patient_by_chart_number(self, chart_number: str) -> Patient | None:
        """The patient with this chart number (letter case ignored), or ``None``."""
        row = self._one(
            "SELECT * FROM patients WHERE chart_number = ? COLLATE NOCASE", [chart_number.strip()]
        )
        return None if row is None else rows.patient_from(row)

    def patients_named(self, first_name: str, last_name: str, date_of_birth: date) -> list[Patient]:
        """Patients with exactly these names (normalised: case, accents, punctuation ignored) and DOB."""
        return [
            rows.patient_from(r)
            for r in self._query(
                "SELECT * FROM patients WHERE last_norm = ? AND first_norm = ? AND date_of_birth = ? "
                "ORDER BY id",
                [normalise_name(last_name), normalise_name(first_name), date_of_birth.isoformat()],
            )
        ]

    def search_patients(self, query: str, limit: int = 50) -> list[Patient]:
        """Patients matching what was typed in the search box, best matches first.

        Words are matched against the start of the first or last name, or of any word of a compound
        name (``lov`` finds Lovelace, ``lopez`` finds García López; ``ada lov`` needs both); a date
        (``MM/DD/YYYY`` or ``YYYY-MM-DD``) matches the date of birth; a chart number matches exactly
        (listed first) or by its beginning. All words must match. Reads at most ``limit`` rows per
        index it uses, so it stays fast with tens of thousands of patients (``core.store.patient_search``).
        """
        return [rows.patient_from(r) for r in patient_search.search(self.conn, query, limit)]

    def similar_patients(self, patient: Patient) -> list[Patient]:
        """Stored patients who may be the same person, oldest record first.

        Either the same date of birth and the same or a close name (each name within two typing
        mistakes, one for short names, or first and last name swapped), or exactly the same name with
        a date of birth one typed digit away or with day and month swapped. The window asks "is this
        the same person?" before creating a new patient.
        """
        found: dict[int, Patient] = {}
        for r in self._query(
            "SELECT * FROM patients WHERE date_of_birth = ? ORDER BY id", [patient.date_of_birth.isoformat()]
        ):
            if names_look_alike(patient.first_name, patient.last_name, r["first_name"], r["last_name"]):
                found[r["id"]] = rows.patient_from(r)
        for r in self._query(
            "SELECT * FROM patients WHERE last_norm = ? AND first_norm = ? ORDER BY id",
            [normalise_name(patient.last_name), normalise_name(patient.first_name)],
        ):
            if dates_look_alike(patient.date_of_birth, date.fromisoformat(r["date_of_birth"])):
                found[r["id"]] = rows.patient_from(r)
        found.pop(patient.id or 0, None)
        return [found[k] for k in sorted(found)]

    def next_chart_number(self) -> str:
        """The next free numeric chart number: one more than the highest number handed out or typed
        (1001 in a new practice), skipping any number already in use."""
        row = self._one("SELECT value FROM counters WHERE name = 'chart_number'")
        if row is None:  # first use: look once at the numbers already there
            row = self._one(
                "SELECT MAX(CAST(chart_number AS INTEGER)) AS value FROM patients "
                "WHERE chart_number != '' AND chart_number NOT GLOB '*[^0-9]*'"
            )
        top = row["value"] if row is not None and row["value"] is not None else 0
        candidate = max(int(top) + 1, FIRST_CHART_NUMBER)
        while self._one("SELECT 1 FROM patients WHERE chart_number = ?", [str(candidate)]) is not None:
            candidate += 1
        return str(candidate)

    def _note_chart_number(self, chart_number: str) -> None:
        """Remember the highest numeric chart number, so the next one is found without a table scan."""
        if not (chart_number.isascii() and chart_number.isdigit()) or len(chart_number) > 15:
            return
        self.conn.execute(
            "INSERT INTO counters (name, value) VALUES ('chart_number', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)",
            [int(chart_number)],
        )

    def save_patient(self, patient: Patient) -> Patient:
        """Add (``id`` None) or update a patient after checking the form; returns the saved patient.

        Raises ``InputError`` naming the field: names required, date of birth not in the future, ZIP
        and state format, a member id for insured payers, a chart number not used by someone else.
        An empty chart number gets ``next_chart_number()``.
        """
        payer = None if patient.payer_id is None else self._payer_for_patient(patient.payer_id)
        p = checked_patient(patient, payer, self.today())
        with self.db.atomic():
            if not p.chart_number:
                p = replace(p, chart_number=self.next_chart_number())
            clash = self._one(
                "SELECT id, first_name, last_name FROM patients WHERE chart_number = ? COLLATE NOCASE",
                [p.chart_number],
            )
            if clash is not None and clash["id"] != p.id:
                raise InputError(
                    f"Chart number: {p.chart_number} is already used by {clash['last_name']}, "
                    f"{clash['first_name']}. Leave it empty to get a new number.",
                    field="chart_number",
                )
            row = rows.patient_row(p, normalise_name(p.first_name), normalise_name(p.last_name))
            self._note_chart_number(p.chart_number)
            if p.id is None:
                saved = replace(p, id=self._insert("patients", row))
                self._audit("patient", saved.id, "create", None, rows.as_json_value(saved))
            else:
                before = self.get_patient(p.id)
                self._update("patients", p.id, row)
                saved = p
                self._audit("patient", p.id, "update", rows.as_json_value(before), rows.as_json_value(saved))
        return saved

    def _payer_for_patient(self, payer_id: int) -> Payer:
        row = self._one("SELECT * FROM payers WHERE id = ?", [payer_id])
        if row is None:
            raise InputError("Payer: choose the patient's insurance from the list.", field="payer_id")
        return rows.payer_from(row)

    # -- encounters -------------------------------------------------------------------------------

    def _encounters(self, where: str, params: Sequence[Any], order: str) -> list[EncounterRecord]:
        found = list(self._query(f"SELECT * FROM encounters WHERE {where} ORDER BY {order}", params))
        if not found:
            return []
        ids = [r["id"] for r in found]
        lesions: dict[int, list[Any]] = {i: [] for i in ids}
        messages: dict[int, list[Any]] = {i: [] for i in ids}
        lines: dict[int, list[Any]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for table, target, convert in (
                ("lesion_groups", lesions, rows.lesion_from),
                ("encounter_messages", messages, rows.message_from),
                ("billed_lines", lines, rows.line_from),
            ):
                for r in self._query(
                    f"SELECT * FROM {table} WHERE encounter_id IN ({marks}) ORDER BY encounter_id, position",
                    chunk,
                ):
                    target[r["encounter_id"]].append(convert(r))
        return [
            rows.encounter_from(r, tuple(lesions[r["id"]]), tuple(messages[r["id"]]), tuple(lines[r["id"]]))
            for r in found
        ]

    def get_encounter(self, encounter_id: int) -> EncounterRecord:
        """The encounter with this number, or ``NotFoundError``."""
        found = self._encounters("id = ?", [encounter_id], "id")
        if not found:
            raise NotFoundError(
                f"There is no encounter number {encounter_id}. Check the number on the day sheet."
            )
        return found[0]

    def encounters_on(self, day: date) -> list[EncounterRecord]:
        """Every encounter of one day (void ones included), in the order they were created."""
        return self._encounters("date_of_service = ?", [day.isoformat()], "id")

    def encounters_between(self, first: date, last: date) -> list[EncounterRecord]:
        """Every encounter from ``first`` to ``last`` inclusive, by date then creation order."""
        return self._encounters(
            "date_of_service BETWEEN ? AND ?", [first.isoformat(), last.isoformat()], "date_of_service, id"
        )

    def encounters_for_patient(self, patient_id: int) -> list[EncounterRecord]:
        """A patient's encounters, oldest first."""
        return self._encounters("patient_id = ?", [patient_id], "date_of_service, id")

    def drafts(self) -> list[EncounterRecord]:
        """Every encounter still in draft (to offer after a crash), oldest first."""
        return self._encounters("status = 'draft'", [], "date_of_service, id")

    def prior_services(
        self, patient_id: int, before: date, *, exclude_id: int | None = None
    ) -> tuple[PriorService, ...]:
        """The patient's billed codes in the ``PRIOR_SERVICE_DAYS`` before ``before`` (global periods)."""
        start = date.fromordinal(before.toordinal() - PRIOR_SERVICE_DAYS).isoformat()
        found = self._query(
            "SELECT e.date_of_service, l.cpt FROM encounters e JOIN billed_lines l ON l.encounter_id = e.id "
            "WHERE e.patient_id = ? AND e.status IN ('final', 'printed') AND e.date_of_service >= ? "
            "AND e.date_of_service < ? AND e.id != ? ORDER BY e.date_of_service, l.position",
            [patient_id, start, before.isoformat(), exclude_id or 0],
        )
        return tuple(PriorService(date.fromisoformat(r["date_of_service"]), r["cpt"]) for r in found)

    def coding_input(self, encounter: EncounterRecord) -> Encounter:
        """The coding engine's input for a stored or edited encounter: its payer word and history filled in.

        The payer is the encounter's frozen payer once final, else the patient's current payer
        (no payer on file codes as ``self_pay``).
        """
        payer = self.payer_of(encounter)
        payer_word = "self_pay" if payer is None else payer.coding_payer
        return Encounter(
            date_of_service=encounter.date_of_service,
            place_of_service=encounter.place_of_service,
            lesions=encounter.lesions,
            payer=payer_word,
            em_code=encounter.em_code,
            prior_services=self.prior_services(
                encounter.patient_id, encounter.date_of_service, exclude_id=encounter.id
            ),
        )

    def coding_settings(self, payer: Payer | None = None) -> CodingSettings:
        """The coding engine's settings for this payer's conventions, with today's date for the
        "not in the future" check (``None``: the engine's plain defaults)."""
        if payer is None:
            return CodingSettings(today=self.today())
        return CodingSettings(
            modifier_51=payer.use_modifier_51, distinct_modifier=payer.distinct_modifier, today=self.today()
        )

    def payer_of(self, encounter: EncounterRecord) -> Payer | None:
        """The payer an encounter is billed to: frozen once final, else the patient's current payer."""
        payer_id = encounter.payer_id
        if payer_id is None:
            payer_id = self.get_patient(encounter.patient_id).payer_id
        return None if payer_id is None else self.get_payer(payer_id)

    def _check_refs(self, encounter: EncounterRecord) -> None:
        if self._one("SELECT 1 FROM patients WHERE id = ?", [encounter.patient_id]) is None:
            raise InputError("Patient: choose the patient for this encounter.", field="patient_id")
        if self._one("SELECT 1 FROM providers WHERE id = ?", [encounter.provider_id]) is None:
            raise InputError("Provider: choose the rendering provider.", field="provider_id")
        if not isinstance(encounter.date_of_service, date):
            raise InputError("Date of service: type the date of the visit.", field="date_of_service")
        if not _POS.match(encounter.place_of_service or ""):
            raise InputError(
                "Place of service: choose a two-digit place-of-service code (11 = office).",
                field="place_of_service",
            )

    def _write_children(self, encounter_id: int, record: EncounterRecord, *, lines: bool) -> None:
        self.conn.execute("DELETE FROM lesion_groups WHERE encounter_id = ?", [encounter_id])
        self.conn.execute("DELETE FROM encounter_messages WHERE encounter_id = ?", [encounter_id])
        self.conn.executemany(
            "INSERT INTO lesion_groups (encounter_id, position, kind, count, site, method, diagnosis, "
            "diameter_cm, area_sq_cm) VALUES (:encounter_id, :position, :kind, :count, :site, :method, "
            ":diagnosis, :diameter_cm, :area_sq_cm)",
            [rows.lesion_row(encounter_id, i, g) for i, g in enumerate(record.lesions)],
        )
        self.conn.executemany(
            "INSERT INTO encounter_messages (encounter_id, position, severity, rule, field, text) "
            "VALUES (:encounter_id, :position, :severity, :rule, :field, :text)",
            [rows.message_row(encounter_id, i, m) for i, m in enumerate(record.messages)],
        )
        if lines:
            self.conn.execute("DELETE FROM billed_lines WHERE encounter_id = ?", [encounter_id])
            self.conn.executemany(
                "INSERT INTO billed_lines (encounter_id, position, cpt, units, modifiers, "
                "diagnosis_pointers, description, why, lesion_indexes, unit_fee_cents, charge_cents) "
                "VALUES (:encounter_id, "
                ":position, :cpt, :units, :modifiers, :diagnosis_pointers, :description, :why, "
                ":lesion_indexes, :unit_fee_cents, :charge_cents)",
                [rows.line_row(encounter_id, i, line) for i, line in enumerate(record.lines)],
            )

    def save_draft(self, encounter: EncounterRecord) -> EncounterRecord:
        """Insert (``id`` None) or update a draft: its patient, provider, date, place, E/M, lesions and the
        last coding messages. Durable when it returns. A final, printed or void encounter is refused:
        ``reopen`` it first.
        """
        self._check_refs(encounter)
        now = self.now().isoformat()
        row = {
            "patient_id": encounter.patient_id,
            "provider_id": encounter.provider_id,
            "date_of_service": encounter.date_of_service.isoformat(),
            "place_of_service": encounter.place_of_service,
            "em_code": encounter.em_code or None,
            "status": str(EncounterStatus.DRAFT),
            "updated_at": now,
        }
        with self.db.atomic():
            if encounter.id is None:
                encounter_id = self._insert("encounters", {**row, "created_at": now})
                before = None
            else:
                encounter_id = encounter.id
                previous = self.get_encounter(encounter_id)
                if previous.status is not EncounterStatus.DRAFT:
                    raise StoreError(
                        f"Encounter {encounter_id} is {previous.status}; it can no longer be edited. "
                        "Reopen it first to change it."
                    )
                if _same_draft(previous, encounter):
                    return previous  # nothing changed: no write, no audit row
                before = rows.as_json_value(previous)
                self._update("encounters", encounter_id, row)
            self._write_children(encounter_id, encounter, lines=False)
            saved = self.get_encounter(encounter_id)
            self._audit(
                "encounter",
                encounter_id,
                "create" if before is None else "save",
                before,
                rows.as_json_value(saved),
            )
        return saved

    def finalize(self, encounter_id: int, result: CodingResult) -> EncounterRecord:
        """Freeze a draft as billed: the coded lines with the fees in force on the date of service.

        Refuses (``InputError``) a result with errors, a result with no lines, or a code that has no fee
        on that date; the encounter then stays a draft, unchanged. Later fee changes never change a
        finalised encounter. The superbill gets its document number here.
        """
        errors = [m for m in result.messages if m.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            raise InputError(
                f"Encounter {encounter_id} cannot be finalised while the coding shows an error: {first.text}",
                field=first.field,
            )
        if not result.lines:
            raise InputError(
                f"Encounter {encounter_id} has nothing to bill: add the lesions or the visit code.",
                field="lesions",
            )
        with self.db.atomic():
            current = self.get_encounter(encounter_id)
            if current.status is not EncounterStatus.DRAFT:
                raise StoreError(
                    f"Encounter {encounter_id} is already {current.status}; reopen it to code it again."
                )
            billed = []
            for line in result.lines:
                fee = self.fee_for(line.cpt, current.date_of_service)
                if fee is None:
                    raise InputError(
                        f"The fee schedule has no fee for {line.cpt} on {_us_date(current.date_of_service)}. "
                        "Add the practice's fee for this code (Settings → Fees), then finalise again.",
                        field="fee_schedule",
                    )
                billed.append(
                    BilledLine(
                        cpt=line.cpt,
                        units=line.units,
                        modifiers=line.modifiers,
                        diagnosis_pointers=line.diagnosis_pointers,
                        description=line.description,
                        why=line.why,
                        lesion_indexes=line.lesion_indexes,
                        unit_fee_cents=fee,
                        charge_cents=fee * line.units,
                    )
                )
            payer_id = current.payer_id or self.get_patient(current.patient_id).payer_id
            document = current.document_number or self._next_document_number()
            final = replace(current, lines=tuple(billed), messages=result.messages)
            self._update(
                "encounters",
                encounter_id,
                {
                    "status": str(EncounterStatus.FINAL),
                    "payer_id": payer_id,
                    "diagnoses": json.dumps(list(result.diagnoses)),
                    "coded_at": self.now().isoformat(),
                    "document_number": document,
                    "updated_at": self.now().isoformat(),
                },
            )
            self._write_children(encounter_id, final, lines=True)
            saved = self.get_encounter(encounter_id)
            self._audit(
                "encounter", encounter_id, "finalize", rows.as_json_value(current), rows.as_json_value(saved)
            )
        return saved

    def _next_document_number(self) -> str:
        self.conn.execute(
            "INSERT INTO counters (name, value) VALUES ('document_number', 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1"
        )
        row = self._one("SELECT value FROM counters WHERE name = 'document_number'")
        assert row is not None
        return f"SB-{int(row['value']):06d}"

    def _set_status(
        self, encounter_id: int, allowed: Iterable[EncounterStatus], action: str, changes: dict[str, Any]
    ) -> EncounterRecord:
        current = self.get_encounter(encounter_id)
        if current.status not in set(allowed):
            raise StoreError(f"Encounter {encounter_id} is {current.status}; it cannot be {action}.")
        self._update("encounters", encounter_id, {**changes, "updated_at": self.now().isoformat()})
        if changes.get("status") == str(EncounterStatus.DRAFT):
            self.conn.execute("DELETE FROM billed_lines WHERE encounter_id = ?", [encounter_id])
        saved = self.get_encounter(encounter_id)
        self._audit("encounter", encounter_id, action, rows.as_json_value(current), rows.as_json_value(saved))
        return saved

    def mark_printed(self, encounter_ids: Iterable[int]) -> list[EncounterRecord]:
        """Record that these final encounters' superbills were printed (printing again is fine)."""
        printable = (EncounterStatus.FINAL, EncounterStatus.PRINTED)
        with self.db.atomic():
            return [
                self._set_status(i, printable, "printed", {"status": str(EncounterStatus.PRINTED)})
                for i in encounter_ids
            ]

    def void_encounter(self, encounter_id: int, reason: str) -> EncounterRecord:
        """Void an encounter (kept, never deleted, with the reason); it no longer counts as billed."""
        if not reason.strip():
            raise InputError(
                "Reason: say why this encounter is voided (for example 'entered twice').", field="reason"
            )
        with self.db.atomic():
            return self._set_status(
                encounter_id,
                (EncounterStatus.DRAFT, EncounterStatus.FINAL, EncounterStatus.PRINTED),
                "voided",
                {"status": str(EncounterStatus.VOID), "void_reason": reason.strip()},
            )

    def reopen(self, encounter_id: int) -> EncounterRecord:
        """Turn a final, printed or void encounter back into a draft to correct it.

        The billed lines are dropped (the audit log keeps them); finalising again re-prices the lines
        with the fees of the date of service and keeps the document number.
        """
        with self.db.atomic():
            return self._set_status(
                encounter_id,
                (EncounterStatus.FINAL, EncounterStatus.PRINTED, EncounterStatus.VOID),
                "reopened",
                {"status": str(EncounterStatus.DRAFT), "coded_at": None, "void_reason": ""},
            )

    def record_payment(self, encounter_id: int, paid_cents: int) -> EncounterRecord:
        """Set how much was paid at the desk for this encounter (whole cents, zero or more)."""
        if not isinstance(paid_cents, int) or paid_cents < 0:
            raise InputError("Amount paid: type an amount of zero or more.", field="paid_cents")
        with self.db.atomic():
            current = self.get_encounter(encounter_id)
            self._update(
                "encounters", encounter_id, {"paid_cents": paid_cents, "updated_at": self.now().isoformat()}
            )
            saved = self.get_encounter(encounter_id)
            self._audit(
                "encounter", encounter_id, "payment", rows.as_json_value(current), rows.as_json_value(saved)
            )
        return saved

    # -- fees -------------------------------------------------------------------------------------

    def fee_for(self, cpt: str, on: date) -> int | None:
        """The practice's fee in cents for one unit of ``cpt`` on the day ``on``, or ``None``."""
        row = self._one(
            "SELECT unit_fee_cents FROM fee_schedule WHERE cpt = ? AND effective_from <= ? "
            "ORDER BY effective_from DESC LIMIT 1",
            [cpt.strip().upper(), on.isoformat()],
        )
        return None if row is None else int(row["unit_fee_cents"])

    def fee_schedule(self, on: date) -> list[FeeEntry]:
        """Every code's fee in force on ``on``, by code (the schedule holds a few hundred rows at most)."""
        every = rows.fee_entries(list(self._query("SELECT * FROM fee_schedule")))
        return [
            e for e in every if e.effective_from <= on and (e.effective_to is None or on <= e.effective_to)
        ]

    def fee_history_of(self, cpts: Sequence[str]) -> list[FeeEntry]:
        """Every fee ever set for these codes, by code then date, with each entry's last day."""
        if not cpts:
            return []
        marks = ", ".join("?" * len(cpts))
        return rows.fee_entries(
            list(self._query(f"SELECT * FROM fee_schedule WHERE cpt IN ({marks})", list(cpts)))
        )

    def fee_history(self, cpt: str) -> list[FeeEntry]:
        """Every fee set for one code, oldest first."""
        return self.fee_history_of([cpt.strip().upper()])

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
        with self.db.atomic():
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

    def setting(self, name: str) -> SettingValue:
        """A setting's value: the user's if one was saved, else the declared default."""
        spec = declared(name)
        row = self._one("SELECT value FROM settings WHERE name = ?", [name])
        if row is None:
            return spec.default
        value: SettingValue = json.loads(row["value"])
        return value

    def set_setting(self, name: str, value: object) -> SettingValue:
        """Save a user's value for a declared setting (checked and converted to its type)."""
        spec = declared(name)
        checked = check_value(spec, value)
        with self.db.atomic():
            old = self._one("SELECT value FROM settings WHERE name = ?", [name])
            self.conn.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [name, json.dumps(checked)],
            )
            self._audit("setting", name, "update", None if old is None else json.loads(old["value"]), checked)
        return checked

    # -- ICD-10-CM --------------------------------------------------------------------------------

    def search_icd10(self, query: str, limit: int = 20) -> list[Icd10Hit]:
        """ICD-10-CM codes for a typed code prefix (``L57``) or words (``actinic keratosis``).

        The first search after a new ICD-10-CM release is loaded builds the index (a second or two);
        later searches use it directly.
        """
        if not query.strip():
            return []
        self.ensure_icd10_index()
        return icd10_search.search(self.conn, query, limit)

    def ensure_icd10_index(self) -> bool:
        """Build the ICD-10-CM search index if it is missing or from another release; True if built."""
        from core import icd10

        release = icd10.release()
        if icd10_search.indexed_release(self.conn) == release:
            return False
        with self.db.atomic():
            icd10_search.rebuild(
                self.conn, release, ((c.code, c.description, c.billable) for c in icd10.all_codes())
            )
        return True

    # -- audit ------------------------------------------------------------------------------------

    def verify_audit(self) -> AuditCheck:
        """Check the audit log's hash chain; names the first row that was changed or removed."""
        return audit.verify(self.conn)

    def audit_entries(self, entity: str | None = None, entity_id: object = None) -> list[AuditEntry]:
        """The audit log (optionally of one entity, e.g. ``("encounter", 12)``), oldest first."""
        where, params = "1", []
        if entity is not None:
            where, params = "entity = ?", [entity]
            if entity_id is not None:
                where += " AND entity_id = ?"
                params.append(str(entity_id))
        return [
            AuditEntry(
                id=r["id"],
                at=datetime.fromisoformat(r["at"]),
                who=r["who"],
                entity=r["entity"],
                entity_id=r["entity_id"],
                action=r["action"],
                before=r["before"],
                after=r["after"],
            )
            for r in self._query(f"SELECT * FROM audit_log WHERE {where} ORDER BY id", params)
        ]

    def integrity_problems(self) -> list[str]:
        """SQLite's full integrity check of the open file; an empty list means it is sound."""
        found = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")]
        return [] if found == ["ok"] else found

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

    def is_empty(self) -> bool:
        """True when nothing was entered yet: no practice, provider, payer, patient or encounter."""
        return all(
            self._one(f"SELECT 1 FROM {table} LIMIT 1") is None
            for table in ("practice", "providers", "payers", "patients", "encounters")
        )

    # -- demo data --------------------------------------------------------------------------------

    def remove_demo_data(self) -> tuple[int, int]:
        """Delete the demo patients and all their encounters; returns (patients, encounters) removed.

        The practice, provider, payers and fees stay (edit them into the practice's own). The audit
        log keeps a record of the removal.
        """
        with self.db.atomic():
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

    def has_demo_data(self) -> bool:
        """True while demo patients are in the database."""
        return self._one("SELECT 1 FROM patients WHERE is_demo = 1 LIMIT 1") is not None


def default_user() -> str:
    """The name written into the audit log when none is given: the operating-system user."""
    return _default_user()
