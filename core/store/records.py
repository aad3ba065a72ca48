"""The store's records: frozen dataclasses that go in and come out of ``core.store.Store``.

Money is whole cents (``int``). Dates are ``datetime.date``; timestamps are timezone-aware UTC
``datetime`` values. Lesion groups and coding messages reuse the coding engine's records
(``core.coding.model``) so a stored encounter can be coded again without conversion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from core.coding.model import CodedLine, LesionGroup, LesionKind, Message, Severity


class PayerKind(StrEnum):
    """The kind of payer: decides whether a member id is needed and which claim rules apply."""

    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    SELF_PAY = "self_pay"


class EncounterStatus(StrEnum):
    """Where an encounter is in its life: drafts are edited, finals are billed, void ones are kept."""

    DRAFT = "draft"
    FINAL = "final"
    PRINTED = "printed"
    VOID = "void"


#: the statuses whose lines count as billed: the one answer to "is this encounter billed?"
BILLED_STATUSES = frozenset({EncounterStatus.FINAL, EncounterStatus.PRINTED})


#: the coding engine's payer words (``Encounter.payer``), see docs/cli.md
CODING_PAYERS: tuple[str, ...] = (
    "medicare",
    "medicaid",
    "aetna",
    "bcbs",
    "cigna",
    "uhc",
    "commercial",
    "self_pay",
)

#: who the insured is to the patient (CMS-1500 item 6)
RELATIONSHIPS: tuple[str, ...] = ("self", "spouse", "child", "other")

#: sex as a claim form records it: female, male, unknown
SEXES: tuple[str, ...] = ("F", "M", "U")


@dataclass(frozen=True)
class Practice:
    """The practice printed at the top of every superbill (billing provider), and its defaults.

    ``default_methods`` and ``default_diagnoses`` map a lesion kind to the method and ICD-10-CM code
    the quick-entry line uses when none is typed; a kind without an entry has no default (malignant
    diagnoses are site-specific, so the demo practice leaves that one to be typed).
    """

    name: str
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    phone: str = ""
    tax_id: str = ""
    group_npi: str = ""
    taxonomy: str = ""
    default_pos: str = "11"
    default_methods: dict[LesionKind, str] = field(default_factory=dict)
    default_diagnoses: dict[LesionKind, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Provider:
    """A rendering provider (CMS-1500 item 24J). ``id`` is ``None`` until saved."""

    first_name: str
    last_name: str
    npi: str
    credentials: str = ""
    taxonomy: str = ""
    active: bool = True
    id: int | None = None
    #: how many times the stored row was written; 0 = not read from the store (see ``StaleRecordError``)
    version: int = 0

    @property
    def display_name(self) -> str:
        """``"Dana Demo, MD"``: the name as a superbill or a drop-down shows it."""
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name}, {self.credentials}" if self.credentials else name


@dataclass(frozen=True)
class Payer:
    """An insurance plan (or self-pay) a patient can have.

    ``payer_id`` is the payer's electronic claims id (from the clearinghouse list; may be empty);
    ``coding_payer`` is the coding engine's payer word (``medicare``, ``aetna``, ``commercial``…).
    ``use_modifier_51`` and ``distinct_modifier`` are the payer's modifier conventions.
    """

    name: str
    kind: PayerKind
    coding_payer: str
    payer_id: str = ""
    use_modifier_51: bool = False
    distinct_modifier: str = "59"
    #: where paper claims go (printed on the superbill under the payer); empty when not known
    claims_address1: str = ""
    claims_address2: str = ""
    claims_city: str = ""
    claims_state: str = ""
    claims_zip: str = ""
    id: int | None = None
    #: how many times the stored row was written; 0 = not read from the store (see ``StaleRecordError``)
    version: int = 0

    @property
    def needs_member_id(self) -> bool:
        """Every insured payer needs the patient's member id on the claim; self-pay does not."""
        return self.kind is not PayerKind.SELF_PAY


