"""Patient rules that need no database: checking a patient form, name matching and duplicate hints.

Names are compared in a normalised form (lower case, accents and punctuation removed: "O'Brien-Núñez"
→ "obriennunez"), which is also what the patient search indexes hold.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

from core.dates import shown_date
from core.errors import InputError
from core.store.records import RELATIONSHIPS, SEXES, Patient, Payer

_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_STATE = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
#: the oldest date of birth accepted (a typo guard, not a rule of medicine)
OLDEST_BIRTH = date(1900, 1, 1)


def normalise_name(text: str) -> str:
    """``"O'Brien-Núñez"`` → ``"obriennunez"``: lower case, no accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def parse_search_date(text: str) -> date | None:
    """``MM/DD/YYYY`` or ``YYYY-MM-DD`` as typed in the patient search, else ``None``."""
    text = text.strip()
    if match := _DATE_US.match(text):
        month, day, year = (int(g) for g in match.groups())
    elif match := _DATE_ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance with adjacent swaps counted as one edit; stops early above ``limit``.

    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def names_look_alike(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """True for the same person typed twice: same normalised names, small typos, or swapped names.

    Each of first and last name may differ by at most 2 edits (1 for names of 4 letters or fewer,
    where two edits would match unrelated short names), or first and last may be swapped.
    """
    fa, la, fb, lb = (normalise_name(n) for n in (first_a, last_a, first_b, last_b))

    def close(x: str, y: str) -> bool:
        allowed = 1 if min(len(x), len(y)) <= 4 else 2
        return edit_distance(x, y, allowed) <= allowed

    return (close(fa, fb) and close(la, lb)) or (fa == lb and la == fb)


def dates_look_alike(a: date, b: date) -> bool:
    """The same date, or one typing slip away: one digit of MMDDYYYY different, or month and day swapped."""
    if a == b or ((a.month, a.day) == (b.day, b.month) and a.year == b.year):
        return True
    typed_a, typed_b = f"{a:%m%d%Y}", f"{b:%m%d%Y}"
    return sum(x != y for x, y in zip(typed_a, typed_b, strict=True)) == 1


def _clean(text: str) -> str:
    return " ".join(text.split())


def checked_patient(
    patient: Patient, payer: Payer | None, today: date, secondary: Payer | None = None
) -> Patient:
    """The patient with tidied text fields, or ``InputError`` naming the first field that is wrong.

    ``payer`` is the patient's payer (``None`` when none is chosen); insured payers need a member id.
    ``secondary`` is the second coverage's payer (``None``: none): it needs its own member id, and it
    cannot be the first coverage again.
    """
    p = replace(
        patient,
        first_name=_clean(patient.first_name),
        last_name=_clean(patient.last_name),
        chart_number=patient.chart_number.strip(),
        address1=_clean(patient.address1),
        address2=_clean(patient.address2),
        city=_clean(patient.city),
        state=patient.state.strip().upper(),
        zip=patient.zip.strip(),
        phone=patient.phone.strip(),
        email=patient.email.strip(),
        member_id=patient.member_id.strip(),
        group_number=patient.group_number.strip(),
        subscriber_name=_clean(patient.subscriber_name),
        sex=(patient.sex.strip().upper() or "U"),
        relationship=(patient.relationship.strip().lower() or "self"),
        secondary_member_id=patient.secondary_member_id.strip(),
        secondary_group_number=patient.secondary_group_number.strip(),
        secondary_subscriber_name=_clean(patient.secondary_subscriber_name),
        secondary_relationship=(patient.secondary_relationship.strip().lower() or "self"),
    )
    if not normalise_name(p.first_name):
        raise InputError("First name: type the patient's first name.", field="first_name")
    if not normalise_name(p.last_name):
        raise InputError("Last name: type the patient's last name.", field="last_name")
    if not isinstance(p.date_of_birth, date):
        raise InputError("Date of birth: type it as MM/DD/YYYY.", field="date_of_birth")
    if p.date_of_birth > today:
        raise InputError(
            f"Date of birth: {shown_date(p.date_of_birth)} is in the future. Check the year.",
            field="date_of_birth",
        )
    if p.date_of_birth < OLDEST_BIRTH:
        raise InputError(
            f"Date of birth: {shown_date(p.date_of_birth)} is before 1900. Check the year.",
            field="date_of_birth",
        )
    if p.sex not in SEXES:
        raise InputError("Sex: choose F (female), M (male) or U (unknown).", field="sex")
    if p.state and not _STATE.match(p.state):
        raise InputError(
            f"State: “{p.state}” is not a state; use the two-letter code, for example NY.", field="state"
        )
    if p.zip and not _ZIP.match(p.zip):
        raise InputError(
            f"ZIP code: “{p.zip}” is not a ZIP code; type 5 digits (12345) or ZIP+4 (12345-6789).",
            field="zip",
        )
    digits = re.sub(r"\D", "", p.phone)
    if p.phone and len(digits) not in (10, 11):
        raise InputError(
            f"Phone: “{p.phone}” is not a phone number; type the 10 digits with the area code.", field="phone"
        )
    if p.email and not _EMAIL.match(p.email):
        raise InputError(f"Email: “{p.email}” is not an email address (name@example.com).", field="email")
    if p.relationship not in RELATIONSHIPS:
        raise InputError(
            f"Relationship to the insured: choose one of {', '.join(RELATIONSHIPS)}.", field="relationship"
        )
    if payer is not None and payer.needs_member_id and not p.member_id:
        raise InputError(
            f"Member ID: {payer.name} needs the patient's member ID; copy it from the insurance card.",
            field="member_id",
        )
    return _checked_secondary(p, secondary)


def _checked_secondary(p: Patient, secondary: Payer | None) -> Patient:
    if secondary is None:
        return replace(
            p,
            secondary_member_id="",
            secondary_group_number="",
            secondary_subscriber_name="",
            secondary_relationship="self",
        )
    if secondary.id == p.payer_id:
        raise InputError(
            f"Second insurance: {secondary.name} is already the first insurance. Choose another plan "
            "or none.",
            field="secondary_payer_id",
        )
    if secondary.needs_member_id and not p.secondary_member_id:
        raise InputError(
            f"Second member ID: {secondary.name} needs the patient's member ID for that plan; copy it "
            "from the second insurance card.",
            field="secondary_member_id",
        )
    if p.secondary_relationship not in RELATIONSHIPS:
        raise InputError(
            f"Relationship to the second insured: choose one of {', '.join(RELATIONSHIPS)}.",
            field="secondary_relationship",
        )
    return p
