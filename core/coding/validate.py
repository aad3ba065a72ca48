"""Value checks on an encounter: every problem becomes a message naming the field, never an exception.

The JSON parser calls the single-field checks for each field it could read, so one run reports every
problem at once; ``validate_encounter`` runs all of them on an encounter built in code (the window).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from decimal import Decimal

from core.coding import kinds, rules, tables
from core.coding.diagnoses import check_diagnosis
from core.coding.model import Encounter, LesionGroup, LesionKind, Message, PriorService, Severity
from core.dates import shown_date

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from core.coding.diagnoses import Icd10Source


def _error(rule: str, field: str | None, text: str) -> Message:
    return Message(Severity.ERROR, rule, field, text)


def measurement(value: float) -> Decimal:
    """The exact decimal the user typed (``0.5`` stays 0.5, never 0.5000000000000001)."""
    return Decimal(repr(float(value)))


def check_date(value: date, today: date | None, field: str) -> tuple[Message, ...]:
    """An error when the date lies after ``today`` (no check without ``today``)."""
    if today is not None and value > today:
        return (
            _error(
                rules.INVALID_DATE,
                field,
                f"The date {shown_date(value)} is in the future (today is "
                f"{shown_date(today)}). Enter the day the service was given.",
            ),
        )
    return ()


def check_pos(code: str) -> tuple[Message, ...]:
    """An error unless ``code`` is a CMS place-of-service code."""
    if tables.pos(code) is None:
        hint = (
            " Write it with two digits, for example “01” or “11”."
            if len(code) == 1 and code.isdigit()
            else ""
        )
        return (
            _error(
                rules.INVALID_POS,
                "place_of_service",
                f"“{code}” is not a place-of-service code.{hint} "
                "Use the two-digit CMS code, for example 11 for the office.",
            ),
        )
    return ()


def check_payer(payer_id: str) -> tuple[Message, ...]:
    """An error unless the payer is one the program knows."""
    return _check_word(payer_id, tuple(tables.payer_table()), "payer", "a payer")


def check_em(em_code: str | None) -> tuple[Message, ...]:
    """An error unless the E/M code is an office/outpatient visit code (99202-99205, 99211-99215)."""
    if em_code is not None and em_code not in tables.em_codes():
        return (
            _error(
                rules.INVALID_INPUT,
                "em_code",
                f"“{em_code}” is not an office visit code. Use 99202–99205 "
                "(new patient) or 99211–99215 (established patient), or leave it empty.",
            ),
        )
    return ()


def check_count(count: int, field: str) -> tuple[Message, ...]:
    """An error unless the count is a whole number from 1 to the sanity limit."""
    limit = tables.lesion_coding().limits.max_count_per_entry
    if isinstance(count, bool) or not isinstance(count, int):
        return (
            _error(
                rules.INVALID_COUNT,
                field,
                f"The number of lesions must be a whole number such as 3 (got {count!r}).",
            ),
        )
    if count < 1:
        return (
            _error(
                rules.INVALID_COUNT,
                field,
                f"The number of lesions must be at least 1 (got {count}). "
                "Remove the entry if nothing was destroyed.",
            ),
        )
    if count > limit:
        return (
            _error(
                rules.IMPLAUSIBLE_COUNT,
                field,
                f"{count} lesions in one entry is more than {limit}; this is "
                "surely a typing mistake. Check the number.",
            ),
        )
    return ()


def check_site(site: str, field: str) -> tuple[Message, ...]:
    """An error unless the site is one of the contract's body sites; a word of the site-word table
    (``cheek``, ``back``) is still refused here, with the contract site to use instead."""
    found = _check_word(site, tuple(tables.lesion_coding().sites), field, "a body site")
    if not found or not isinstance(site, str):
        return found
    from core.coding import sites  # the site-word table is read only when a site is refused

    mapped = sites.site_of_unknown(site)
    if mapped is None:
        return found
    hint = f" “{site}” is coded as {mapped.site}: use {mapped.site}."
    return (replace(found[0], text=found[0].text + hint),)


def check_method(method: str, field: str) -> tuple[Message, ...]:
    """An error unless the method is one of the contract's destruction methods."""
    return _check_word(method, tables.lesion_coding().methods, field, "a destruction method")


def _check_word(word: object, known: tuple[str, ...], field: str, what: str) -> tuple[Message, ...]:
    """An error naming the allowed words unless ``word`` is one of ``known``."""
    if word in known:
        return ()
    text = f"“{word}” is not {what} this program knows. Use one of: {', '.join(known)}."
    return (_error(rules.INVALID_INPUT, field, text),)