@dataclass(frozen=True)
class Patient:
    """A patient and their insurance. ``payer_id`` is a ``Payer.id`` (``None``: no insurance on file).

    ``chart_number`` is assigned by ``Store.save_patient`` when left empty.
    """

    first_name: str
    last_name: str
    date_of_birth: date
    sex: str = "U"
    chart_number: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    phone: str = ""
    email: str = ""
    payer_id: int | None = None
    member_id: str = ""
    group_number: str = ""
    subscriber_name: str = ""
    relationship: str = "self"
    #: a second coverage (``Payer.id``; ``None``: none), billed after the first
    secondary_payer_id: int | None = None
    secondary_member_id: str = ""
    secondary_group_number: str = ""
    secondary_subscriber_name: str = ""
    secondary_relationship: str = "self"
    is_demo: bool = False
    id: int | None = None
    #: how many times the stored row was written; 0 = not read from the store (see ``StaleRecordError``)
    version: int = 0

    @property
    def display_name(self) -> str:
        """``"Lovelace, Ada"``: last name first, as lists and superbills show patients."""
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True)
class Coverage:
    """One insurance of a patient as it stood when an encounter was saved as final (schema 10): the
    superbill prints this copy, so a later edit of the patient never changes a billed encounter."""

    payer_id: int
    member_id: str = ""
    group_number: str = ""
    subscriber_name: str = ""
    relationship: str = "self"


@dataclass(frozen=True)
class FrozenCoverage:
    """The patient's first and second insurance at finalisation (``None``: none on file)."""

    primary: Coverage | None = None
    secondary: Coverage | None = None

    @classmethod
    def of(cls, patient: Patient, payer_id: int | None) -> FrozenCoverage:
        """``patient``'s coverage now, billed to ``payer_id`` (the encounter's payer)."""
        primary = None
        if payer_id is not None:
            member = (patient.member_id, patient.group_number, patient.subscriber_name)
            primary = Coverage(payer_id, *member, patient.relationship)
        secondary = None
        if patient.secondary_payer_id is not None:
            secondary = Coverage(
                patient.secondary_payer_id,
                patient.secondary_member_id,
                patient.secondary_group_number,
                patient.secondary_subscriber_name,
                patient.secondary_relationship,
            )
        return cls(primary, secondary)


@dataclass(frozen=True)
class PricedLine:
    """One coded line with its price: the one shape of a line from the engine to the printed page.

    The window shows a draft's lines priced from the fee schedule (``unit_fee_cents`` ``None`` when the
    schedule has no fee for the code on that day); a final encounter stores them as billed, frozen at
    finalisation, so later fee changes never rewrite a billed encounter; the superbill prints them.
    Make one with ``PricedLine.of`` so fee × units is computed in one place.
    """

    cpt: str
    units: int
    modifiers: tuple[str, ...]
    diagnosis_pointers: tuple[str, ...]
    description: str
    unit_fee_cents: int | None
    charge_cents: int | None
    why: str = ""
    lesion_indexes: tuple[int, ...] = ()

    @classmethod
    def of(cls, line: CodedLine, unit_fee_cents: int | None) -> PricedLine:
        """The engine's ``line`` priced at ``unit_fee_cents`` for one unit (``None``: no fee)."""
        return cls(
            cpt=line.cpt,
            units=line.units,
            modifiers=line.modifiers,
            diagnosis_pointers=line.diagnosis_pointers,
            description=line.description,
            unit_fee_cents=unit_fee_cents,
            charge_cents=None if unit_fee_cents is None else unit_fee_cents * line.units,
            why=line.why,
            lesion_indexes=line.lesion_indexes,
        )


#: a final encounter's stored line (always priced: finalising refuses a code without a fee)
BilledLine = PricedLine


