"""Import a day's encounters exported by another system (the contract is docs/import.md).

The whole file is read and its shape checked before anything is written, so an unreadable file stores
nothing. Then each encounter is handled on its own: its patient and provider are resolved, it is coded
by the engine, and it is stored — patient, draft and finalisation in one transaction — as **final**
when the engine found no error, else as a **draft** that keeps the messages for the front desk. What a
draft cannot hold (a lesion entry of an unknown kind, site or method or with a count that is not a whole
number, a place of service that is not two digits, a field the program does not know) is left out of
it and quoted whole, as the file gave it, in an error message, so nothing the other system sent is
lost. Only an encounter that cannot be stored at all (no way to tell or create who the patient is, no
real date of service) is reported as ``rejected`` and leaves no trace; it never stops the others.
An encounter already in the database (same patient, day, provider and lesion entries, the left-out
ones read back from the draft's messages) is recognised and not stored twice."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from core import visit
from core.coding import code_encounter, rules, validate
from core.coding.model import CodingResult, Encounter, LesionGroup, Message, Severity
from core.coding.parse import ENCOUNTER_FIELDS, LESION_FIELDS, encounter_from_json
from core.errors import InputError, StoreError
from core.json_input import MAX_DEPTH, MAX_NUMBER_DIGITS, JsonInputError, load_json, lone_surrogate
from core.npi import npi_problem
from core.store import (
    EncounterRecord,
    EncounterStatus,
    Patient,
    Payer,
    PricedLine,
    Provider,
    Store,
    connections,
)
from core.store.patients import OLDEST_BIRTH, normalise_name

#: rule ids of the importer's own findings (the engine's rule ids are in docs/cli.md)
RULE_INVALID_INPUT = "INVALID_INPUT"
RULE_UNKNOWN_PROVIDER = "UNKNOWN_PROVIDER"
RULE_ALREADY_IMPORTED = "ALREADY_IMPORTED"
RULE_PATIENT_DIFFERS = "PATIENT_DIFFERS"
RULE_PAYER_DIFFERS = "PAYER_DIFFERS"
RULE_CANNOT_FINALIZE = "CANNOT_FINALIZE"
RULE_DATABASE_UNUSABLE = "DATABASE_UNUSABLE"
SELF_PAY = "self_pay"

STATUS_FINAL = "final"
STATUS_DRAFT = "draft"
STATUS_REJECTED = "rejected"

_PATIENT_TEXT_FIELDS = ("chart_number", "first_name", "last_name", "sex", "payer", "member_id")
#: fields of the patient form whose errors (from ``Store.save_patient``) are about the file's patient
_PATIENT_FORM_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "chart_number", "member_id")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POS = re.compile(r"\d{2}")
#: counts and sizes beyond this are not kept as typed (SQLite holds 64-bit integers); the entry is quoted
_MAX_STORED = 10**9
#: how a left-out value is quoted in its message; ``left_out_keys`` reads it back to recognise a re-import
_LEFT_OUT_MARK = "the other system sent "
_LEFT_OUT_QUOTE = re.compile(re.escape(_LEFT_OUT_MARK) + r"(?P<field>[A-Za-z_][\w]*(?:\[\d+\])?) = ")


@dataclass(frozen=True)
class Limit:
    """At most ``most`` ``unit`` of ``what``: one row of the limits of an import file."""

    what: str
    most: int
    unit: str

    def __str__(self) -> str:
        return f"{self.most:,} {self.unit}"


#: Every limit of an import file, far above what a real practice sends, so that a broken or hostile
#: export cannot fill the memory, the database or its append-only audit log. docs/import.md ("Limits")
#: mirrors this table row by row (a test compares them). Keys that are field paths (``lesions[]`` for
#: every entry) limit the text of that field; a value that is not text is held to ``quoted``.
LIMITS: dict[str, Limit] = {
    "file": Limit("the import file", 5_000_000, "bytes"),
    "depth": Limit("levels of {…} and […] inside each other", MAX_DEPTH, "levels"),
    "digits": Limit("digits in one number", MAX_NUMBER_DIGITS, "digits"),
    "encounters": Limit("encounters in one file", 1_000, "encounters"),
    "lesions": Limit("lesion entries of one encounter", 100, "entries"),
    "prior_services": Limit("prior services of one encounter", 100, "entries"),
    "unknown_fields": Limit("fields of one encounter that the program does not know", 20, "fields"),
    "field_name": Limit("the name of a field", 100, "characters"),
    "quoted": Limit(
        "one lesion entry or prior service, a field the program does not know, or any other value that is "
        "not text, written as one line of JSON",
        1_000,
        "characters",
    ),
    "patient.chart_number": Limit("patient.chart_number", 30, "characters"),
    "patient.first_name": Limit("patient.first_name", 100, "characters"),
    "patient.last_name": Limit("patient.last_name", 100, "characters"),
    "patient.date_of_birth": Limit("patient.date_of_birth", 30, "characters"),
    "patient.sex": Limit("patient.sex", 20, "characters"),
    "patient.payer": Limit("patient.payer", 40, "characters"),
    "patient.member_id": Limit("patient.member_id", 40, "characters"),
    "provider_npi": Limit("provider_npi", 20, "characters"),
    "date_of_service": Limit("date_of_service", 30, "characters"),
    "place_of_service": Limit("place_of_service", 10, "characters"),
    "em_code": Limit("em_code", 10, "characters"),
    "payer": Limit("payer", 40, "characters"),
    "lesions[].kind": Limit("lesions[].kind", 40, "characters"),
    "lesions[].site": Limit("lesions[].site", 40, "characters"),
    "lesions[].method": Limit("lesions[].method", 40, "characters"),
    "lesions[].diagnosis": Limit("lesions[].diagnosis", 20, "characters"),
    "prior_services[].date_of_service": Limit("prior_services[].date_of_service", 30, "characters"),
    "prior_services[].cpt": Limit("prior_services[].cpt", 20, "characters"),
}
#: the first date of service an import accepts: ICD-10-CM codes (the only ones the program bills) are
#: used in the United States for services from this day on
FIRST_DATE_OF_SERVICE = date(2015, 10, 1)
#: how far after today a date of service may lie: later is surely a typing mistake (within it, a
#: future date is kept in a draft for the front desk to correct, as the contract says)
MAX_DAYS_AHEAD = 365


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
    #: why the import stopped before the end of the file (the database could not be written), with
    #: which encounters were stored and which were not; ``None`` when every encounter was handled
    stopped: Message | None = None

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
        out: dict[str, Any] = {
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
        if self.stopped is not None:  # our extension, as for a file that stored nothing (docs/import.md)
            m = self.stopped
            out["messages"] = [
                {"severity": str(m.severity), "rule": m.rule, "field": m.field, "text": m.text}
            ]
        return out


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

    Checked here, for the whole file: its size, that it is text and JSON (``core.json_input``: no
    ``NaN``, no endless numbers, no deep nesting), the outer shape (an object whose ``encounters`` is a
    list of objects) and the number of encounters. What is inside each encounter is checked one
    encounter at a time, so one bad entry never blocks a day.
    """
    nothing = "Nothing was imported."
    limit = LIMITS["file"]
    size = len(text) if len(text) > limit.most else len(_encoded(text))
    if size > limit.most:
        raise InputError(
            f"{source} is too large: {size:,} bytes, and an import file may be at most {limit} "
            f"({limit.most // 1_000_000} MB; a day of even a busy practice is a small fraction of that). "
            f"{nothing} Export one day at a time, or check that this is the right file.",
            field="file",
        )
    if isinstance(text, bytes):
        try:
            text = text.decode(json.detect_encoding(text))
        except UnicodeDecodeError as err:
            raise InputError(
                f"{source} is not UTF-8 text (byte {err.start + 1} cannot be read). {nothing} "
                "Export the day again from the other system as UTF-8, or save the file as UTF-8.",
                field="file",
            ) from None
    try:
        data = load_json(text, subject=source)
    except JsonInputError as err:
        raise InputError(
            f"{err.text} {nothing} Export the day again from the other system, or fix the file.", field="file"
        ) from None
    if not isinstance(data, dict) or "encounters" not in data:
        raise InputError(
            f'{source} is not an import file: it must be a JSON object with a list called "encounters". '
            f"{nothing}",
            field="encounters",
        )
    encounters = data["encounters"]
    if not isinstance(encounters, list):
        raise InputError(
            f'{source}: "encounters" must be a list of encounters. {nothing}', field="encounters"
        )
    most = LIMITS["encounters"]
    if len(encounters) > most.most:
        raise InputError(
            f"{source} holds {len(encounters):,} encounters; one import file may hold at most {most}. "
            f"{nothing} Export one day at a time.",
            field="encounters",
        )
    for index, item in enumerate(encounters):
        if not isinstance(item, dict):
            raise InputError(
                f"{source}: encounters[{index}] is not an object with the encounter's fields. {nothing}",
                field=f"encounters[{index}]",
            )
    return encounters


