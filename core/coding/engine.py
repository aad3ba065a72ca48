"""``code_encounter``: one encounter in, claim lines with modifiers and diagnosis pointers out.

Steps: validate every field (errors stop here, with no lines); count each lesion kind into codes;
build the claim's diagnosis list and each line's pointers; add modifiers (51 ranks the procedures by
the packaged fee schedule's RVUs); run the scrubber checks. Pure: the only I/O is reading the
packaged code and fee-schedule tables and the ICD-10-CM code set once; no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from core.coding import checks, families, kinds, modifiers, payer_words, rules, tables
from core.coding.diagnoses import (
    MAX_DIAGNOSES,
    Remembering,
    check_diagnosis,
    claim_order,
    default_source,
    pointers,
    support_message,
)
from core.coding.families import DraftLine
from core.coding.model import CodedLine, CodingResult, Encounter, Message, Severity
from core.coding.settings import CodingSettings
from core.coding.validate import validate_encounter
from core.record import replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from core.coding.diagnoses import Icd10Source


def code_encounter(
    encounter: Encounter, settings: CodingSettings | None = None, *, icd: Icd10Source | None = None
) -> CodingResult:
    """Code one encounter.

    ``settings`` defaults to the payers table's conventions for ``encounter.payer`` (and no future-date
    check, since the engine has no clock: pass ``CodingSettings(today=...)`` for that). ``icd`` is the
    ICD-10-CM code set (``core.icd10`` unless a test passes a fake). When any message is an error the
    result has no lines and no diagnoses.
    """
    if settings is None:
        settings = CodingSettings.for_payer(encounter.payer)
    if settings.payer_kind is None:  # the messages speak of the visit's payer
        settings = replace(settings, payer_kind=payer_words.payer_kind(encounter.payer))
    source = Remembering(icd if icd is not None else default_source())
    found = list(validate_encounter(encounter, settings.today, source))
    if any(m.severity is Severity.ERROR for m in found):
        return CodingResult(messages=tuple(found))

    dx_by_lesion = [
        check_diagnosis(e.diagnosis, f"lesions[{i}].diagnosis", source)[0] or ""
        for i, e in enumerate(encounter.lesions)
    ]
    claim = claim_order(dx_by_lesion)
    if len(claim) > MAX_DIAGNOSES:
        return CodingResult(
            messages=(
                *found,
                Message(
                    Severity.ERROR,
                    rules.TOO_MANY_DIAGNOSES,
                    "lesions",
                    f"This visit has {len(claim)} different diagnoses, but a claim holds at most "
                    f"{MAX_DIAGNOSES}. Split the lesions over two claims or ask the biller which "
                    "diagnoses to keep.",
                ),
            )
        )
    for index, (entry, code) in enumerate(zip(encounter.lesions, dx_by_lesion, strict=True)):
        mismatch = support_message(entry, code, f"lesions[{index}].diagnosis")
        if mismatch is not None:
            found.append(mismatch)

    drafts = _draft_lines(encounter)
    added, modifier_messages = _modifiers(drafts, settings, encounter)
    lines, pointer_messages = _finish_lines(drafts, added, dx_by_lesion, claim, encounter)
    found += modifier_messages + pointer_messages
    for check in checks.CHECKS:
        found += check(encounter, drafts)
    return CodingResult(lines=tuple(lines), diagnoses=claim, messages=tuple(found))


def _draft_lines(encounter: Encounter) -> list[DraftLine]:
    drafts: list[DraftLine] = []
    if encounter.em_code is not None:
        why = (
            "Office visit on the same day as the procedures"
            if encounter.lesions
            else "Office visit; no procedure was done"
        )
        drafts.append(DraftLine(encounter.em_code, 1, (), why))
    procedures: list[DraftLine] = []
    declared = kinds.all_kinds()
    for family in dict.fromkeys(k.family for k in declared):  # the kinds of one family are counted together
        members = {k.name for k in declared if k.family == family}
        entries = [(i, e) for i, e in enumerate(encounter.lesions) if e.kind in members]
        if entries:
            procedures += families.RULES[family](entries)
    return drafts + sorted(procedures, key=_claim_order_key)


def _claim_order_key(line: DraftLine) -> tuple[str, bool, str]:
    """A family's primary code before its add-on; otherwise ascending by code."""
    info = tables.cpt(line.cpt)
    if info is not None and info.add_on and info.primary is not None:
        return info.primary, True, line.cpt
    return line.cpt, False, line.cpt


