"""Verbs for encounters: drafts saved on every edit, finalising with the fees in force, printing, voiding,
reopening, payments, and the coding engine's input."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from core.accounts import Action
from core.coding.model import CodingResult, Message, PriorService, Severity
from core.dates import shown_date
from core.errors import InputError, NotFoundError, StoreError
from core.store import rows, stale
from core.store.records import (
    BILLED_STATUSES,
    Acknowledgement,
    EncounterRecord,
    EncounterStatus,
    FrozenCoverage,
    Patient,
    Payer,
    PricedLine,
)
from core.store.verbs.base import requires
from core.store.verbs.patients import PatientVerbs
from core.store.verbs.practice import POS_CODE
from core.superbill.hashed_fields import HASH_VERSION

#: ``BILLED_STATUSES`` as an SQL list: the one "is this encounter billed?" in a query
_BILLED_SQL = ", ".join(f"'{status}'" for status in sorted(BILLED_STATUSES))
#: how far back ``prior_services`` looks: longer than the longest global period (90 days)
PRIOR_SERVICE_DAYS = 120


def _us_date(day: date) -> str:
    return f"{shown_date(day)}"


def _coverage_at_finalisation(
    current: EncounterRecord, patient: Patient, payer_id: int | None
) -> FrozenCoverage:
    """The patient's insurance frozen with the encounter. Finalising again after a reopen keeps the
    payer frozen the first time (``payer_id``): when the patient has changed plans since, that plan's
    details frozen then are kept too, never the new plan's member id under the old plan's name."""
    now = FrozenCoverage.of(patient, payer_id)
    before = current.coverage
    if (
        payer_id is not None
        and payer_id != patient.payer_id
        and before is not None
        and before.primary is not None
        and before.primary.payer_id == payer_id
    ):
        return replace(now, primary=before.primary)
    return now


def _same_draft(stored: EncounterRecord, edited: EncounterRecord) -> bool:
    """True when saving ``edited`` over ``stored`` would change nothing a draft keeps."""
    return (
        stored.patient_id,
        stored.provider_id,
        stored.date_of_service,
        stored.place_of_service,
        stored.em_code,
        stored.decision_for_surgery,
        stored.lesions,
        stored.messages,
    ) == (
        edited.patient_id,
        edited.provider_id,
        edited.date_of_service,
        edited.place_of_service,
        edited.em_code or None,
        edited.decision_for_surgery,
        tuple(edited.lesions),
        tuple(edited.messages),
    )


class EncounterVerbs(PatientVerbs):
    """Encounters and their lesions, coding messages and billed lines."""

    # -- encounters -------------------------------------------------------------------------------

    def _encounters(self, where: str, params: Sequence[Any], order: str) -> list[EncounterRecord]:
        found = list(self._query(f"SELECT * FROM encounters WHERE {where} ORDER BY {order}", params))
        if not found:
            return []
        ids = [r["id"] for r in found]
        lesions: dict[int, list[Any]] = {i: [] for i in ids}
        messages: dict[int, list[Any]] = {i: [] for i in ids}
        lines: dict[int, list[Any]] = {i: [] for i in ids}
        acknowledged: dict[int, list[Any]] = {i: [] for i in ids}
        children: list[tuple[str, dict[int, list[Any]], Any]] = [
            ("lesion_groups", lesions, rows.lesion_from),
            ("encounter_messages", messages, rows.message_from),
        ]
        if any(r["status"] != EncounterStatus.DRAFT for r in found):  # a draft has neither of these
            children += [
                ("billed_lines", lines, rows.line_from),
                ("acknowledgements", acknowledged, rows.acknowledgement_from),
            ]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for table, target, convert in children:
                for r in self._query(
                    f"SELECT * FROM {table} WHERE encounter_id IN ({marks}) ORDER BY encounter_id, position",
                    chunk,
                ):
                    target[r["encounter_id"]].append(convert(r))
        return [
            rows.encounter_from(
                r,
                tuple(lesions[r["id"]]),
                tuple(messages[r["id"]]),
                tuple(lines[r["id"]]),
                tuple(acknowledged[r["id"]]),
            )
            for r in found
        ]

    @requires(Action.VIEW_PATIENTS)
    def get_encounter(self, encounter_id: int) -> EncounterRecord:
        """The encounter with this number, or ``NotFoundError``."""
        found = self._encounters("id = ?", [encounter_id], "id")
        if not found:
            raise NotFoundError(
                f"There is no encounter number {encounter_id}. Give the document number printed at the top "
                "of its superbill (for example SB-000001) instead."
            )
        return found[0]

    @requires(Action.VIEW_PATIENTS)
    def encounter_by_document(self, document_number: str) -> EncounterRecord | None:
        """The encounter whose superbill carries ``document_number`` (``SB-000001``), or ``None``."""
        found = self._encounters("document_number = ?", [document_number.strip()], "id")
        return found[0] if found else None

    @requires(Action.VIEW_PATIENTS)
    def encounters_on(self, day: date) -> list[EncounterRecord]:
        """Every encounter of one day (void ones included), in the order they were created."""
        return self._encounters("date_of_service = ?", [day.isoformat()], "id")

    @requires(Action.VIEW_PATIENTS)
    def encounters_between(self, first: date, last: date) -> list[EncounterRecord]:
        """Every encounter from ``first`` to ``last`` inclusive, by date then creation order."""
        return self._encounters(
            "date_of_service BETWEEN ? AND ?", [first.isoformat(), last.isoformat()], "date_of_service, id"
        )

    @requires(Action.VIEW_PATIENTS)
    def encounters_for_patient(self, patient_id: int) -> list[EncounterRecord]:
        """A patient's encounters, oldest first."""
        return self._encounters("patient_id = ?", [patient_id], "date_of_service, id")

    @requires(Action.VIEW_PATIENTS)
    def drafts(self) -> list[EncounterRecord]:
        """Every encounter still in draft (to offer after a crash), oldest first."""
        return self._encounters("status = 'draft'", [], "date_of_service, id")

    @requires(Action.VIEW_PATIENTS)
    def prior_services(
        self, patient_id: int, before: date, *, exclude_id: int | None = None
    ) -> tuple[PriorService, ...]:
        """The patient's billed codes in the ``PRIOR_SERVICE_DAYS`` before ``before`` (global periods)."""
        start = date.fromordinal(before.toordinal() - PRIOR_SERVICE_DAYS).isoformat()
        found = self._query(
            "SELECT e.date_of_service, l.cpt FROM encounters e JOIN billed_lines l ON l.encounter_id = e.id "
            f"WHERE e.patient_id = ? AND e.status IN ({_BILLED_SQL}) AND e.date_of_service >= ? "
            "AND e.date_of_service < ? AND e.id != ? ORDER BY e.date_of_service, l.position",
            [patient_id, start, before.isoformat(), exclude_id or 0],
        )
        return tuple(PriorService(date.fromisoformat(r["date_of_service"]), r["cpt"]) for r in found)

    @requires(Action.VIEW_PATIENTS)
    def payer_of(self, encounter: EncounterRecord) -> Payer | None:
        """The payer an encounter is billed to: frozen once final, else the patient's current payer."""
        payer_id = encounter.payer_id
        if payer_id is None:
            payer_id = self.get_patient(encounter.patient_id).payer_id
        return None if payer_id is None else self.get_payer(payer_id)

    def _check_refs(self, encounter: EncounterRecord, stored: EncounterRecord | None) -> None:
        """The patient and provider exist (looked up only when they are new or changed), the date is a
        date and the place of service a two-digit code."""
        new_patient = stored is None or stored.patient_id != encounter.patient_id
        if new_patient and self._one("SELECT 1 FROM patients WHERE id = ?", [encounter.patient_id]) is None:
            raise InputError("Patient: choose the patient for this encounter.", field="patient_id")
        new_provider = stored is None or stored.provider_id != encounter.provider_id
        known = new_provider and self._one("SELECT 1 FROM providers WHERE id = ?", [encounter.provider_id])
        if new_provider and known is None:
            raise InputError("Provider: choose the rendering provider.", field="provider_id")
        if not isinstance(encounter.date_of_service, date):
            raise InputError("Date of service: type the date of the visit.", field="date_of_service")
        if not POS_CODE.match(encounter.place_of_service or ""):
            raise InputError(
                "Place of service: choose a two-digit place-of-service code (11 = office).",
                field="place_of_service",
            )

    def _write_children(
        self,
        encounter_id: int,
        record: EncounterRecord,
        *,
        lines: bool,
        before: EncounterRecord | None = None,
    ) -> None:
        """Replace the lesions and messages (and with ``lines`` the billed lines and acknowledgements);
        with ``before``, the stored state, a list that did not change is left as it is."""
        if before is None or before.lesions != record.lesions:
            self.conn.execute("DELETE FROM lesion_groups WHERE encounter_id = ?", [encounter_id])
            self._insert_many(
                "lesion_groups", [rows.lesion_row(encounter_id, i, g) for i, g in enumerate(record.lesions)]
            )
        if before is None or before.messages != record.messages:
            self.conn.execute("DELETE FROM encounter_messages WHERE encounter_id = ?", [encounter_id])
            self._insert_many(
                "encounter_messages",
                [rows.message_row(encounter_id, i, m) for i, m in enumerate(record.messages)],
            )
        if lines:
            self.conn.execute("DELETE FROM billed_lines WHERE encounter_id = ?", [encounter_id])
            self._insert_many(
                "billed_lines", [rows.line_row(encounter_id, i, line) for i, line in enumerate(record.lines)]
            )
            self.conn.execute("DELETE FROM acknowledgements WHERE encounter_id = ?", [encounter_id])
            self._insert_many(
                "acknowledgements",
                [rows.acknowledgement_row(encounter_id, i, a) for i, a in enumerate(record.acknowledgements)],
            )

    @requires(Action.RECORD_VISITS)
    def save_draft(
        self, encounter: EncounterRecord, *, previous: EncounterRecord | None = None
    ) -> EncounterRecord:
        """Insert (``id`` None) or update a draft: its patient, provider, date, place, E/M, lesions and the
        last coding messages. Durable when it returns. A final, printed or void encounter is refused:
        ``reopen`` it first; a draft changed elsewhere since ``encounter.version`` is refused
        (``StaleRecordError``). Nothing changed: nothing is written.

        ``previous`` is the draft as this program last saved it (the window saves on every keystroke):
        when the file still holds that version, it stands in for reading the draft back, so one save is
        a handful of statements; otherwise the draft is read from the file as usual.
        """
        now = self.now()
        with self.transaction():
            if encounter.id is None:
                self._check_refs(encounter, None)
                saved = self._insert_draft(encounter, now)
                self._audit("encounter", saved.id, "create", None, rows.as_json_value(saved))
                return saved
            stored = previous if previous is not None and previous.id == encounter.id else None
            if stored is not None and _same_draft(stored, encounter):
                return stored  # nothing changed: no write, no audit row
            if stored is None or not self._update_draft(encounter, stored, now):
                stored = self.get_encounter(encounter.id)
                self._check_version(stored, encounter.version)
                if stored.status is not EncounterStatus.DRAFT:
                    raise StoreError(
                        f"Encounter {encounter.id} is {stored.status}; it can no longer be edited. "
                        "Reopen it first to change it."
                    )
                if _same_draft(stored, encounter):
                    return stored
                self._check_refs(encounter, stored)
                updated = self._update_draft(encounter, stored, now)
                assert updated
            saved = self._saved_draft(encounter, stored, now)
            self._write_children(encounter.id, saved, lines=False, before=stored)
            self._audit(
                "encounter", encounter.id, "save", rows.as_json_value(stored), rows.as_json_value(saved)
            )
        return saved

    @staticmethod
    def _draft_row(encounter: EncounterRecord, now: datetime) -> dict[str, Any]:
        return {
            "patient_id": encounter.patient_id,
            "provider_id": encounter.provider_id,
            "date_of_service": encounter.date_of_service.isoformat(),
            "place_of_service": encounter.place_of_service,
            "em_code": encounter.em_code or None,
            "decision_for_surgery": int(encounter.decision_for_surgery),
            "status": str(EncounterStatus.DRAFT),
            "updated_at": now.isoformat(),
        }

    def _insert_draft(self, encounter: EncounterRecord, now: datetime) -> EncounterRecord:
        row = {**self._draft_row(encounter, now), "created_at": now.isoformat(), "version": 1}
        encounter_id = self._insert("encounters", row)
        saved = replace(
            encounter,
            id=encounter_id,
            em_code=encounter.em_code or None,
            status=EncounterStatus.DRAFT,
            lines=(),
            acknowledgements=(),
            created_at=now,
            updated_at=now,
            version=1,
        )
        self._write_children(encounter_id, saved, lines=False)
        return saved

    def _update_draft(self, encounter: EncounterRecord, stored: EncounterRecord, now: datetime) -> bool:
        """Write the draft's own row over ``stored`` when the file still holds exactly that version of a
        draft (one statement that checks and writes); False when it does not (nothing written)."""
        if stored.patient_id != encounter.patient_id or stored.provider_id != encounter.provider_id:
            self._check_refs(encounter, stored)
        elif not POS_CODE.match(encounter.place_of_service or ""):
            self._check_refs(encounter, stored)  # says what is wrong with the place of service
        assert stored.id is not None
        if encounter.version not in (0, stored.version):
            return False  # made from another version than ``stored``: the full path says what changed
        row = {**self._draft_row(encounter, now), "version": stored.version + 1}
        assignments = ", ".join(f"{name} = :{name}" for name in row)
        cursor = self.conn.execute(
            f"UPDATE encounters SET {assignments} "
            "WHERE id = :_id AND version = :_version AND status = 'draft'",
            {**row, "_id": stored.id, "_version": stored.version},
        )
        return cursor.rowcount == 1

    @staticmethod
    def _saved_draft(encounter: EncounterRecord, stored: EncounterRecord, now: datetime) -> EncounterRecord:
        """The draft as the file holds it after the update: what the row and its children now say."""
        return replace(
            stored,
            patient_id=encounter.patient_id,
            provider_id=encounter.provider_id,
            date_of_service=encounter.date_of_service,
            place_of_service=encounter.place_of_service,
            em_code=encounter.em_code or None,
            decision_for_surgery=encounter.decision_for_surgery,
            lesions=tuple(encounter.lesions),
            messages=tuple(encounter.messages),
            updated_at=now,
            version=stored.version + 1,
        )

    @requires(Action.FINALIZE)
    def finalize(
        self,
        encounter_id: int,
        result: CodingResult,
        *,
        version: int = 0,
        acknowledged: Mapping[Message, str] | None = None,
    ) -> EncounterRecord:
        """Freeze a draft as billed: the coded lines with the fees in force on the date of service.

        Refuses (``InputError``) a result with errors, a result with no lines, a warning that nobody
        acknowledged, or a code that has no fee on that date; the encounter then stays a draft,
        unchanged. ``acknowledged`` maps each warning of ``result`` to the reason it is billed anyway
        ("" for none): each is stored with the encounter, with the store's user and the time, and in
        the audit log. Later fee changes never change a finalised encounter. The superbill gets its
        document number here. ``version`` is the version of the encounter ``result`` was coded from:
        when another program changed it since, the lines would bill what is no longer there, so it is
        refused (``StaleRecordError``). Callers go through ``core.visit.finalize``, the one policy.
        """
        errors = [m for m in result.messages if m.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            raise InputError(
                f"Encounter {encounter_id} cannot be finalised while the coding shows an error: {first.text}",
                field=first.field,
            )
        reasons = dict(acknowledged or {})
        unseen = [m for m in result.messages if m.severity is Severity.WARNING and m not in reasons]
        if unseen:
            raise InputError(
                f"Encounter {encounter_id} cannot be finalised before each warning is looked at: "
                + " ".join(f"“{m.text}”" for m in unseen),
                field=unseen[0].field,
            )
        if not result.lines:
            raise InputError(
                f"Encounter {encounter_id} has nothing to bill: add the lesions or the visit code.",
                field="lesions",
            )
        with self.transaction():
            current = self.get_encounter(encounter_id)
            self._check_version(current, version)
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
                billed.append(PricedLine.of(line, fee))
            patient = self.get_patient(current.patient_id)
            payer_id = current.payer_id or patient.payer_id
            coverage = _coverage_at_finalisation(current, patient, payer_id)
            document = current.document_number or self._next_document_number()
            at = self.now()
            acknowledgements = tuple(
                Acknowledgement(m.severity, m.rule, m.field, m.text, self.user, at, reasons[m])
                for m in result.messages
                if m in reasons
            )
            final = replace(
                current, lines=tuple(billed), messages=result.messages, acknowledgements=acknowledgements
            )
            self._update(
                "encounters",
                encounter_id,
                {
                    "status": str(EncounterStatus.FINAL),
                    "payer_id": payer_id,
                    "coverage": rows.coverage_text(coverage),
                    "hash_version": HASH_VERSION,
                    "diagnoses": json.dumps(list(result.diagnoses)),
                    "coded_at": self.now().isoformat(),
                    "document_number": document,
                    "updated_at": self.now().isoformat(),
                    "version": current.version + 1,
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

    def _check_version(self, stored: EncounterRecord, version: int) -> None:
        assert stored.id is not None
        label = f"Encounter {stored.document_number or stored.id} of {shown_date(stored.date_of_service)}"
        stale.check_version(self.conn, "encounter", label, stored.id, stored.version, version)

    def _set_status(
        self,
        encounter_id: int,
        allowed: Iterable[EncounterStatus],
        action: str,
        changes: dict[str, Any],
        version: int = 0,
    ) -> EncounterRecord:
        current = self.get_encounter(encounter_id)
        self._check_version(current, version)
        if current.status not in set(allowed):
            raise StoreError(f"Encounter {encounter_id} is {current.status}; it cannot be {action}.")
        self._update(
            "encounters",
            encounter_id,
            {**changes, "updated_at": self.now().isoformat(), "version": current.version + 1},
        )
        if changes.get("status") == str(EncounterStatus.DRAFT):  # reopened: billed again only when final
            self.conn.execute("DELETE FROM billed_lines WHERE encounter_id = ?", [encounter_id])
            self.conn.execute("DELETE FROM acknowledgements WHERE encounter_id = ?", [encounter_id])
        saved = self.get_encounter(encounter_id)
        self._audit("encounter", encounter_id, action, rows.as_json_value(current), rows.as_json_value(saved))
        return saved

    @requires(Action.PRINT)
    def mark_printed(self, encounter_ids: Iterable[int]) -> list[EncounterRecord]:
        """Record that these final encounters' superbills were printed (printing again is fine)."""
        printable = BILLED_STATUSES
        ids = list(encounter_ids)
        if len(set(ids)) < len(ids):  # the same encounter twice: one after the other, as asked
            with self.transaction():
                return [
                    self._set_status(i, printable, "printed", {"status": str(EncounterStatus.PRINTED)})
                    for i in ids
                ]
        if not ids:
            return []
        # a day's encounters read before and after in a few queries (not two reads each), with the same
        # checks, changes and audit rows as ``_set_status`` makes one at a time
        self.require(Action.VIEW_PATIENTS)  # as get_encounter asks of each
        with self.transaction():
            before = self._encounters_by_id(ids)
            for i in ids:
                current = before.get(i) or self.get_encounter(i)  # NotFoundError for an unknown number
                if current.status not in printable:
                    raise StoreError(f"Encounter {i} is {current.status}; it cannot be printed.")
            for i in ids:
                self._update(
                    "encounters",
                    i,
                    {
                        "status": str(EncounterStatus.PRINTED),
                        "updated_at": self.now().isoformat(),
                        "version": before[i].version + 1,
                    },
                )
            after = self._encounters_by_id(ids)
            for i in ids:
                self._audit(
                    "encounter", i, "printed", rows.as_json_value(before[i]), rows.as_json_value(after[i])
                )
            return [after[i] for i in ids]

    def _encounters_by_id(self, ids: Sequence[int]) -> dict[int, EncounterRecord]:
        found: dict[int, EncounterRecord] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            for record in self._encounters(f"id IN ({marks})", chunk, "id"):
                assert record.id is not None
                found[record.id] = record
        return found

    @requires(Action.VOID)
    def void_encounter(self, encounter_id: int, reason: str, *, version: int = 0) -> EncounterRecord:
        """Void an encounter (kept, never deleted, with the reason); it no longer counts as billed.
        ``version``: the version the user saw (``StaleRecordError`` when it changed since)."""
        if not reason.strip():
            raise InputError(
                "Reason: say why this encounter is voided (for example 'entered twice').", field="reason"
            )
        with self.transaction():
            return self._set_status(
                encounter_id,
                (EncounterStatus.DRAFT, EncounterStatus.FINAL, EncounterStatus.PRINTED),
                "voided",
                {"status": str(EncounterStatus.VOID), "void_reason": reason.strip()},
                version,
            )

    @requires(Action.REOPEN)
    def reopen(self, encounter_id: int, *, version: int = 0) -> EncounterRecord:
        """Turn a final, printed or void encounter back into a draft to correct it.

        The billed lines are dropped (the audit log keeps them); finalising again re-prices the lines
        with the fees of the date of service and keeps the document number.
        """
        with self.transaction():
            return self._set_status(
                encounter_id,
                (EncounterStatus.FINAL, EncounterStatus.PRINTED, EncounterStatus.VOID),
                "reopened",
                {"status": str(EncounterStatus.DRAFT), "coded_at": None, "void_reason": ""},
                version,
            )

    @requires(Action.PAYMENTS)
    def record_payment(self, encounter_id: int, paid_cents: int, *, version: int = 0) -> EncounterRecord:
        """Set how much was paid at the desk for this encounter (whole cents, zero or more).

        ``version`` is the version the user saw: a payment another program recorded meanwhile is never
        overwritten unseen (``StaleRecordError``)."""
        if not isinstance(paid_cents, int) or paid_cents < 0:
            raise InputError("Amount paid: type an amount of zero or more.", field="paid_cents")
        with self.transaction():
            current = self.get_encounter(encounter_id)
            self._check_version(current, version)
            self._update(
                "encounters",
                encounter_id,
                {
                    "paid_cents": paid_cents,
                    "updated_at": self.now().isoformat(),
                    "version": current.version + 1,
                },
            )
            saved = self.get_encounter(encounter_id)
            self._audit(
                "encounter", encounter_id, "payment", rows.as_json_value(current), rows.as_json_value(saved)
            )
        return saved
