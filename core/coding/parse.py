"""JSON in: turn a parsed JSON value into an ``Encounter``, or into messages that name each bad field.

Every problem is reported at once (not just the first), each with the rule id of docs/cli.md and the
field path (``lesions[2].count``). Decisions, documented in docs/cli.md:

- Unknown fields are rejected (``INVALID_INPUT``): a misspelt optional field such as ``em`` for
  ``em_code`` would otherwise silently drop a billable visit.
- A count may be written ``3`` or ``3.0`` (JSON does not tell the two apart); ``1.5``, ``true``,
  ``"3"``, 0 and negative numbers are ``INVALID_COUNT``; a whole count above 1000 is valid
  for the contract but surely a typing mistake, so it is our own ``IMPLAUSIBLE_COUNT`` error.
- Words (kind, site, method, payer) are matched ignoring case and surrounding spaces.
- ``null`` for an optional field means "not given".
- ``decision_for_surgery`` (our extension, default false) is a JSON ``true``/``false``; anything else is
  ``INVALID_INPUT``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date

from core.coding import kinds, rules, tables, validate
from core.coding.diagnoses import check_diagnosis, default_source
from core.coding.model import Encounter, LesionGroup, LesionKind, Message, PriorService, Severity

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any

    from core.coding.diagnoses import Icd10Source

ENCOUNTER_FIELDS = (
    "date_of_service",
    "place_of_service",
    "payer",
    "em_code",
    "decision_for_surgery",
    "prior_services",
    "lesions",
)
LESION_FIELDS = ("kind", "count", "site", "method", "diagnosis", "diameter_cm", "area_sq_cm")
PRIOR_FIELDS = ("date_of_service", "cpt")
DEFAULT_PAYER = "commercial"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MISSING = object()


class _Collector:
    """Collects messages while fields are read; a failed read returns ``None``."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def error(self, rule: str, field: str | None, text: str) -> None:
        self.messages.append(Message(Severity.ERROR, rule, field, text))

    def add(self, found: tuple[Message, ...]) -> bool:
        """Keep ``found``; True when it holds no error."""
        self.messages += found
        return not any(m.severity is Severity.ERROR for m in found)

    @property
    def failed(self) -> bool:
        return any(m.severity is Severity.ERROR for m in self.messages)


def _shown(value: object) -> str:
    """A short rendering of a bad value for a message."""
    text = repr(value) if not isinstance(value, bool) else str(value).lower()
    return text if len(text) <= 40 else text[:37] + "..."


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _object(
    value: object, field: str | None, allowed: tuple[str, ...], out: _Collector
) -> dict[str, Any] | None:
    where = field or "The encounter"
    if not isinstance(value, dict):
        out.error(
            rules.INVALID_INPUT, field, f"{where} must be a JSON object {{...}}, not {_type_name(value)}."
        )
        return None
    for key in value:
        if key not in allowed:
            name = f"{field}.{key}" if field else str(key)
            out.error(
                rules.INVALID_INPUT,
                name,
                f"“{key}” is not a field this program knows. The fields are: "
                f"{', '.join(allowed)}. Check the spelling.",
            )
    return value


_WHAT_TO_ADD = {
    "date_of_service": "the date of the visit as YYYY-MM-DD",
    "place_of_service": 'the two-digit place-of-service code, for example "11" for the office',
    "lesions": "a list of lesion entries (it may be empty [] only when em_code is given)",
    "kind": f"one of {', '.join(kinds.declaration().names())}",
    "count": "the number of lesions, a whole number such as 3",
    "site": "the body site, for example face or trunk",
    "method": "the destruction method, for example cryosurgery",
    "diagnosis": "the ICD-10-CM code from the chart, for example L57.0",
    "cpt": "the CPT code of the earlier service, for example 17000",
}


def _required(data: dict[str, Any], key: str, field: str, out: _Collector) -> object:
    if key not in data or data[key] is None:
        out.error(rules.INVALID_INPUT, field, f"{field} is missing. Add {_WHAT_TO_ADD[key]}.")
        return _MISSING
    return data[key]