def _encoded(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------------------------------------------
# One encounter


_NOT_STORED = (
    "This encounter was not stored. Have the other system's export corrected (or enter the visit in the "
    "window), then import the file again: the encounters already stored are recognised and not added twice."
)


def _too_long(field: str, size: int, limit: Limit, what: str) -> Message:
    return _error(
        field,
        f"{field} is {size:,} {limit.unit} long; {what} may be at most {limit}, more than a real one ever "
        f"is. {_NOT_STORED}",
    )


def _limit_problems(raw: Mapping[str, Any]) -> list[Message]:
    """Errors for an encounter beyond the limits of ``LIMITS``, or holding text that is not text.

    Such an encounter is rejected whole, before anything of it is used: a broken character cannot be
    stored at all, and a value far longer than any real one would be copied into the database and its
    audit log (a value a draft cannot hold is quoted whole in a note, never cut, so it is refused instead).
    """
    broken = lone_surrogate(raw)
    if broken is not None:
        return [
            _error(
                broken,
                f"{broken} holds a broken character (half of a UTF-16 pair, written \\ud800 to \\udfff in "
                f"the file), which is not text and cannot be stored. {_NOT_STORED}",
            )
        ]
    unknown = [key for key in raw if key not in (*ENCOUNTER_FIELDS, "patient", "provider_npi")]
    if len(unknown) > LIMITS["unknown_fields"].most:
        names = ", ".join(_shorten(key) for key in unknown[:3])
        return [
            _error(
                None,
                f"The encounter has {len(unknown)} fields the program does not know ({names}…); "
                f"at most {LIMITS['unknown_fields']} can be kept as notes. {_NOT_STORED}",
            )
        ]
    problems: list[Message] = []
    for key, value in raw.items():
        if len(key) > LIMITS["field_name"].most:
            problems.append(_too_long(_shorten(key), len(key), LIMITS["field_name"], "the name of a field"))
        elif key == "patient":
            if isinstance(value, dict):
                for name in (*_PATIENT_TEXT_FIELDS, "date_of_birth"):
                    problems += _value_problems(f"patient.{name}", value.get(name))
        elif key in ("lesions", "prior_services") and isinstance(value, list):
            problems += _entries_problems(key, value)
        else:
            problems += _value_problems(key, value)
    return problems


def _shorten(name: str) -> str:
    return name if len(name) <= 30 else f"{name[:27]}..."


def _value_problems(field: str, value: object) -> list[Message]:
    """An error when the text of ``field`` is longer than its limit, or another value than its quote's."""
    path = re.sub(r"\[\d+\]", "[]", field)
    limit = LIMITS.get(path)
    if limit is not None and limit.what != path:  # not a text field's row (``lesions``: how many entries)
        limit = None
    if isinstance(value, str) and limit is not None:
        return [] if len(value) <= limit.most else [_too_long(field, len(value), limit, field)]
    quoted = LIMITS["quoted"]
    if (
        value is None
        or isinstance(value, bool | int | float)
        or (isinstance(value, str) and len(value) < 100)
    ):
        return []
    size = len(_compact(value))
    return [] if size <= quoted.most else [_too_long(field, size, quoted, "as one line of JSON, it")]


def _entries_problems(field: str, entries: list[Any]) -> list[Message]:
    """Errors for too many lesion entries or prior services, or for one too long."""
    limit = LIMITS[field]
    if len(entries) > limit.most:
        return [
            _error(
                field,
                f"{field} has {len(entries):,} entries; one encounter may have at most {limit}, more than a "
                f"visit ever has. {_NOT_STORED}",
            )
        ]
    problems: list[Message] = []
    for index, entry in enumerate(entries):
        where = f"{field}[{index}]"
        found: list[Message] = []
        if isinstance(entry, dict):
            for key, value in entry.items():
                if isinstance(value, str) and len(key) <= LIMITS["field_name"].most:
                    found += _value_problems(f"{where}.{key}", value)
        problems += found or _value_problems(where, entry)
    return problems


@dataclass(frozen=True)
class _FilePatient:
    """The patient as the file describes it, before matching.

    ``problems`` say why no new patient can be created from it (a name or the date of birth missing or
    unreadable): the encounter is rejected unless its chart number finds a patient on file. ``notes``
    are errors about values that are not used (quoted, keeping the encounter a draft); ``new_notes``
    are those that matter only when the patient is created from the file (sex, payer, member ID).
    """

    first_name: str
    last_name: str
    date_of_birth: date | None
    sex: str
    chart_number: str
    member_id: str
    payer_word: str
    problems: tuple[Message, ...]
    notes: tuple[Message, ...]
    new_notes: tuple[Message, ...]

    @property
    def display_name(self) -> str:
        return f"{self.last_name or '(no last name)'}, {self.first_name or '(no first name)'}"

    def new_patient(self, payer_id: int | None) -> Patient:
        """The patient to create; only called when there are no ``problems``."""
        assert self.date_of_birth is not None and not self.problems
        return Patient(
            first_name=self.first_name,
            last_name=self.last_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            chart_number=self.chart_number,
            member_id=self.member_id,
            payer_id=payer_id,
        )


def _not_text(field: str, value: object, consequence: str) -> Message:
    return _error(field, f"{field} must be text in quotes; the file has {_compact(value)}. {consequence}")


def _patient_from(raw: object, today: date) -> _FilePatient:
    """The patient as the file describes it (not yet matched); ``_RejectedError`` when there is none."""
    if not isinstance(raw, dict):
        raise _RejectedError(
            [
                _error(
                    "patient",
                    "patient is missing: give the patient's chart number or name and date of birth.",
                )
            ]
        )
    consequences = {
        "chart_number": "The patient was looked up by name and date of birth instead; check that it is the "
        "right patient and correct the chart number in the window.",
        "sex": "The patient was saved with sex U (unknown): correct it in the patient's record.",
        "payer": "The patient was saved without insurance: add it to the patient's record in the window.",
        "member_id": "The patient was saved without a member ID: add it to the patient's record.",
    }
    texts: dict[str, str] = {}
    problems: list[Message] = []
    notes: list[Message] = []
    new_notes: list[Message] = []
    for name in _PATIENT_TEXT_FIELDS:
        value, field = raw.get(name), f"patient.{name}"
        texts[name] = value.strip() if isinstance(value, str) else ""
        if value is None or isinstance(value, str):
            continue
        if name in ("first_name", "last_name"):
            problems.append(_not_text(field, value, "Correct the export and import the file again."))
        else:
            (notes if name == "chart_number" else new_notes).append(
                _not_text(field, value, consequences[name])
            )
    for name in ("first_name", "last_name"):
        if not texts[name] and isinstance(raw.get(name), str | None):
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
            if not _ISO_DATE.fullmatch(dob_raw.strip()):
                raise ValueError(dob_raw)
            dob = date.fromisoformat(dob_raw.strip())
        except ValueError:
            problems.append(
                _error(
                    "patient.date_of_birth",
                    f"patient.date_of_birth “{dob_raw}” is not a date: write it as YYYY-MM-DD.",
                )
            )
        else:
            if not OLDEST_BIRTH <= dob <= today:
                problems.append(
                    _error(
                        "patient.date_of_birth",
                        f"patient.date_of_birth {dob.isoformat()} is "
                        + (f"before {OLDEST_BIRTH.year}" if dob < OLDEST_BIRTH else "in the future")
                        + ": check the year in the other system.",
                    )
                )
    sex = texts["sex"].upper() or "U"
    if sex not in ("F", "M", "U"):
        new_notes.append(
            _error("patient.sex", f"patient.sex “{texts['sex']}” is not F, M or U. {consequences['sex']}")
        )
        sex = "U"
    return _FilePatient(
        first_name=texts["first_name"],
        last_name=texts["last_name"],
        date_of_birth=dob,
        sex=sex,
        chart_number=texts["chart_number"],
        member_id=texts["member_id"],
        payer_word=texts["payer"].lower(),
        problems=tuple(problems),
        notes=tuple(notes),
        new_notes=tuple(new_notes),
    )


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


def _readable_size(value: object) -> bool:
    """True when a draft can keep this size: absent, or a number (zero or less is kept as missing)."""
    if value is None:
        return True
    return not isinstance(value, bool) and isinstance(value, int | float) and abs(value) < _MAX_STORED


def _size(value: object) -> float | None:
    """A readable size as the draft keeps it: the number when positive, else missing (the window asks)."""
    return float(value) if isinstance(value, int | float) and value > 0 else None


def _lenient_lesion(value: object) -> LesionGroup | None:
    """A lesion entry a draft can hold even when the engine refused it, or ``None`` when it cannot.

    The kind, site and method must be words the program knows, the count a whole number and every field
    one the program knows (the window edits those with fixed choices); a zero or huge count, a missing or
    unbillable diagnosis and a missing size are kept as typed for the front desk to correct. An entry that
    cannot be held is left out of the draft by the caller and quoted whole in a message.
    """
    if not isinstance(value, dict) or any(key not in LESION_FIELDS for key in value):
        return None
    kind = validate.lesion_kind(_word(value.get("kind")))
    count = value.get("count")
    if isinstance(count, float) and math.isfinite(count) and count.is_integer():
        count = int(count)
    site, method = _word(value.get("site")), _word(value.get("method"))
    diagnosis = value.get("diagnosis")
    if diagnosis is None:
        diagnosis = ""
    diameter, area = value.get("diameter_cm"), value.get("area_sq_cm")
    if (
        kind is None
        or site is None
        or method is None
        or isinstance(count, bool)
        or not isinstance(count, int)
        or not -_MAX_STORED < count < _MAX_STORED
        or validate.check_site(site, "site")
        or validate.check_method(method, "method")
        or not isinstance(diagnosis, str)
        or not _readable_size(diameter)
        or not _readable_size(area)
    ):
        return None
    return LesionGroup(kind, count, site, method, diagnosis.strip(), _size(diameter), _size(area))


def _compact(value: object) -> str:
    """The value exactly as the file gave it, as one line of JSON (keys in the file's order)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _left_out_key(field: str, value: object) -> str:
    """What identifies a left-out value for recognising a re-import: where (any lesion position) and what."""
    where = re.sub(r"\[\d+\]", "[]", field)
    return f"{where}={json.dumps(value, ensure_ascii=False, separators=(',', ':'), sort_keys=True)}"


def _what_was_left_out(field: str, default_pos: str) -> tuple[str, str]:
    """What the draft did with a value it cannot hold, and what the front desk should do about it."""
    finish = "then finalise the encounter."
    if match := re.fullmatch(r"lesions\[(\d+)\]", field):
        return (
            f"Lesion entry {int(match[1]) + 1} of this encounter was left out of the draft",
            f"Re-enter it as a lesion row in the window, {finish}",
        )
    if field == "place_of_service":
        return (
            f"The draft has the practice's usual place of service ({default_pos}) instead",
            f"Choose the right place of service in the window, {finish}",
        )
    if field == "em_code":
        return "The office visit code was left out of the draft", f"Choose it in the window, {finish}"
    if field == "lesions":
        return "No lesion was put in the draft", f"Re-enter the lesions in the window, {finish}"
    return (
        f"“{field}” was left out of the draft",
        f"Re-enter in the window whatever of it is billed, {finish}",
    )


def _left_out_message(field: str, value: object, related: Sequence[Message], default_pos: str) -> Message:
    """One error for a value the draft cannot hold: the engine's reasons, the value quoted, what to do."""
    errors = [m for m in related if m.severity is Severity.ERROR] or list(related)
    first = errors[0] if errors else None
    why = " ".join(m.text for m in errors) or f"{field} could not be read."
    done, todo = _what_was_left_out(field, default_pos)
    text = f"{why} {done}; {_LEFT_OUT_MARK}{field} = {_compact(value)}. {todo}"
    return Message(
        Severity.ERROR,
        first.rule if first is not None else RULE_INVALID_INPUT,
        first.field if first is not None and first.field else field,
        text,
    )


def left_out_keys(messages: Sequence[Message]) -> Counter[str]:
    """The values an imported draft had to leave out, read back from its stored messages."""
    found: Counter[str] = Counter()
    decoder = json.JSONDecoder()
    for message in messages:
        match = _LEFT_OUT_QUOTE.search(message.text)
        if match is None:
            continue
        try:
            value, _ = decoder.raw_decode(message.text, match.end())
        except ValueError:
            continue
        found[_left_out_key(match["field"], value)] += 1
    return found


@dataclass(frozen=True)
class DraftSalvage:
    """What a draft keeps of an encounter the engine could not read.

    ``messages`` are the engine's, except that each value the draft cannot hold (a lesion entry of an
    unknown kind, site or method or with a count that is not a whole number, a place of service that is
    not two digits, a field the program does not know…) has one error quoting the value as the file
    gave it. ``left_out`` identifies those values, so a second import of the file is recognised.
    """

    encounter: Encounter
    messages: tuple[Message, ...]
    left_out: Counter[str]


def _related(field: str, messages: Sequence[Message]) -> list[Message]:
    return [
        m for m in messages if m.field is not None and (m.field == field or m.field.startswith(field + "."))
    ]


def draft_encounter(
    raw: Mapping[str, Any], messages: Sequence[Message] = (), *, default_pos: str = "11"
) -> DraftSalvage | None:
    """The encounter as a draft can hold it after the engine refused it, or ``None`` without a real date.

    A diagnosis the code set does not bill, a date in the future, a missing size, a count out of range or
    an unknown place-of-service code can be fixed in the window, so those are kept as typed. What the
    draft cannot hold is left out and quoted in an error (see ``DraftSalvage``); a place of service
    that is not two digits is replaced by ``default_pos`` (the practice's) until the front desk picks it.
    """
    when = raw.get("date_of_service")
    if not isinstance(when, str) or not _ISO_DATE.fullmatch(when.strip()):
        return None
    try:
        day = date.fromisoformat(when.strip())
    except ValueError:
        return None
    left: list[tuple[str, object]] = [(key, raw[key]) for key in raw if key not in ENCOUNTER_FIELDS]
    pos = raw.get("place_of_service")
    if isinstance(pos, str) and _POS.fullmatch(pos.strip()):
        pos = pos.strip()
    else:
        if pos is not None:
            left.append(("place_of_service", pos))
        pos = default_pos
    em_code = raw.get("em_code")
    if isinstance(em_code, str):
        em_code = em_code.strip() or None
    elif em_code is not None:
        left.append(("em_code", em_code))
        em_code = None
    decision = raw.get("decision_for_surgery")
    if decision is not None and not isinstance(decision, bool):
        left.append(("decision_for_surgery", decision))
        decision = None
    groups: list[LesionGroup] = []
    lesions = raw.get("lesions")
    if isinstance(lesions, list):
        for index, item in enumerate(lesions):
            group = _lenient_lesion(item)
            if group is None:
                left.append((f"lesions[{index}]", item))
            else:
                groups.append(group)
    elif lesions is not None:
        left.append(("lesions", lesions))
    kept = list(messages)
    for field, value in left:
        related = _related(field, kept)
        merged = _left_out_message(field, value, related, default_pos)
        at = kept.index(related[0]) if related else len(kept)
        kept = [m for m in kept if m not in related]
        kept.insert(min(at, len(kept)), merged)
    return DraftSalvage(
        Encounter(
            date_of_service=day,
            place_of_service=pos,
            lesions=tuple(groups),
            em_code=em_code,
            decision_for_surgery=bool(decision),
        ),
        tuple(kept),
        Counter(_left_out_key(field, value) for field, value in left),
    )


@dataclass(frozen=True)
class _Plan:
    """Everything decided about one encounter before anything is written."""

    wanted: _FilePatient
    payer: Payer | None
    patient: Patient | None
    provider: Provider
    encounter: Encounter
    result: CodingResult | None  # None: the engine could not read it; stored as a draft as typed
    messages: tuple[Message, ...]
    #: the left-out values as ``left_out_keys`` reads them back from the stored messages: reading both
    #: sides the same way keeps a re-import recognised even if a quoted value looks like a quote itself
    left_out: Counter[str]


class Importer:
    """Imports encounters into one store; ``today`` is the day used to reject future dates of service."""

    def __init__(self, store: Store, *, today: date, source: str = "the import file") -> None:
        self.store = store
        self.today = today
        #: what each warning of an encounter saved as final is acknowledged with (nobody at the desk)
        self.reason = f"{visit.IMPORTED_REASON} ({source}); not looked at by a person at the desk"
        self._providers = {p.npi: p for p in store.providers(include_inactive=True)}
        self._payers = store.payers()
        self._default_pos = store.practice().default_pos

    def run(self, encounters: Sequence[Mapping[str, Any]]) -> ImportReport:
        """Import every encounter (already shape-checked by ``parse_import``), each in its own transaction.

        When the database refuses a write (disk full, read-only file, another program holding it), the
        encounter being stored is rolled back and the import stops: that one and every later one are
        reported ``rejected`` with the reason, and the report's ``stopped`` says which were stored.
        """
        done: list[ImportedEncounter] = []
        for index, raw in enumerate(encounters):
            try:
                done.append(self.one(index, raw))
            except connections.OperationalError as err:
                return _stopped(done, index, len(encounters), err)
            except StoreError as err:  # the store's transaction rolled back a write SQLite refused
                if not isinstance(err.__cause__, connections.Error):
                    raise
                return _stopped(done, index, len(encounters), err.__cause__)
        return ImportReport(tuple(done))

    def one(self, index: int, raw: Mapping[str, Any]) -> ImportedEncounter:
        """Resolve, code and store one encounter; a problem rejects only this one and stores none of it.

        ``sqlite3.OperationalError`` (the database cannot be written) is left to ``run``.
        """
        problems = _limit_problems(raw) or self._date_problems(raw)
        if problems:
            return ImportedEncounter(index, None, STATUS_REJECTED, tuple(problems))
        try:
            plan = self._plan(raw)
            if plan.patient is not None:
                existing = self._already_stored(plan)
                if existing is not None:
                    return self._recognised(index, existing, plan.messages)
            return self._store(index, plan)
        except _RejectedError as rejected:
            return ImportedEncounter(index, None, STATUS_REJECTED, rejected.messages)
        except InputError as err:
            field = f"patient.{err.field}" if err.field in _PATIENT_FORM_FIELDS else err.field
            return ImportedEncounter(index, None, STATUS_REJECTED, (_error(field, err.text),))

    # -- deciding ----------------------------------------------------------------------------------

    def _date_problems(self, raw: Mapping[str, Any]) -> list[Message]:
        """An error for a real date of service too far in the past or the future to be a typing slip."""
        when = raw.get("date_of_service")
        if not isinstance(when, str) or not _ISO_DATE.fullmatch(when.strip()):
            return []  # the engine names what is wrong with it
        try:
            day = date.fromisoformat(when.strip())
        except ValueError:
            return []
        last = self.today + timedelta(days=MAX_DAYS_AHEAD)
        if FIRST_DATE_OF_SERVICE <= day <= last:
            return []
        why = (
            f"is before {FIRST_DATE_OF_SERVICE.isoformat()}, when ICD-10-CM codes came into use"
            if day < FIRST_DATE_OF_SERVICE
            else f"is more than a year after today ({self.today.isoformat()})"
        )
        return [
            _error(
                "date_of_service",
                f"date_of_service {day.isoformat()} {why}: surely a typing mistake. Check the year. "
                + _NOT_STORED,
                rules.INVALID_DATE,
            )
        ]

    def _plan(self, raw: Mapping[str, Any]) -> _Plan:
        wanted = _patient_from(raw.get("patient"), self.today)
        provider, notes = self._provider(raw)
        patient, patient_notes = self._match_patient(wanted)
        notes += patient_notes
        notes += wanted.notes if patient is not None else (*wanted.notes, *wanted.new_notes)
        payer, payer_notes = self._payer_of(patient, wanted, wanted.payer_word)
        notes += payer_notes
        coding_input = {k: v for k, v in raw.items() if k not in ("patient", "provider_npi")}
        coding_input["payer"] = payer.coding_payer if payer is not None else SELF_PAY
        encounter, parse_messages = encounter_from_json(coding_input, today=self.today)
        if encounter is None:
            salvage = draft_encounter(coding_input, parse_messages, default_pos=self._default_pos)
            if salvage is None:  # no real date of service: nothing to file the encounter under
                why = [*notes, *parse_messages] or [_error(None, "The encounter could not be read.")]
                raise _RejectedError(why)
            messages = (*notes, *salvage.messages)
            return _Plan(
                wanted, payer, patient, provider, salvage.encounter, None, messages, left_out_keys(messages)
            )
        if patient is not None and patient.id is not None:
            history = self.store.prior_services(patient.id, encounter.date_of_service)
            encounter = replace(encounter, prior_services=(*encounter.prior_services, *history))
        result = code_encounter(encounter, visit.settings_for(payer, self.today))
        messages = (*notes, *result.messages)
        return _Plan(wanted, payer, patient, provider, encounter, result, messages, left_out_keys(messages))

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

    def _match_patient(self, wanted: _FilePatient) -> tuple[Patient | None, list[Message]]:
        """The patient on file (by chart number, else name and date of birth), or ``None`` for a new one.

        Raises ``_RejectedError`` when no patient is found and none can be created from the file.
        """
        if wanted.chart_number:
            found = self.store.patient_by_chart_number(wanted.chart_number)
            if found is not None:
                return found, self._differs(found, wanted)
        if wanted.problems:
            raise _RejectedError(wanted.problems)
        assert wanted.date_of_birth is not None
        candidates = self.store.patients_named(wanted.first_name, wanted.last_name, wanted.date_of_birth)
        if not candidates:
            return None, []
        found = candidates[0]
        return found, self._other_chart(found, wanted)

    @staticmethod
    def _other_chart(found: Patient, wanted: _FilePatient) -> list[Message]:
        """A warning when the file's chart number is not on file but name and birth date matched a patient."""
        if not wanted.chart_number or found.chart_number == wanted.chart_number:
            return []
        return [
            Message(
                Severity.WARNING,
                RULE_PATIENT_DIFFERS,
                "patient.chart_number",
                f"The file's chart number {wanted.chart_number} is not on file, so the encounter was matched "
                f"to {found.display_name} (chart {found.chart_number}) by name and date of birth. "
                "Check that this is the right patient.",
            )
        ]

    @staticmethod
    def _differs(found: Patient, wanted: _FilePatient) -> list[Message]:
        """A warning when the chart number's patient has another last name or birth date than the file's."""
        other_name = bool(wanted.last_name) and normalise_name(found.last_name) != normalise_name(
            wanted.last_name
        )
        other_dob = wanted.date_of_birth is not None and found.date_of_birth != wanted.date_of_birth
        if not (other_name or other_dob):
            return []
        born = f", born {wanted.date_of_birth.isoformat()}" if wanted.date_of_birth is not None else ""
        return [
            Message(
                Severity.WARNING,
                RULE_PATIENT_DIFFERS,
                "patient.chart_number",
                f"Chart number {found.chart_number} belongs to {found.display_name}, born "
                f"{found.date_of_birth.isoformat()}, but the file says {wanted.display_name}{born}. "
                "Check that this is the right patient.",
            )
        ]

    def _payer_of(
        self, patient: Patient | None, wanted: _FilePatient, word: str
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

    def _already_stored(self, plan: _Plan) -> EncounterRecord | None:
        """The stored encounter (not void) of the same patient, day, provider and lesion entries.

        The lesion entries of an imported draft are those it holds plus those it left out, which its
        stored messages quote (``left_out_keys``).
        """
        assert plan.patient is not None
        for record in self.store.encounters_on(plan.encounter.date_of_service):
            if (
                record.patient_id == plan.patient.id
                and record.provider_id == plan.provider.id
                and record.status is not EncounterStatus.VOID
                and same_lesions(record.lesions, plan.encounter.lesions)
                and left_out_keys(record.messages) == plan.left_out
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
                patient = self.store.save_patient(plan.wanted.new_patient(payer_id))
            assert patient.id is not None and plan.provider.id is not None
            draft = EncounterRecord(
                patient_id=patient.id,
                provider_id=plan.provider.id,
                date_of_service=plan.encounter.date_of_service,
                place_of_service=plan.encounter.place_of_service,
                em_code=plan.encounter.em_code,
                decision_for_surgery=plan.encounter.decision_for_surgery,
                lesions=plan.encounter.lesions,
                messages=messages,
            )
            record = self.store.save_draft(draft)
            assert record.id is not None
            if plan.result is None or any(m.severity is Severity.ERROR for m in messages):
                return ImportedEncounter(index, record.id, STATUS_DRAFT, messages)
            # the one finalising policy; nobody is at the desk to look at the warnings, so each is
            # acknowledged as accepted by the import (the biller's review sheet shows it)
            unpriced = tuple(PricedLine.of(line, None) for line in plan.result.lines)  # the store prices
            coded = visit.CodedVisit(plan.result, unpriced)
            notes = tuple(m for m in messages if m not in plan.result.messages)
            warnings = visit.check_final(coded, notes).warnings
            try:
                with self.store.transaction():
                    visit.finalize(self.store, record, coded, dict.fromkeys(warnings, self.reason), notes)
            except InputError as err:  # e.g. no fee for a code on that date: the front desk adds it
                messages = (*messages, _error(err.field, err.text, RULE_CANNOT_FINALIZE))
                self.store.save_draft(replace(record, messages=messages))
                return ImportedEncounter(index, record.id, STATUS_DRAFT, messages)
            return ImportedEncounter(index, record.id, STATUS_FINAL, messages)


def _database_problem(err: sqlite3.Error) -> str:
    """Why the database refused a write, in the front desk's words."""
    text = str(err).lower()
    if "full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the database file may not be written (it is read-only)"
    if "locked" in text or "busy" in text:
        return "another program is using the database (another Superbill Desk window or a backup)"
    return f"the database reported “{err}”"


def _indexes(items: Sequence[int]) -> str:
    """``[0, 1, 2, 5]`` → ``"0–2, 5"``; ``"none"`` when empty."""
    runs: list[list[int]] = []
    for i in items:
        if runs and runs[-1][-1] + 1 == i:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "none"


def _stopped(done: list[ImportedEncounter], index: int, total: int, err: sqlite3.Error) -> ImportReport:
    """The report of an import the database stopped at encounter ``index`` (nothing of it stored)."""
    why = _database_problem(err)
    todo = (
        "Free disk space (or close the other program, or make the file writable), then import the same file "
        "again: the encounters already stored are recognised and not added twice."
    )
    failed = ImportedEncounter(
        index,
        None,
        STATUS_REJECTED,
        (
            _error(
                None,
                f"This encounter could not be written to the database: {why}. Nothing of it was stored. "
                + todo,
                RULE_DATABASE_UNUSABLE,
            ),
        ),
    )
    later = tuple(
        ImportedEncounter(
            i,
            None,
            STATUS_REJECTED,
            (
                _error(
                    None,
                    f"Not stored: the import stopped at encounter {index} because the database could not be "
                    f"written ({why}). {todo}",
                    RULE_DATABASE_UNUSABLE,
                ),
            ),
        )
        for i in range(index + 1, total)
    )
    encounters = (*done, failed, *later)
    stored = [e.index for e in encounters if e.status != STATUS_REJECTED]
    not_stored = [e.index for e in encounters if e.status == STATUS_REJECTED]
    text = (
        f"The database could not be written while storing encounter {index}: {why}. The import stopped "
        f"there. Stored ({len(stored)} of {total}): {_indexes(stored)}. Not stored ({len(not_stored)}): "
        f"{_indexes(not_stored)}. {todo}"
    )
    return ImportReport(encounters, _error(None, text, RULE_DATABASE_UNUSABLE))


def import_encounters(
    store: Store, text: str | bytes, *, today: date | None = None, source: str = "the import file"
) -> ImportReport:
    """Import the JSON ``text`` into ``store``: the one call the command line and the window make.

    ``today`` (default: the store's today) is the last acceptable date of service. Raises
    ``InputError`` — and stores nothing — when the file as a whole cannot be read.
    """
    encounters = parse_import(text, source=source)
    try:
        importer = Importer(store, today=today or store.today(), source=source)
    except connections.OperationalError as err:  # before anything is written
        raise StoreError(
            f"The database cannot be read: {_database_problem(err)}. Nothing was imported. Try again in a "
            "moment.",
        ) from err
    return importer.run(encounters)
