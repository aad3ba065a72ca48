"""The coding engine's records: frozen dataclasses in (an encounter) and out (a coding result).

These shapes are shared by the engine, the store, the superbill and the window. Field names follow
the JSON contract in docs/cli.md so that converting to and from JSON is a plain mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class LesionKind(StrEnum):
    """What was destroyed; decides the CPT family."""

    PREMALIGNANT = "premalignant"
    BENIGN = "benign"
    SKIN_TAG = "skin_tag"
    VASCULAR = "vascular"
    MALIGNANT = "malignant"


class Severity(StrEnum):
    """How serious a finding is: errors block billing, warnings ask a person to look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class LesionGroup:
    """One entry as the front desk records it: ``count`` lesions of one kind at one site.

    ``site`` and ``method`` are the contract's words (``face``, ``cryosurgery``); ``diagnosis`` is an
    ICD-10-CM code as entered (normalised by the engine). ``diameter_cm`` is required for malignant
    lesions (every lesion of the entry has this diameter), ``area_sq_cm`` for vascular ones (total).

    ``typed_size`` and ``typed_site`` are what the window was given, for the screen and the superbill
    only: the size as typed (``8 mm``, ``8 × 6 mm``) when it reads otherwise than the value in cm, and
    the site words (``left cheek``) when they say more than ``site``; empty otherwise. The engine
    codes ``site`` and the numbers, never these (the JSON contract has no such fields).
    """

    kind: LesionKind
    count: int
    site: str
    method: str
    diagnosis: str
    diameter_cm: float | None = None
    area_sq_cm: float | None = None
    typed_size: str = ""
    typed_site: str = ""


@dataclass(frozen=True)
class PriorService:
    """An earlier billed service of the same patient, for global-period checks."""

    date_of_service: date
    cpt: str


@dataclass(frozen=True)
class Encounter:
    """Everything the engine needs to code one visit. The date of service is data, not the clock.

    ``decision_for_surgery`` says, from the chart, that the E/M is the visit where the decision for a
    procedure with a 90-day global period billed the same day was made: the E/M then takes 57, not 25.
    """

    date_of_service: date
    place_of_service: str
    lesions: tuple[LesionGroup, ...] = ()
    payer: str = "commercial"
    em_code: str | None = None
    prior_services: tuple[PriorService, ...] = ()
    decision_for_surgery: bool = False


@dataclass(frozen=True)
class Message:
    """A finding: ``rule`` is a stable identifier, ``field`` the input field (``lesions[2].count``)."""

    severity: Severity
    rule: str
    field: str | None
    text: str


@dataclass(frozen=True)
class CodedLine:
    """One billed code with its units, modifiers in billing order and diagnosis pointers (A–L).

    ``why`` is one plain sentence that explains the choice; ``lesion_indexes`` are the positions in
    ``Encounter.lesions`` of the entries this line bills (empty for the E/M line).
    """

    cpt: str
    units: int
    modifiers: tuple[str, ...]
    diagnosis_pointers: tuple[str, ...]
    description: str
    why: str = ""
    lesion_indexes: tuple[int, ...] = ()


@dataclass(frozen=True)
class CodingResult:
    """The engine's answer: lines in claim order, diagnoses in pointer order, and every finding."""

    lines: tuple[CodedLine, ...] = ()
    diagnoses: tuple[str, ...] = ()
    messages: tuple[Message, ...] = field(default=())

    @property
    def has_errors(self) -> bool:
        """True when something must be fixed before the encounter can be billed."""
        return any(m.severity is Severity.ERROR for m in self.messages)