@dataclass(frozen=True)
class Acknowledgement:
    """A warning (or note) a person looked at before the encounter was saved as final: which message,
    who, when, and why it was billed anyway (optional). Kept with the final encounter and in the audit
    log, for the biller's review sheet."""

    severity: Severity
    rule: str
    field: str | None
    text: str
    who: str
    at: datetime
    reason: str = ""

    def covers(self, message: Message) -> bool:
        """True when this acknowledgement is of ``message``."""
        return (self.severity, self.rule, self.field, self.text) == (
            message.severity,
            message.rule,
            message.field,
            message.text,
        )


@dataclass(frozen=True)
class EncounterRecord:
    """One visit: who, when, where, what was destroyed, and — once final — what was billed.

    Drafts carry the lesions and the last coding messages; ``Store.finalize`` adds the billed
    ``lines`` with their fees, the ``diagnoses`` in pointer order, ``coded_at`` and the
    superbill's ``document_number``. ``payer_id`` is the patient's payer, frozen at finalisation, and
    ``coverage`` the patient's insurance details with it (schema 10; ``None`` for a draft and for an
    encounter finalised before: its superbill reads the patient record). ``hash_version`` is the
    ``core.superbill.model.HASHED_FIELDS`` version its superbill's content hash uses (``None``: 1).
    ``id`` is ``None`` until the first ``Store.save_draft``.
    """

    patient_id: int
    provider_id: int
    date_of_service: date
    place_of_service: str = "11"
    em_code: str | None = None
    lesions: tuple[LesionGroup, ...] = ()
    #: the chart says the E/M is the decision for a 90-day-global procedure of the day (57, not 25)
    decision_for_surgery: bool = False
    status: EncounterStatus = EncounterStatus.DRAFT
    messages: tuple[Message, ...] = ()
    lines: tuple[PricedLine, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    diagnoses: tuple[str, ...] = ()
    payer_id: int | None = None
    coverage: FrozenCoverage | None = None
    hash_version: int | None = None
    coded_at: datetime | None = None
    document_number: str | None = None
    paid_cents: int = 0
    void_reason: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None
    #: how many times the stored row was written; 0 = not read from the store (see ``StaleRecordError``)
    version: int = 0

    @property
    def total_cents(self) -> int:
        """Total charge of the billed lines (0 for a draft)."""
        return sum(line.charge_cents or 0 for line in self.lines)

    @property
    def is_billed(self) -> bool:
        """True once final or printed: its lines count as billed (a draft or a void one does not)."""
        return self.status in BILLED_STATUSES

    @property
    def balance_cents(self) -> int:
        """What is still owed: total charges less what was paid."""
        return self.total_cents - self.paid_cents


@dataclass(frozen=True)
class FeeEntry:
    """The practice's charge for one unit of ``cpt`` from ``effective_from`` to ``effective_to``.

    ``effective_to`` is the last day the fee applies (``None``: still in force); it is the day before
    the next entry for the same code starts.
    """

    cpt: str
    unit_fee_cents: int
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One row of the append-only audit log. ``before``/``after`` are JSON text (``None`` if absent)."""

    id: int
    at: datetime
    who: str
    entity: str
    entity_id: str
    action: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class AuditCheck:
    """The result of ``Store.verify_audit``: ``first_broken_id`` is the first row whose link fails."""

    ok: bool
    rows: int
    first_broken_id: int | None
    text: str


@dataclass(frozen=True)
class DataCheck:
    """The result of ``Store.verify_data``: whether the rows in the file hold what the audit log says.

    ``records`` is how many records were compared; ``problem_count`` how many were changed, deleted or
    added outside the program; ``problems`` describes the first few of them in plain words.
    """

    ok: bool
    records: int
    problem_count: int
    problems: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Icd10Hit:
    """An ICD-10-CM code found by ``Store.search_icd10`` (``code`` with its dot, e.g. ``L57.0``)."""

    code: str
    description: str
    billable: bool
