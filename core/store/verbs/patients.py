"""Verbs for patients: look-ups, the search box, duplicate hints, chart numbers and saving the form."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.accounts import Action
from core.errors import InputError, NotFoundError
from core.store import patient_search, rows
from core.store.patients import checked_patient, dates_look_alike, names_look_alike, normalise_name
from core.store.records import (
    Patient,
    Payer,
)
from core.store.verbs.base import requires
from core.store.verbs.practice import PracticeVerbs

#: the first chart number handed out by ``next_chart_number`` in an empty practice
FIRST_CHART_NUMBER = 1001


class PatientVerbs(PracticeVerbs):
    """Patients (saving one checks its payer)."""

    # -- patients ---------------------------------------------------------------------------------

    @requires(Action.VIEW_PATIENTS)
    def get_patient(self, patient_id: int) -> Patient:
        """The patient with this id, or ``NotFoundError``."""
        missing = f"There is no patient number {patient_id}. Search for the patient by name."
        return self._get("patients", patient_id, rows.patient_from, missing)

    @requires(Action.VIEW_PATIENTS)
    def patient_by_chart_number(self, chart_number: str) -> Patient | None:
        """The patient with this chart number (letter case ignored), or ``None``."""
        row = self._one(
            "SELECT * FROM patients WHERE chart_number = ? COLLATE NOCASE", [chart_number.strip()]
        )
        return None if row is None else rows.patient_from(row)

    @requires(Action.VIEW_PATIENTS)
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

    @requires(Action.VIEW_PATIENTS)
    def search_patients(self, query: str, limit: int = 50) -> list[Patient]:
        """Patients matching what was typed in the search box, best matches first.

        Words are matched against the start of the first or last name, or of any word of a compound
        name (``lov`` finds Lovelace, ``lopez`` finds García López; ``ada lov`` needs both); a date
        (``MM/DD/YYYY`` or ``YYYY-MM-DD``) matches the date of birth; a chart number matches exactly
        (listed first) or by its beginning. All words must match. Reads at most ``limit`` rows per
        index it uses, so it stays fast with tens of thousands of patients (``core.store.patient_search``).
        """
        return [rows.patient_from(r) for r in patient_search.search(self.conn, query, limit)]

    @requires(Action.VIEW_PATIENTS)
    def browse_patients(self, limit: int = 200) -> list[Patient]:
        """The first ``limit`` patients in the search's order (last name, first name, date of birth):
        what an empty search lists, so the front desk can browse. Reads them from the name index."""
        found = self._query(
            f"SELECT * FROM patients ORDER BY {patient_search.ORDER} LIMIT ?",
            [limit],
        )
        return [rows.patient_from(r) for r in found]

    @requires(Action.VIEW_PATIENTS)
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

    @requires(Action.VIEW_PATIENTS)
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

    @requires(Action.EDIT_PATIENTS)
    def save_patient(self, patient: Patient) -> Patient:
        """Add (``id`` None) or update a patient after checking the form; returns the saved patient.

        Raises ``InputError`` naming the field: names required, date of birth not in the future, ZIP
        and state format, a member id for insured payers, a chart number not used by someone else.
        An empty chart number gets ``next_chart_number()``.
        """
        payer = None if patient.payer_id is None else self._payer_for_patient(patient.payer_id)
        secondary = (
            None
            if patient.secondary_payer_id is None
            else self._payer_for_patient(patient.secondary_payer_id, field="secondary_payer_id")
        )
        p = checked_patient(patient, payer, self.today(), secondary)
        with self.transaction():
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
            return self._save_record("patients", "patient", p, row, self.get_patient)

    def _payer_for_patient(self, payer_id: int, *, field: str = "payer_id") -> Payer:
        try:
            return self.get_payer(payer_id)
        except NotFoundError:
            which = "second insurance" if field == "secondary_payer_id" else "insurance"
            raise InputError(f"Payer: choose the patient's {which} from the list.", field=field) from None