def _modifiers(
    drafts: Sequence[DraftLine], settings: CodingSettings, encounter: Encounter
) -> tuple[dict[str, list[str]], list[Message]]:
    payer_kind = settings.payer_kind
    if payer_kind is None:
        payer = tables.payer(encounter.payer)
        payer_kind = payer.kind if payer is not None else "commercial"
    day = encounter.date_of_service
    em_added, em_messages = modifiers.same_day_em(drafts, day, encounter.decision_for_surgery)
    distinct_added, distinct_messages = modifiers.distinct_procedures(drafts, settings, day)
    multiple_added, multiple_messages = modifiers.multiple_procedures(
        drafts, settings, payer_kind, _unit_values(drafts, encounter), distinct_added, day.year
    )
    added: dict[str, list[str]] = {}
    for rule_added in (em_added, distinct_added, multiple_added):
        for code, mods in rule_added.items():
            added.setdefault(code, []).extend(m for m in mods if m not in added.get(code, []))
    return added, em_messages + distinct_messages + multiple_messages


def _unit_values(drafts: Sequence[DraftLine], encounter: Encounter) -> dict[str, Decimal | None]:
    """Each code's total RVU for one unit at the visit's rate (the place of service picks it)."""
    place = tables.pos(encounter.place_of_service)
    facility = place is not None and place.facility
    year = encounter.date_of_service.year
    return {d.cpt: tables.rvu_total(d.cpt, year, facility=facility) for d in drafts}


def _finish_lines(
    drafts: Sequence[DraftLine],
    added: dict[str, list[str]],
    dx_by_lesion: Sequence[str],
    claim: Sequence[str],
    encounter: Encounter,
) -> tuple[list[CodedLine], list[Message]]:
    lines: list[CodedLine] = []
    messages: list[Message] = []
    for draft in drafts:
        weights: dict[str, int] = {}
        if draft.lesion_indexes:
            for index in draft.lesion_indexes:
                code = dx_by_lesion[index]
                weights[code] = weights.get(code, 0) + encounter.lesions[index].count
        else:  # the E/M line: the visit's diagnoses in claim order
            weights = {code: 0 for code in claim}
        letters, cut = pointers(weights, claim)
        if cut and draft.lesion_indexes:  # the E/M line simply points at the first four
            messages.append(
                Message(
                    Severity.WARNING,
                    rules.TOO_MANY_POINTERS,
                    f"lesions[{draft.lesion_indexes[0]}]",
                    f"{draft.cpt} is linked to {len(weights)} diagnoses, but a claim line can point "
                    "to at most 4; the 4 with the most lesions were kept. Check that they are the "
                    "right ones.",
                )
            )
        info = tables.cpt(draft.cpt)
        description = info.description if info is not None else draft.cpt
        lines.append(
            CodedLine(
                draft.cpt,
                draft.units,
                tuple(added.get(draft.cpt, ())),
                letters,
                description,
                draft.why,
                draft.lesion_indexes,
            )
        )
    if drafts and not claim and not any(d.lesion_indexes for d in drafts):
        messages.append(
            Message(
                Severity.WARNING,
                rules.EM_WITHOUT_DIAGNOSIS,
                "em_code",
                "The office visit has no diagnosis (diagnoses come from the lesions, and none "
                "were entered). Add the visit's diagnosis on the claim before sending it.",
            )
        )
    return lines, messages