def _check_value(
    value: float | None, field: str, what: str, limit: Decimal, unit: str
) -> tuple[Message, ...]:
    if value is None:
        return (
            _error(
                rules.MISSING_MEASUREMENT,
                field,
                f"{what} is missing; the code depends on it. Enter it in {unit}.",
            ),
        )
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        return (
            _error(
                rules.MISSING_MEASUREMENT,
                field,
                f"{what} must be a number above 0 in {unit} (got {value!r}).",
            ),
        )
    if measurement(value) > limit:
        return (
            _error(
                rules.IMPLAUSIBLE_MEASUREMENT,
                field,
                f"{what} of {value} {unit} is more than {limit} {unit}; "
                "this is surely a typing mistake. Check the measurement.",
            ),
        )
    return ()


def lesion_kind(kind: object) -> LesionKind | None:
    """The kind as a ``LesionKind`` (a plain string with a known value is accepted), else ``None``."""
    if not isinstance(kind, str) or kind not in kinds.declaration().names():
        return None
    try:
        return LesionKind(kind)
    except ValueError:  # declared but not in the enum: kinds.check_enum refuses that at import
        return None


def check_kind(kind: object, field: str) -> tuple[Message, ...]:
    """An error unless the kind is one of the declared lesion kinds (resources/codes/lesion_kinds.json)."""
    return _check_word(kind, kinds.declaration().names(), field, "a kind of lesion")


def check_measurements(lesion: LesionGroup, field: str) -> tuple[Message, ...]:
    """Each kind needs its declared measurement (malignant: diameter, vascular: area); others none."""
    coding = tables.lesion_coding()
    kind = lesion_kind(lesion.kind)
    found: list[Message] = []
    if kind is None:
        return ()
    needs = kinds.kind(kind).measurement
    if needs == "diameter_cm":
        found += _check_value(
            lesion.diameter_cm,
            f"{field}.diameter_cm",
            "The lesion diameter",
            coding.limits.max_diameter_cm,
            "cm",
        )
        if not found and lesion.diameter_cm is not None:
            places = -measurement(lesion.diameter_cm).normalize().as_tuple().exponent  # type: ignore[operator]
            if places > coding.diameter_precision_decimals:
                found.append(
                    Message(
                        Severity.WARNING,
                        rules.MEASUREMENT_PRECISION,
                        f"{field}.diameter_cm",
                        f"The diameter {lesion.diameter_cm} cm has more decimal places than the size bands "
                        "(printed to 0.1 cm). It was coded as entered; check the measurement in the chart.",
                    )
                )
    elif lesion.diameter_cm is not None:
        found.append(_ignored(f"{field}.diameter_cm", "A diameter", "diameter_cm", kind))
    if needs == "area_sq_cm":
        found += _check_value(
            lesion.area_sq_cm,
            f"{field}.area_sq_cm",
            "The treated area",
            coding.limits.max_area_sq_cm,
            "square cm",
        )
    elif lesion.area_sq_cm is not None:
        found.append(_ignored(f"{field}.area_sq_cm", "An area", "area_sq_cm", kind))
    return tuple(found)


def _ignored(field: str, what: str, measurement_field: str, kind: LesionKind) -> Message:
    used_for = " or ".join(kinds.names_measuring(measurement_field))
    return Message(
        Severity.WARNING,
        rules.MEASUREMENT_IGNORED,
        field,
        f"{what} is only used for {used_for} lesions, so it was not used for this {kind.value} entry. "
        "Check that the kind of lesion is right.",
    )


def check_lesion(lesion: LesionGroup, index: int, icd: Icd10Source) -> tuple[Message, ...]:
    """Every value check of one lesion entry."""
    field = f"lesions[{index}]"
    found = [
        *check_kind(lesion.kind, f"{field}.kind"),
        *check_count(lesion.count, f"{field}.count"),
        *check_site(lesion.site, f"{field}.site"),
        *check_method(lesion.method, f"{field}.method"),
        *check_measurements(lesion, field),
    ]
    found += check_diagnosis(lesion.diagnosis, f"{field}.diagnosis", icd, str(lesion.kind))[1]
    return tuple(found)


