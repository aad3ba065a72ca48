"""Import a day's encounters exported by another system (the contract is docs/import.md).

The whole file is read and its shape checked before anything is written, so an unreadable file stores
nothing. Then each encounter is handled on its own: its patient and provider are resolved, it is coded
by the engine, and it is stored — patient, draft and finalisation in one transaction — as **final**
when the engine found no error, else as a **draft** that keeps the messages for the front desk. An
encounter that cannot be stored at all (no way to tell who the patient is, an unknown provider, lesions
the engine cannot read) is reported as ``rejected`` and leaves no trace; it never stops the others.
An encounter already in the database (same patient, day, provider and lesions) is recognised and not
stored twice.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from core.coding import code_encounter, validate
from core.coding.model import CodingResult, Encounter, LesionGroup, Message, Severity
from core.coding.parse import encounter_from_json
from core.errors import InputError
from core.npi import npi_problem
from core.store import EncounterRecord, EncounterStatus, Patient, Payer, Provider, Store
from core.store.patients import normalise_name

#: rule ids of the importer's own findings (the engine's rule ids are in docs/cli.md)
RULE_INVALID_INPUT = "INVALID_INPUT"
RULE_UNKNOWN_PROVIDER = "UNKNOWN_PROVIDER"
RULE_ALREADY_IMPORTED = "ALREADY_IMPORTED"
RULE_PATIENT_DIFFERS = "PATIENT_DIFFERS"
RULE_PAYER_DIFFERS = "PAYER_DIFFERS"
RULE_CANNOT_FINALIZE = "CANNOT_FINALIZE"
SELF_PAY = "self_pay"

STATUS_FINAL = "final"
STATUS_DRAFT = "draft"
STATUS_REJECTED = "rejected"

_PATIENT_TEXT_FIELDS = ("chart_number", "first_name", "last_name", "sex", "payer", "member_id")
#: fields of the patient form whose errors (from ``Store.save_patient``) are about the file's patient
_PATIENT_FORM_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "chart_number", "member_id")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POS = re.compile(r"\d{2}")


@dataclass(frozen=True)
class ImportedEncounter:
    """What happened to the encounter at position ``index`` of the file.

    ``status`` is ``final`` or ``draft`` when it is in the database (``encounter_id`` set), or
    ``rejected`` when it could not be stored (``encounter_id`` is ``None``; ``messages`` say why).
    """

    index: int
    encounter_id: int | None
    status: str
    messages: tuple[Message, ...]


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import, in file order."""

    encounters: tuple[ImportedEncounter, ...]

    @property
    def final(self) -> int:
        """How many encounters of the file are stored as final."""
        return sum(1 for e in self.encounters if e.status == STATUS_FINAL)

    @property
    def draft(self) -> int:
        """How many encounters of the file are stored as drafts."""
        return sum(1 for e in self.encounters if e.status == STATUS_DRAFT)

    @property
    def imported(self) -> int:
        """How many encounters of the file are in the database (final and draft)."""
        return self.final + self.draft

    @property
    def rejected(self) -> int:
        """How many encounters could not be stored."""
        return sum(1 for e in self.encounters if e.status == STATUS_REJECTED)

    def to_json(self) -> dict[str, Any]:
        """The contract's output object."""
        return {
            "imported": self.imported,
            "final": self.final,
            "draft": self.draft,
            "encounters": [
                {
                    "index": e.index,
                    "encounter_id": e.encounter_id,
                    "status": e.status,
                    "messages": [
                        {"severity": str(m.severity), "rule": m.rule, "field": m.field, "text": m.text}
                        for m in e.messages
                    ],
                }
                for e in self.encounters
            ],
        }


class _RejectedError(Exception):
    """An encounter that cannot be stored; carries the messages that say why."""

    def __init__(self, messages: Sequence[Message]) -> None:
        super().__init__(messages[0].text if messages else "rejected")
        self.messages = tuple(messages)


def _error(field: str | None, text: str, rule: str = RULE_INVALID_INPUT) -> Message:
    return Message(Severity.ERROR, rule, field, text)


# ---------------------------------------------------------------------------------------------------------
# Reading the file: all or nothing