def _text(value: object, field: str, rule: str, out: _Collector, what: str) -> str | None:
    if value is _MISSING:
        return None
    if not isinstance(value, str):
        out.error(
            rule,
            field,
            f"{what} must be written as text in quotes, not {_type_name(value)} ({_shown(value)}).",
        )
        return None
    return value


def _word(value: object, field: str, out: _Collector, what: str) -> str | None:
    text = _text(value, field, rules.INVALID_INPUT, out, what)
    return None if text is None else text.strip().lower()


def _date(value: object, field: str, out: _Collector) -> date | None:
    if value is _MISSING:
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        out.error(
            rules.INVALID_DATE,
            field,
            f"The date must be written YYYY-MM-DD, for example 2026-11-27 (got {_shown(value)}).",
        )
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        out.error(rules.INVALID_DATE, field, f"{value.strip()} is not a real date. Check the day and month.")
        return None


def _count(value: object, field: str, out: _Collector) -> int | None:
    if value is _MISSING:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        out.error(
            rules.INVALID_COUNT,
            field,
            f"The number of lesions must be a whole number such as 3, not "
            f"{_type_name(value)} ({_shown(value)}).",
        )
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        out.error(
            rules.INVALID_COUNT,
            field,
            f"The number of lesions must be a whole number; {_shown(value)} is not. Count each lesion once.",
        )
        return None
    count = int(value)
    return count if out.add(validate.check_count(count, field)) else None


def _measure(value: object, field: str, out: _Collector) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        out.error(
            rules.INVALID_INPUT,
            field,
            f"{field} must be a number such as 0.8, not {_type_name(value)} ({_shown(value)}).",
        )
        return None
    return float(value)


def _lesion(value: object, index: int, icd: Icd10Source, out: _Collector) -> LesionGroup | None:
    field = f"lesions[{index}]"
    data = _object(value, field, LESION_FIELDS, out)
    if data is None:
        return None
    before = len(out.messages)
    kind_word = _word(
        _required(data, "kind", f"{field}.kind", out), f"{field}.kind", out, "The kind of lesion"
    )
    kind = None
    if kind_word is not None and out.add(validate.check_kind(kind_word, f"{field}.kind")):
        kind = LesionKind(kind_word)
    count = _count(_required(data, "count", f"{field}.count", out), f"{field}.count", out)
    site = _checked_word(data, "site", field, out, "The site", validate.check_site)
    method = _checked_word(data, "method", field, out, "The method", validate.check_method)
    diagnosis = _text(
        _required(data, "diagnosis", f"{field}.diagnosis", out),
        f"{field}.diagnosis",
        rules.INVALID_DIAGNOSIS,
        out,
        "The diagnosis",
    )
    if diagnosis is not None:
        out.add(check_diagnosis(diagnosis, f"{field}.diagnosis", icd, kind_word)[1])
    diameter = _measure(data.get("diameter_cm"), f"{field}.diameter_cm", out)
    area = _measure(data.get("area_sq_cm"), f"{field}.area_sq_cm", out)
    if kind is None or count is None or site is None or method is None or diagnosis is None:
        return None
    group = LesionGroup(kind, count, site, method, diagnosis.strip(), diameter, area)
    out.add(validate.check_measurements(group, field))
    failed_here = any(m.severity is Severity.ERROR for m in out.messages[before:])
    return None if failed_here else group


def _checked_word(
    data: dict[str, Any],
    key: str,
    field: str,
    out: _Collector,
    what: str,
    check: Callable[[str, str], tuple[Message, ...]],
) -> str | None:
    name = f"{field}.{key}"
    word = _word(_required(data, key, name, out), name, out, what)
    return word if word is not None and out.add(check(word, name)) else None