def check_prior(prior: PriorService, index: int, date_of_service: date) -> tuple[Message, ...]:
    """A prior service must be a five-character code dated on or before the visit."""
    field = f"prior_services[{index}]"
    found: list[Message] = []
    if len(prior.cpt) != 5 or not prior.cpt.isalnum() or not prior.cpt.isascii():
        found.append(
            _error(
                rules.INVALID_INPUT,
                f"{field}.cpt",
                f"“{prior.cpt}” is not a CPT or HCPCS code (five letters or digits, such as 17000).",
            )
        )
    if prior.date_of_service > date_of_service:
        found.append(
            _error(
                rules.INVALID_DATE,
                f"{field}.date_of_service",
                f"The earlier service is dated {shown_date(prior.date_of_service)}, after this visit "
                f"({shown_date(date_of_service)}). List only services billed before this visit.",
            )
        )
    return tuple(found)


def check_entries(encounter: Encounter) -> tuple[Message, ...]:
    """Something must be billable, and the number of entries must be sane."""
    limit = tables.lesion_coding().limits.max_entries
    if not encounter.lesions and encounter.em_code is None:
        return (
            _error(
                rules.NOTHING_TO_BILL,
                "lesions",
                "There is nothing to bill: no lesions were entered and no office visit code was given.",
            ),
        )
    if len(encounter.lesions) > limit:
        return (
            _error(
                rules.INVALID_INPUT,
                "lesions",
                f"{len(encounter.lesions)} lesion entries is more than "
                f"{limit}. Put lesions of the same kind, site and diagnosis into one entry with a count.",
            ),
        )
    return ()


def check_largest_band(encounter: Encounter) -> tuple[Message, ...]:
    """A warning for each size in the largest band: a malignant diameter over 4.0 cm, or vascular areas
    that add up to over 50.0 sq cm. These are the best-paid codes, and a size in millimetres entered as
    centimetres lands there, so a person should check the chart (``LARGEST_SIZE_BAND``)."""
    coding = tables.lesion_coding()
    found: list[Message] = []
    vascular: list[tuple[int, Decimal]] = []
    for index, lesion in enumerate(encounter.lesions):
        kind = lesion_kind(lesion.kind)
        needs = kinds.kind(kind).measurement if kind is not None else None
        if needs == "diameter_cm" and _usable(lesion.diameter_cm) and lesion.site in coding.sites:
            diameter = measurement(lesion.diameter_cm)  # type: ignore[arg-type]
            top = coding.diameter_bands[-2].upper
            if top is not None and diameter > top:
                group = coding.malignant_groups[coding.sites[lesion.site].malignant_group]
                found.append(
                    Message(
                        Severity.WARNING,
                        rules.LARGEST_SIZE_BAND,
                        f"lesions[{index}].diameter_cm",
                        f"The diameter {lesion.diameter_cm:g} cm is {coding.diameter_bands[-1].label}, the "
                        f"largest size band ({group.codes[-1]}). Check it in the chart: a size in "
                        "millimetres entered as centimetres lands here.",
                    )
                )
        if needs == "area_sq_cm" and _usable(lesion.area_sq_cm):
            vascular.append((index, measurement(lesion.area_sq_cm)))  # type: ignore[arg-type]
    top_area = coding.vascular_bands[-2].upper
    total = sum((area for _, area in vascular), Decimal(0))
    if vascular and top_area is not None and total > top_area:
        last = coding.vascular_bands[-1]
        whole = "" if len(vascular) == 1 else f" in total ({len(vascular)} entries)"
        found.append(
            Message(
                Severity.WARNING,
                rules.LARGEST_SIZE_BAND,
                f"lesions[{vascular[0][0]}].area_sq_cm",
                f"The treated area of {total.normalize():f} sq cm{whole} is {last.label}, the largest area "
                f"band ({last.code}). Check it in the chart before billing.",
            )
        )
    return tuple(found)


def _usable(value: object) -> bool:
    """A measurement the checks above can compare: a finite number above 0 (others are errors)."""
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    )


def validate_encounter(encounter: Encounter, today: date | None, icd: Icd10Source) -> tuple[Message, ...]:
    """Every value check of the encounter, in field order."""
    found = [
        *check_date(encounter.date_of_service, today, "date_of_service"),
        *check_pos(encounter.place_of_service),
        *check_payer(encounter.payer),
        *check_em(encounter.em_code),
    ]
    for index, prior in enumerate(encounter.prior_services):
        found += check_prior(prior, index, encounter.date_of_service)
    found += check_entries(encounter)
    for index, lesion in enumerate(encounter.lesions):
        found += check_lesion(lesion, index, icd)
    found += check_largest_band(encounter)
    return tuple(found)