def parse_import(text: str | bytes, *, source: str = "the import file") -> list[dict[str, Any]]:
    """The encounters of an import file, or ``InputError`` when the file is not readable as a whole.

    Only the outer shape is checked here (an object whose ``encounters`` is a list of objects); what
    is inside each encounter is checked one encounter at a time, so one bad entry never blocks a day.
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        where = f" (line {err.lineno}, column {err.colno})" if isinstance(err, json.JSONDecodeError) else ""
        raise InputError(
            f"{source} is not valid JSON{where}: {err}. Nothing was imported. "
            "Export the day again from the other system, or fix the file.",
            field="file",
        ) from err
    if not isinstance(data, dict) or "encounters" not in data:
        raise InputError(
            f'{source} is not an import file: it must be a JSON object with a list called "encounters". '
            "Nothing was imported.",
            field="encounters",
        )
    encounters = data["encounters"]
    if not isinstance(encounters, list):
        raise InputError(
            f'{source}: "encounters" must be a list of encounters. Nothing was imported.', field="encounters"
        )
    for index, item in enumerate(encounters):
        if not isinstance(item, dict):
            raise InputError(
                f"{source}: encounters[{index}] is not an object with the encounter's fields. "
                "Nothing was imported.",
                field=f"encounters[{index}]",
            )
    return encounters


# ---------------------------------------------------------------------------------------------------------
# One encounter


def _text(raw: Mapping[str, Any], name: str, field: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _RejectedError([_error(field, f"{field} must be text in quotes, not {json.dumps(value)}.")])
    return value.strip()


def _patient_from(raw: object) -> tuple[Patient, str]:
    """The patient as the file describes it (not yet matched) and the payer word it names.

    Raises ``_RejectedError`` when the patient cannot be identified.
    """
    if not isinstance(raw, dict):
        raise _RejectedError(
            [
                _error(
                    "patient",
                    "patient is missing: give the patient's chart number or name and date of birth.",
                )
            ]
        )
    texts = {name: _text(raw, name, f"patient.{name}") for name in _PATIENT_TEXT_FIELDS}
    problems: list[Message] = []
    for name in ("first_name", "last_name"):
        if not texts[name]:
            problems.append(
                _error(
                    f"patient.{name}",
                    f"patient.{name} is missing: type the patient's {name.replace('_', ' ')}.",
                )
            )
    dob_raw = raw.get("date_of_birth")
    dob: date | None = None
    if not isinstance(dob_raw, str):
        problems.append(
            _error(
                "patient.date_of_birth",
                "patient.date_of_birth is missing: give it as YYYY-MM-DD, for example 1950-12-10.",
            )
        )
    else:
        try:
            dob = date.fromisoformat(dob_raw.strip())
        except ValueError:
            problems.append(
                _error(
                    "patient.date_of_birth",
                    f"patient.date_of_birth “{dob_raw}” is not a date: write it as YYYY-MM-DD.",
                )
            )
    sex = texts["sex"].upper() or "U"
    if sex not in ("F", "M", "U"):
        problems.append(_error("patient.sex", f"patient.sex “{texts['sex']}” is not F, M or U."))
    if problems:
        raise _RejectedError(problems)
    assert dob is not None
    patient = Patient(
        first_name=texts["first_name"],
        last_name=texts["last_name"],
        date_of_birth=dob,
        sex=sex,
        chart_number=texts["chart_number"],
        member_id=texts["member_id"],
    )
    return patient, texts["payer"].lower()


def _lesion_key(group: LesionGroup) -> tuple[Any, ...]:
    diagnosis = group.diagnosis.replace(".", "").strip().upper()
    return (
        str(group.kind),
        group.count,
        group.site,
        group.method,
        diagnosis,
        group.diameter_cm,
        group.area_sq_cm,
    )


def same_lesions(a: Sequence[LesionGroup], b: Sequence[LesionGroup]) -> bool:
    """True when two encounters record the same lesion entries (in any order, dots in codes ignored)."""
    return Counter(_lesion_key(g) for g in a) == Counter(_lesion_key(g) for g in b)


def _word(value: object) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def _positive_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        return None
    return float(value)


def _lenient_lesion(value: object) -> LesionGroup | None:
    """A lesion entry a draft can hold even when the engine refused it, or ``None`` when it cannot.

    The kind, site and method must be words the program knows and the count a whole number (the window
    edits those with fixed choices); a zero or huge count, a missing or unbillable diagnosis and a
    missing size are kept as typed for the front desk to correct.
    """
    if not isinstance(value, dict):
        return None
    kind = validate.lesion_kind(_word(value.get("kind")))
    count = value.get("count")
    if isinstance(count, float) and count.is_integer():
        count = int(count)
    site, method = _word(value.get("site")), _word(value.get("method"))
    diagnosis = value.get("diagnosis")
    if diagnosis is None:
        diagnosis = ""
    if (
        kind is None
        or site is None
        or method is None
        or isinstance(count, bool)
        or not isinstance(count, int)
        or validate.check_site(site, "site")
        or validate.check_method(method, "method")
        or not isinstance(diagnosis, str)
    ):
        return None
    return LesionGroup(
        kind,
        count,
        site,
        method,
        diagnosis.strip(),
        _positive_number(value.get("diameter_cm")),
        _positive_number(value.get("area_sq_cm")),
    )


def draft_encounter(raw: Mapping[str, Any]) -> Encounter | None:
    """The encounter as a draft can hold it after the engine refused it, or ``None`` when it cannot.

    A draft needs a real date, a two-digit place of service and lesion entries of a known kind, site and
    method with a whole count; a diagnosis the code set does not bill, a date in the future, a missing
    size, a count out of range or an unknown place-of-service code can be fixed in the window, so those
    are kept as typed.
    """
    when = raw.get("date_of_service")
    pos = raw.get("place_of_service")
    em_code = raw.get("em_code")
    lesions = raw.get("lesions")
    if not isinstance(when, str) or not _ISO_DATE.fullmatch(when.strip()):
        return None
    try:
        day = date.fromisoformat(when.strip())
    except ValueError:
        return None
    if not isinstance(pos, str) or not _POS.fullmatch(pos.strip()):
        return None
    if em_code is not None and not (isinstance(em_code, str) and em_code.strip()):
        return None
    if not isinstance(lesions, list):
        return None
    groups = [_lenient_lesion(item) for item in lesions]
    if any(g is None for g in groups):
        return None
    return Encounter(
        date_of_service=day,
        place_of_service=pos.strip(),
        lesions=tuple(g for g in groups if g is not None),
        em_code=em_code.strip() if isinstance(em_code, str) else None,
    )


@dataclass(frozen=True)
class _Plan:
    """Everything decided about one encounter before anything is written."""

    wanted: Patient
    payer: Payer | None
    patient: Patient | None
    provider: Provider
    encounter: Encounter
    result: CodingResult | None  # None: the engine could not read it; stored as a draft as typed
    messages: tuple[Message, ...]


class Importer:
    """Imports encounters into one store; ``today`` is the day used to reject future dates of service."""

    def __init__(self, store: Store, *, today: date) -> None:
        self.store = store
        self.today = today
        self._providers = {p.npi: p for p in store.providers(include_inactive=True)}
        self._payers = store.payers()

    def run(self, encounters: Sequence[Mapping[str, Any]]) -> ImportReport:
        """Import every encounter (already shape-checked by ``parse_import``), each in its own transaction."""
        return ImportReport(tuple(self.one(index, raw) for index, raw in enumerate(encounters)))

    def one(self, index: int, raw: Mapping[str, Any]) -> ImportedEncounter:
        """Resolve, code and store one encounter; a problem rejects only this one and stores none of it."""
        try:
            plan = self._plan(raw)
            if plan.patient is not None:
                existing = self._already_stored(plan.patient, plan.provider, plan.encounter)
                if existing is not None:
                    return self._recognised(index, existing, plan.messages)
            return self._store(index, plan)
        except _RejectedError as rejected:
            return ImportedEncounter(index, None, STATUS_REJECTED, rejected.messages)
        except InputError as err:
            field = f"patient.{err.field}" if err.field in _PATIENT_FORM_FIELDS else err.field
            return ImportedEncounter(index, None, STATUS_REJECTED, (_error(field, err.text),))

    # -- deciding ----------------------------------------------------------------------------------

    def _plan(self, raw: Mapping[str, Any]) -> _Plan:
        wanted, payer_word = _patient_from(raw.get("patient"))
        provider, notes = self._provider(raw)
        patient, patient_notes = self._match_patient(wanted)
        notes += patient_notes
        payer, payer_notes = self._payer_of(patient, wanted, payer_word)
        notes += payer_notes
        coding_input = {k: v for k, v in raw.items() if k not in ("patient", "provider_npi")}
        coding_input["payer"] = payer.coding_payer if payer is not None else SELF_PAY
        encounter, parse_messages = encounter_from_json(coding_input, today=self.today)
        if encounter is None:
            as_typed = draft_encounter(coding_input)
            if as_typed is None:
                why = [*notes, *parse_messages] or [_error(None, "The encounter could not be read.")]
                raise _RejectedError(why)
            return _Plan(wanted, payer, patient, provider, as_typed, None, (*notes, *parse_messages))
        if patient is not None and patient.id is not None:
            history = self.store.prior_services(patient.id, encounter.date_of_service)
            encounter = replace(encounter, prior_services=(*encounter.prior_services, *history))
        settings = replace(self.store.coding_settings(payer), today=self.today)
        result = code_encounter(encounter, settings)
        return _Plan(wanted, payer, patient, provider, encounter, result, (*notes, *result.messages))

    def _provider(self, raw: Mapping[str, Any]) -> tuple[Provider, list[Message]]:
        """The rendering provider; a wrong or unknown NPI gives the default provider and an error.

        The error keeps the encounter a draft (never billed) until the front desk picks the provider.
        """
        default = self.store.default_provider()
        npi = raw.get("provider_npi")
        if npi is None:
            return default, []
        if not isinstance(npi, str):
            problem = f"provider_npi {json.dumps(npi)} is not an NPI; write the 10 digits in quotes"
            rule = RULE_INVALID_INPUT
        elif (why := npi_problem(npi)) is not None:
            problem, rule = f"provider_npi: {why}", RULE_INVALID_INPUT
        else:
            provider = self._providers.get(npi.strip())
            if provider is not None and provider.active:
                return provider, []
            problem = f"provider_npi {npi.strip()} is not an active provider of this practice"
            rule = RULE_UNKNOWN_PROVIDER
        text = (
            f"{problem}. The encounter was kept as a draft under {default.display_name}: choose the "
            "right provider in the window (or add the provider in Settings), then finalise it."
        )
        return default, [_error("provider_npi", text, rule)]

    def _match_patient(self, wanted: Patient) -> tuple[Patient | None, list[Message]]:
        notes: list[Message] = []
        if wanted.chart_number:
            found = self.store.patient_by_chart_number(wanted.chart_number)
            if found is not None and (
                normalise_name(found.last_name) != normalise_name(wanted.last_name)
                or found.date_of_birth != wanted.date_of_birth
            ):
                notes.append(
                    Message(
                        Severity.WARNING,
                        RULE_PATIENT_DIFFERS,
                        "patient.chart_number",
                        f"Chart number {found.chart_number} belongs to {found.display_name}, born "
                        f"{found.date_of_birth.isoformat()}, but the file says {wanted.display_name}, born "
                        f"{wanted.date_of_birth.isoformat()}. Check that this is the right patient.",
                    )
                )
            return found, notes
        candidates = self.store.patients_named(wanted.first_name, wanted.last_name, wanted.date_of_birth)
        return (candidates[0] if candidates else None), notes

    def _payer_of(
        self, patient: Patient | None, wanted: Patient, word: str
    ) -> tuple[Payer | None, list[Message]]:
        """The existing patient's payer on file, or the payer the file names for a new patient.

        A new patient whose payer is unknown, or lacks the member id that payer needs, is saved
        without insurance and the encounter stays a draft with an error saying what to add.
        """
        if patient is not None:
            return self._payer_on_file(patient, word)
        if not word:
            return None, []
        payer = next((p for p in self._payers if p.coding_payer == word), None)
        if payer is None:
            known = ", ".join(sorted({p.coding_payer for p in self._payers}))
            problem, field = (
                f"patient.payer “{word}” is not a payer of this practice (they are: {known})",
                "payer",
            )
        elif payer.needs_member_id and not wanted.member_id:
            problem, field = f"patient.member_id is missing; {payer.name} needs the member ID", "member_id"
        else:
            return payer, []
        text = (
            f"{problem}. The patient was saved without insurance and the encounter kept as a draft: "
            "add the insurance to the patient's record in the window, then finalise the encounter."
        )
        return None, [_error(f"patient.{field}", text)]

    def _payer_on_file(self, patient: Patient, word: str) -> tuple[Payer | None, list[Message]]:
        """An existing patient is coded with the payer on file; the file's payer is only compared."""
        on_file = None if patient.payer_id is None else self.store.get_payer(patient.payer_id)
        on_file_word = SELF_PAY if on_file is None else on_file.coding_payer
        if not word or word == on_file_word:
            return on_file, []
        if on_file is None:
            return None, [
                _error(
                    "patient.payer",
                    f"patient.payer: the file says “{word}”, but {patient.display_name} has no insurance "
                    "on file. The encounter was kept as a draft: add the insurance to the patient's "
                    "record in the window, then finalise it.",
                )
            ]
        return on_file, [
            Message(
                Severity.WARNING,
                RULE_PAYER_DIFFERS,
                "patient.payer",
                f"The file says the payer is “{word}”, but {patient.display_name}'s insurance on file is "
                f"{on_file.name}; the encounter was coded for {on_file.name}. Update the patient's "
                "insurance in the window if it changed, and code the encounter again.",
            )
        ]

    def _already_stored(
        self, patient: Patient, provider: Provider, encounter: Encounter
    ) -> EncounterRecord | None:
        for record in self.store.encounters_on(encounter.date_of_service):
            if (
                record.patient_id == patient.id
                and record.provider_id == provider.id
                and record.status is not EncounterStatus.VOID
                and same_lesions(record.lesions, encounter.lesions)
            ):
                return record
        return None

    # -- storing -----------------------------------------------------------------------------------

    def _recognised(
        self, index: int, existing: EncounterRecord, notes: tuple[Message, ...]
    ) -> ImportedEncounter:
        assert existing.id is not None
        status = STATUS_DRAFT if existing.status is EncounterStatus.DRAFT else STATUS_FINAL
        note = Message(
            Severity.INFO,
            RULE_ALREADY_IMPORTED,
            None,
            f"This encounter is already in the database as number {existing.id}; it was not added again.",
        )
        kept = tuple(m for m in notes if m.rule == RULE_PATIENT_DIFFERS)
        return ImportedEncounter(index, existing.id, status, (*kept, note, *existing.messages))

    def _store(self, index: int, plan: _Plan) -> ImportedEncounter:
        messages = plan.messages
        with self.store.transaction():
            patient = plan.patient
            if patient is None:
                payer_id = plan.payer.id if plan.payer is not None else None
                patient = self.store.save_patient(replace(plan.wanted, payer_id=payer_id))
            assert patient.id is not None and plan.provider.id is not None
            draft = EncounterRecord(
                patient_id=patient.id,
                provider_id=plan.provider.id,
                date_of_service=plan.encounter.date_of_service,
                place_of_service=plan.encounter.place_of_service,
                em_code=plan.encounter.em_code,
                lesions=plan.encounter.lesions,
                messages=messages,
            )
            record = self.store.save_draft(draft)
            assert record.id is not None
            if plan.result is None or any(m.severity is Severity.ERROR for m in messages):
                return ImportedEncounter(index, record.id, STATUS_DRAFT, messages)
            try:
                with self.store.transaction():
                    self.store.finalize(record.id, plan.result)
            except InputError as err:  # e.g. no fee for a code on that date: the front desk adds it
                messages = (*messages, _error(err.field, err.text, RULE_CANNOT_FINALIZE))
                self.store.save_draft(replace(record, messages=messages))
                return ImportedEncounter(index, record.id, STATUS_DRAFT, messages)
            return ImportedEncounter(index, record.id, STATUS_FINAL, messages)


def import_encounters(
    store: Store, text: str | bytes, *, today: date | None = None, source: str = "the import file"
) -> ImportReport:
    """Import the JSON ``text`` into ``store``: the one call the command line and the window make.

    ``today`` (default: the store's today) is the last acceptable date of service. Raises
    ``InputError`` — and stores nothing — when the file as a whole cannot be read.
    """
    encounters = parse_import(text, source=source)
    return Importer(store, today=today or store.today()).run(encounters)
