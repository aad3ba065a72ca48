"""Scrubber checks on a coded encounter: warnings and notes that do not change the codes.

Each check is a small function ``(encounter, lines) -> messages``; ``CHECKS`` lists them in the order
their messages appear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from core.coding import kinds, payer_words, rules, tables
from core.coding.families import DraftLine
from core.coding.model import Encounter, Message, Severity
from core.dates import shown_date
from core.text import counted

#: how far back an unknown global period is worth a note (the longest common global is 90 days)
_LONGEST_GLOBAL_DAYS = 90
_GLOBAL_DAYS = {"000": 0, "010": 10, "090": 90}


def units_over_mue(encounter: Encounter, lines: Sequence[DraftLine]) -> list[Message]:
    """Units above a code's MUE are flagged, never cut; the text says what the MUE's MAI means."""
    found = []
    for line in lines:
        limit = tables.mue(line.cpt)
        if limit is not None and limit.max_units is not None and line.units > limit.max_units:
            field = f"lesions[{line.lesion_indexes[0]}]" if line.lesion_indexes else None
            kind = payer_words.payer_kind(encounter.payer)
            found.append(Message(Severity.WARNING, rules.UNITS_OVER_MUE, field, _mue_text(line, limit, kind)))
    return found


def _mue_text(line: DraftLine, limit: tables.MueLimit, kind: str) -> str:
    name, whose = payer_words.unit_limit(kind)
    head = f"{line.cpt} × {line.units} is more than {name} of {limit.max_units} unit(s)"
    kept = "The units were kept as entered: check the count"
    source = f" (MUE table: {limit.source})" if limit.source else ""
    if limit.adjudication_indicator == 1:
        return (
            f"{head} on one claim line{source}. Its adjudication indicator is 1, a line edit: the units "
            f"above {limit.max_units} on the line are denied, and splitting them over several lines is not "
            f"a fix.{whose} {kept}, and ask the biller before sending."
        )
    if limit.adjudication_indicator == 2:
        return (
            f"{head} per day{source}. Its adjudication indicator is 2, a date-of-service edit set by "
            f"policy: it is absolute, the units above {limit.max_units} on the day are denied, and appeals "
            f"rarely succeed.{whose} {kept}."
        )
    if limit.adjudication_indicator == 3:
        return (
            f"{head} per day{source}. Its adjudication indicator is 3, a date-of-service edit set from "
            f"clinical data: the units above {limit.max_units} on the day are denied, but may be paid on "
            f"appeal with notes that show they were needed.{whose} {kept}, and keep the notes ready."
        )
    return (
        f"{head} per day; the claim may be denied or cut.{whose} {kept}, and attach the notes if it is right."
    )


def _global_days(code: str, billed: date) -> int | str | None:
    """Days after the procedure covered by its global period; ``"none"`` if it has none; None unknown.

    The global period is the one of the year ``code`` was billed in (the CMS file of that year).
    """
    info = tables.cpt(code)
    days = tables.global_days(code, billed)
    if days == "ZZZ" and info is not None and info.primary is not None:
        return _global_days(info.primary, billed)
    if days == "XXX":
        return "none"
    return None if days is None else _GLOBAL_DAYS.get(days)


def in_global_period(encounter: Encounter, lines: Sequence[DraftLine]) -> list[Message]:
    """A visit inside a prior procedure's global period: name 24, 79, 58 and 78 without choosing."""
    found = []
    for index, prior in enumerate(encounter.prior_services):
        since = (encounter.date_of_service - prior.date_of_service).days
        days = _global_days(prior.cpt, prior.date_of_service)
        field = f"prior_services[{index}]"
        if days == "none" or since < 0:
            continue
        if days is None:
            if since <= _LONGEST_GLOBAL_DAYS:
                found.append(
                    Message(
                        Severity.INFO,
                        rules.GLOBAL_PERIOD_UNKNOWN,
                        field,
                        f"{prior.cpt} was billed on {shown_date(prior.date_of_service)}, "
                        f"{counted(since, 'day')} before this visit, and its global period is not known "
                        "to this program. Check whether this visit falls inside it.",
                    )
                )
            continue
        assert isinstance(days, int)
        if since <= days:
            end = prior.date_of_service + timedelta(days=days)
            found.append(
                Message(
                    Severity.WARNING,
                    rules.IN_GLOBAL_PERIOD,
                    field,
                    _global_text(prior.cpt, prior.date_of_service, end, days, encounter.date_of_service),
                )
            )
    return found


def _global_text(code: str, billed: date, end: date, days: int, visit: date) -> str:
    return (
        f"This visit ({shown_date(visit)}) is inside the {days}-day global period of {code} billed on "
        f"{shown_date(billed)} (it runs through {shown_date(end)}). Follow-up care related to that "
        "procedure is not billed separately. If this service is unrelated or planned, a modifier may "
        "apply: 24 (unrelated visit), 79 (unrelated procedure), 58 (staged or planned procedure) or 78 "
        "(return to the procedure room for a complication). The provider's notes decide which, if any."
    )


def coverage_reminder(encounter: Encounter, lines: Sequence[DraftLine]) -> list[Message]:
    """Benign, skin-tag and vascular destruction is often cosmetic unless an indication is documented."""
    if encounter.payer == "self_pay":
        return []
    found = []
    for kind in kinds.all_kinds():
        if not kind.coverage_reminder:
            continue
        first = next((i for i, e in enumerate(encounter.lesions) if e.kind == kind.name), None)
        if first is None:
            continue
        found.append(
            Message(
                Severity.INFO,
                rules.COVERAGE_REMINDER,
                f"lesions[{first}]",
                f"Insurers often treat removal of {kind.plural} as cosmetic and do not pay for it unless "
                "the notes document a reason (for example bleeding, pain, intense itching, inflammation, or "
                "blocked vision). Without one, tell the patient before the visit that they may have to pay.",
            )
        )
    return found


def site_specific(encounter: Encounter, lines: Sequence[DraftLine]) -> list[Message]:
    """Genitalia and eyelid lesions may have their own destruction codes elsewhere in CPT."""
    sites = tables.lesion_coding().sites
    found = []
    for index, entry in enumerate(encounter.lesions):
        site = sites.get(entry.site)
        if site is not None and site.site_specific_warning:
            found.append(
                Message(
                    Severity.WARNING,
                    rules.SITE_SPECIFIC_CODE,
                    f"lesions[{index}].site",
                    f"Destruction on the {entry.site} may have its own code elsewhere in CPT (for example "
                    "for the penis, vulva or eyelid margin). Ask the provider or biller which code fits "
                    "before billing this line.",
                )
            )
    return found


Check = Callable[[Encounter, Sequence[DraftLine]], list[Message]]

CHECKS: tuple[Check, ...] = (units_over_mue, in_global_period, site_specific, coverage_reminder)