def _prior(value: object, index: int, out: _Collector) -> PriorService | None:
    field = f"prior_services[{index}]"
    data = _object(value, field, PRIOR_FIELDS, out)
    if data is None:
        return None
    when = _date(
        _required(data, "date_of_service", f"{field}.date_of_service", out), f"{field}.date_of_service", out
    )
    cpt = _text(
        _required(data, "cpt", f"{field}.cpt", out), f"{field}.cpt", rules.INVALID_INPUT, out, "The CPT code"
    )
    if when is None or cpt is None:
        return None
    return PriorService(when, cpt.strip().upper())


def _flag(value: object, field: str, out: _Collector) -> bool:
    """An optional true/false field: ``null`` or absent is false; anything but a JSON boolean is refused."""
    if value is None:
        return False
    if not isinstance(value, bool):
        out.error(
            rules.INVALID_INPUT,
            field,
            f"{field} must be true or false (without quotes), not {_type_name(value)} ({_shown(value)}).",
        )
        return False
    return value


def _list(value: object, field: str, out: _Collector) -> list[Any] | None:
    if value is None or value is _MISSING:
        return None
    if not isinstance(value, list):
        out.error(rules.INVALID_INPUT, field, f"{field} must be a list [...], not {_type_name(value)}.")
        return None
    return value


def encounter_from_json(
    data: object, *, today: date, icd: Icd10Source | None = None
) -> tuple[Encounter | None, tuple[Message, ...]]:
    """The encounter in ``data`` (a parsed JSON value), or ``None`` with messages naming each problem.

    When an encounter is returned the messages hold only warnings (for example a diameter on a
    premalignant entry); ``code_encounter`` finds them again, so a caller that codes the encounter
    can show the engine's messages alone.
    """
    source = icd if icd is not None else default_source()
    out = _Collector()
    top = _object(data, None, ENCOUNTER_FIELDS, out)
    if top is None:
        return None, tuple(out.messages)
    dos = _date(_required(top, "date_of_service", "date_of_service", out), "date_of_service", out)
    if dos is not None and not out.add(validate.check_date(dos, today, "date_of_service")):
        dos = None
    pos = _text(
        _required(top, "place_of_service", "place_of_service", out),
        "place_of_service",
        rules.INVALID_POS,
        out,
        'The place of service (for example "11")',
    )
    if pos is not None:
        pos = pos.strip()
        out.add(validate.check_pos(pos))
    payer = DEFAULT_PAYER
    if top.get("payer") is not None:
        word = _word(top["payer"], "payer", out, "The payer")
        if word is not None and out.add(validate.check_payer(word)):
            payer = word
    em_code = None
    if top.get("em_code") is not None:
        em_code = _text(top["em_code"], "em_code", rules.INVALID_INPUT, out, "The office visit code")
        if em_code is not None:
            em_code = em_code.strip()
            out.add(validate.check_em(em_code))
    decision = _flag(top.get("decision_for_surgery"), "decision_for_surgery", out)
    priors = []
    for index, item in enumerate(_list(top.get("prior_services"), "prior_services", out) or []):
        prior = _prior(item, index, out)
        if prior is not None:
            if dos is not None:
                out.add(validate.check_prior(prior, index, dos))
            priors.append(prior)
    lesion_values = _list(_required(top, "lesions", "lesions", out), "lesions", out)
    if lesion_values is not None and len(lesion_values) > tables.lesion_coding().limits.max_entries:
        out.error(
            rules.INVALID_INPUT,
            "lesions",
            f"{len(lesion_values)} lesion entries is more than "
            f"{tables.lesion_coding().limits.max_entries}. Put lesions of the same kind, site and diagnosis "
            "into one entry with a count.",
        )
        return None, tuple(out.messages)
    lesions = [_lesion(item, index, source, out) for index, item in enumerate(lesion_values or [])]
    if out.failed or dos is None or pos is None or lesion_values is None:
        return None, tuple(out.messages)
    encounter = Encounter(
        dos,
        pos,
        tuple(g for g in lesions if g is not None),
        payer,
        em_code,
        tuple(priors),
        decision_for_surgery=decision,
    )
    if not out.add(validate.check_entries(encounter)):
        return None, tuple(out.messages)
    return encounter, tuple(out.messages)
