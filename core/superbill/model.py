"""The superbill as data: everything one printed superbill shows, in frozen dataclasses.

A ``Superbill`` is assembled from the store by ``core.superbill.build`` and drawn by ``core.pdf``; it
holds no layout. Money is whole cents, dates are ``datetime.date``; the date issued is data too, so a
PDF never depends on the clock. ``content_hash`` fingerprints what was billed (everything except the
date issued, and the biller warnings and practice note, which follow practice settings), so a reprint
can be matched to the stored encounter.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.coding.diagnoses import LETTERS as DIAGNOSIS_LETTERS  # CMS-1500 item 21: A–L, declared once
from core.store.records import PricedLine
from core.superbill.hashed_fields import HASH_VERSION, HASHED_FIELDS, Spec

#: How many hex digits of the SHA-256 the footer prints.
HASH_LENGTH = 12


@dataclass(frozen=True)
class PracticeBlock:
    """The billing practice: legal name as registered with its NPI, address, phone and tax ids."""

    name: str
    address_lines: tuple[str, ...]
    phone: str
    tax_id: str
    group_npi: str | None = None


@dataclass(frozen=True)
class ProviderBlock:
    """The rendering provider: name, credentials (MD, DO, NP…), individual NPI, licence if recorded."""

    name: str
    credentials: str
    npi: str
    license_number: str | None = None
    #: the provider's taxonomy code (NUCC; CMS-1500 item 24J shaded part), or the practice's
    taxonomy: str = ""


@dataclass(frozen=True)
class PlaceOfService:
    """CMS place-of-service code (``"11"``) and its name (``"Office"``)."""

    code: str
    name: str


@dataclass(frozen=True)
class PatientBlock:
    """The patient as the insurer knows them; ``chart_number`` doubles as the patient account number."""

    name: str
    date_of_birth: date
    sex: str
    address_lines: tuple[str, ...]
    chart_number: str


@dataclass(frozen=True)
class InsuranceBlock:
    """The patient's coverage; ``relationship`` is the patient's relationship to the subscriber."""

    payer_name: str
    member_id: str
    group_number: str | None
    subscriber_name: str
    relationship: str
    #: the payer's electronic claims id and where paper claims go (empty when not recorded)
    payer_id: str = ""
    claims_address_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diagnosis:
    """One ICD-10-CM diagnosis with the letter (A–L) that service lines point at."""

    letter: str
    code: str
    description: str


@dataclass(frozen=True)
class LesionDetail:
    """One recorded lesion entry behind a destruction line, in words for the reader.

    ``kind`` is a readable word (``"premalignant"``); ``size`` is already phrased (``"1.2 cm"``,
    ``"12.0 sq cm"``) or empty when the code does not depend on size.
    """

    count: int
    kind: str
    sites: tuple[str, ...]
    method: str
    size: str = ""


@dataclass(frozen=True)
class ServiceLine:
    """One billed code as printed: the priced line as it was billed (``core.store.PricedLine``, the one
    line type from the engine to the page), its date and the lesions it bills."""

    date_of_service: date
    line: PricedLine
    lesions: tuple[LesionDetail, ...] = ()

    @property
    def cpt(self) -> str:
        return self.line.cpt

    @property
    def modifiers(self) -> tuple[str, ...]:
        return self.line.modifiers

    @property
    def description(self) -> str:
        return self.line.description

    @property
    def diagnosis_pointers(self) -> tuple[str, ...]:
        return self.line.diagnosis_pointers

    @property
    def units(self) -> int:
        return self.line.units

    @property
    def unit_charge_cents(self) -> int:
        return self.line.unit_fee_cents or 0

    @property
    def line_charge_cents(self) -> int:
        return self.line.charge_cents or 0

    @property
    def why(self) -> str:
        return self.line.why


@dataclass(frozen=True)
class Totals:
    """Charges of all lines, what the patient paid today, and what remains."""

    charges_cents: int
    paid_cents: int

    @property
    def balance_cents(self) -> int:
        """Charges minus paid today (negative when the patient paid more than was charged)."""
        return self.charges_cents - self.paid_cents


@dataclass(frozen=True)
class Superbill:
    """Everything printed on one superbill. Raises ``ValueError`` when its parts contradict each other."""

    encounter_id: int
    document_number: str
    date_of_service: date
    date_issued: date
    practice: PracticeBlock
    provider: ProviderBlock
    place_of_service: PlaceOfService
    patient: PatientBlock
    insurance: InsuranceBlock | None
    diagnoses: tuple[Diagnosis, ...]
    lines: tuple[ServiceLine, ...]
    totals: Totals
    note: str = ""  # the practice's own text for every superbill (payment terms…)
    #: a second coverage, billed after the first (``None``: none on file)
    secondary_insurance: InsuranceBlock | None = None
    #: which ``HASHED_FIELDS`` version the footer's hash uses: the one recorded when the encounter was
    #: finalised (1 for an encounter finalised before schema 10), so a reprint keeps its hash
    hash_version: int = HASH_VERSION

    def __post_init__(self) -> None:
        if len(self.diagnoses) > len(DIAGNOSIS_LETTERS):
            raise ValueError(f"a superbill holds at most 12 diagnoses, got {len(self.diagnoses)}")
        letters = tuple(d.letter for d in self.diagnoses)
        if letters != tuple(DIAGNOSIS_LETTERS[: len(letters)]):
            raise ValueError(f"diagnosis letters must run A, B, C… in order, got {letters}")
        for line in self.lines:
            unknown = [p for p in line.diagnosis_pointers if p not in letters]
            if unknown:
                raise ValueError(f"line {line.cpt} points at diagnoses {unknown} that are not listed")
        if sum(line.line_charge_cents for line in self.lines) != self.totals.charges_cents:
            raise ValueError("total charges differ from the sum of the line charges")
        if self.hash_version not in HASHED_FIELDS:
            raise ValueError(f"no content hash version {self.hash_version}")

    def content(self, version: int | None = None) -> dict[str, Any]:
        """What the hash covers: the fields ``HASHED_FIELDS[version]`` lists (default: this superbill's
        ``hash_version``), read by name — every printed fact of what was billed, never the issue date,
        the practice's note or the warnings."""
        picked: dict[str, Any] = _pick(self, HASHED_FIELDS[version or self.hash_version])
        return picked

    def canonical_json(self) -> str:
        """``content()`` as compact JSON with sorted keys; dates as ISO text."""
        return json.dumps(
            self.content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso
        )

    @property
    def content_hash(self) -> str:
        """First 12 hex digits of SHA-256 over ``canonical_json()``: same content, same hash."""
        digest = hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
        return digest[:HASH_LENGTH]


def _pick(value: Any, spec: Spec | None) -> Any:
    """The fields ``spec`` names from ``value`` (a dataclass, a list of them, or a plain value)."""
    if spec is None or value is None:
        return value
    if isinstance(value, tuple | list):
        return [_pick(item, spec) for item in value]
    return {name: _pick(getattr(value, name), inner) for name, inner in spec.items()}


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in a superbill hash")
