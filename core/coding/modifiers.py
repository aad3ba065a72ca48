"""Modifier rules: 25 on a same-day E/M (57 when it is the decision for a 90-day procedure), 59/XS on
the column-2 code of an edit pair, 51 by payer.

Each rule reads the draft lines and returns the modifiers it adds (code → modifiers) and its messages.
Add-on codes never get 51 or 59; an E/M line never gets 59/X{EPSU}; Medicare never gets 51; 51 goes
on every procedure except the highest-valued one (by fee-schedule value, not by claim order), and
never on a line that already carries 59/XS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from core.coding import payer_words, rules, tables
from core.coding.families import DraftLine
from core.coding.model import Message, Severity
from core.coding.settings import DISTINCT_MODIFIERS, CodingSettings

Added = dict[str, list[str]]


def _lesion_field(line: DraftLine) -> str | None:
    return f"lesions[{line.lesion_indexes[0]}]" if line.lesion_indexes else None


def _is_em(code: str) -> bool:
    info = tables.cpt(code)
    return info is not None and info.family == "em"


#: the global period of a major procedure, whose decision visit takes 57 (CMS Global Surgery Booklet)
MAJOR_GLOBAL = "090"


def major_procedures(codes: Sequence[str], on: date) -> list[str]:
    """The codes among ``codes`` whose global period on ``on`` is 90 days (CMS RVU file: ``090``)."""
    return [code for code in dict.fromkeys(codes) if tables.global_days(code, on) == MAJOR_GLOBAL]


_DAY_BEFORE = (
    "A decision made at a visit the day before cannot be seen here (each visit is coded on its own "
    "day): that visit's office visit takes 57 instead."
)


def same_day_em(
    lines: Sequence[DraftLine], on: date | None = None, decision_for_surgery: bool = False
) -> tuple[Added, list[Message]]:
    """An E/M billed with any procedure takes modifier 25, with a warning about documentation.

    With a procedure whose global period is 90 days (``tables.global_days`` on ``on``), the visit where
    the decision for it was made takes 57 instead: only the chart says so, so 57 is added when
    ``decision_for_surgery`` is set, and otherwise the 25 warning says when 57 applies.
    """
    em = [line for line in lines if _is_em(line.cpt)]
    procedures = [line.cpt for line in lines if not _is_em(line.cpt)]
    majors = major_procedures(procedures, on) if on is not None else []
    if decision_for_surgery and em and majors:
        return {em[0].cpt: ["57"]}, [_decision_57(em[0].cpt, majors)]
    messages = []
    if decision_for_surgery:
        messages.append(_decision_not_used(em[0].cpt if em else None, bool(procedures)))
    if not em or not procedures:
        return {}, messages
    text = (
        f"The office visit {em[0].cpt} is billed on the same day as {', '.join(procedures)}, so it carries "
        "modifier 25. Bill it only if the notes show a significant, separately identifiable visit beyond the "
        "usual check before a minor procedure (being a new patient is not enough)."
    )
    if majors:
        text += (
            f" {_named(majors)} {'has' if len(majors) == 1 else 'have'} a 90-day global period: if this "
            "visit is where the decision to do it was made, the office visit takes 57 instead of 25 — tick "
            "“Decision for surgery (57)” next to the visit code in the window (or send "
            '"decision_for_surgery": true). ' + _DAY_BEFORE
        )
    return {em[0].cpt: ["25"]}, [Message(Severity.WARNING, rules.EM_SAME_DAY, "em_code", text), *messages]


def _named(codes: Sequence[str]) -> str:
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} and {codes[-1]}"


def _decision_57(em: str, majors: Sequence[str]) -> Message:
    return Message(
        Severity.WARNING,
        rules.EM_DECISION_FOR_SURGERY,
        "em_code",
        f"The office visit {em} is marked as the visit where the decision for {_named(majors)} (a 90-day "
        "global period) was made, so it carries modifier 57 instead of 25. The notes must show that "
        "decision; a routine check before a procedure already decided on is part of the procedure and is "
        "not billed.",
    )


def _decision_not_used(em: str | None, with_procedures: bool) -> Message:
    if em is None:
        text = (
            "The visit is marked as a decision for surgery, but no office visit is billed, and 57 goes on "
            "the office visit. Add the visit code, or clear the mark."
        )
    else:
        then = " (it carries 25 as usual)" if with_procedures else ""
        text = (
            f"The visit is marked as a decision for surgery, but no procedure with a 90-day global period "
            f"is billed today, so {em} does not take 57{then}: the decision for a minor procedure (0- or "
            "10-day global period) is part of that procedure. If the procedure is done tomorrow, this "
            "visit cannot see it (each visit is coded on its own day): ask the biller to put 57 on this "
            "office visit."
        )
    return Message(Severity.WARNING, rules.EM_DECISION_FOR_SURGERY, "decision_for_surgery", text)


def distinct_procedures(
    lines: Sequence[DraftLine], settings: CodingSettings, on: date | None = None
) -> tuple[Added, list[Message]]:
    """59 (or XS) on the column-2 code of every edit pair in force on ``on`` with modifier indicator 1.

    A pair with indicator 0 gets no modifier (none can bypass it) but a warning that the column-2 code
    is not paid with the column-1 code.
    """
    billed = {line.cpt: line for line in lines}
    added: Added = {}
    messages: list[Message] = []
    modifier = settings.distinct_modifier
    kind = settings.payer_kind or "commercial"
    for edit in tables.ptp_edits(on):
        if edit.column1 not in billed or edit.column2 not in billed:
            continue
        if edit.in_effect and edit.modifier_indicator == "0":
            messages.append(_not_bypassable(edit, billed[edit.column2], kind))
            continue
        column2 = tables.cpt(edit.column2)
        if column2 is None or column2.add_on or column2.family == "em":
            continue
        if not edit.in_effect:
            messages.append(
                Message(
                    Severity.INFO,
                    rules.EDIT_UNCONFIRMED,
                    _lesion_field(billed[edit.column2]),
                    f"{edit.column1} and {edit.column2} are billed together. Whether "
                    f"{payer_words.edit_table(kind)} pairs them is not confirmed, so no {modifier} was "
                    f"added. If the payer denies {edit.column2}, ask the biller whether {modifier} applies.",
                )
            )
            continue
        if edit.modifier_indicator != "1" or modifier in added.get(edit.column2, []):
            continue
        added.setdefault(edit.column2, []).append(modifier)
        messages.append(
            Message(
                Severity.INFO,
                rules.DISTINCT_PROCEDURE,
                _lesion_field(billed[edit.column2]),
                f"{edit.column2} got modifier {modifier}: the edit table bundles it into {edit.column1} "
                f"unless the lesions are separate. The edit's modifier indicator is 1, so a modifier may "
                f"let both be paid: {modifier} says these were different lesions; the notes must show the "
                f"separate sites. (Edit table: {edit.source}.)",
            )
        )
    return added, messages


def _not_bypassable(edit: tables.PtpEdit, line: DraftLine, kind: str) -> Message:
    return Message(
        Severity.WARNING,
        rules.EDIT_NOT_BYPASSABLE,
        _lesion_field(line),
        f"{edit.column1} and {edit.column2} are billed together, and {payer_words.edit_table(kind)} "
        "pairs them with "
        f"modifier indicator 0: {edit.column2} is not paid with {edit.column1} on the same day, whatever "
        "modifier is added, so no modifier was added. Check with the provider which one to bill. "
        f"(Edit table: {edit.source}.)",
    )


def multiple_procedures(
    lines: Sequence[DraftLine],
    settings: CodingSettings,
    payer_kind: str,
    values: Mapping[str, Decimal | None],
    distinct: Added,
    year: int | None = None,
) -> tuple[Added, list[Message]]:
    """51 on every procedure but the highest-valued one, when the payer wants it.

    Never for Medicare and never on add-on or 51-exempt codes: those whose CMS multiple-procedure
    indicator for ``year`` is 0 (17004); the nearest year's when no CMS file covers the year.
    ``values`` is the total RVU of one unit of each code at the visit's rate (``None`` = not
    confirmed): procedures are ranked by it, unknown values last, so the main procedure is the highest
    *known* one, with a note asking the biller to confirm it. A line that carries the distinct-procedure
    modifier (``distinct``) does not also get 51, since some payers refuse the two together on one
    line; a note says so.
    """
    if not settings.modifier_51 or payer_kind == "medicare":
        return {}, []
    eligible = [line for line in lines if _takes_51(line.cpt, year)]
    if len(eligible) < 2:
        return {}, []
    ranked = rank_by_value(eligible, values)
    main, further = ranked[0], ranked[1:]
    added: Added = {}
    messages: list[Message] = []
    for line in further:
        carried = [m for m in distinct.get(line.cpt, []) if m in DISTINCT_MODIFIERS]
        if carried:
            messages.append(_left_off_51(line, carried[0], main.cpt))
        else:
            added[line.cpt] = ["51"]
    unknown = [line.cpt for line in eligible if values.get(line.cpt) is None]
    if unknown:
        messages.append(_primary_unconfirmed(unknown, main.cpt))
    return added, messages


def _takes_51(code: str, year: int | None) -> bool:
    info = tables.cpt(code)
    return (
        info is not None
        and info.family != "em"
        and not info.add_on
        and not tables.multiple_procedure_exempt(code, year)
    )


def rank_by_value(lines: Sequence[DraftLine], values: Mapping[str, Decimal | None]) -> list[DraftLine]:
    """Highest value of one unit first; on a tie the line with more units, then claim order.

    One unit is one procedure (a line of three 17260s is three procedures of that value), as the
    multiple-procedure reduction ranks them. Lines whose value is unknown come last, in claim order.
    """

    def key(indexed: tuple[int, DraftLine]) -> tuple[bool, Decimal, int, int]:
        position, line = indexed
        value = values.get(line.cpt)
        if value is None:
            return True, Decimal(0), 0, position
        return False, -value, -line.units, position

    return [line for _, line in sorted(enumerate(lines), key=key)]


def _primary_unconfirmed(unknown: Sequence[str], main: str) -> Message:
    codes = ", ".join(unknown)
    whose = "its" if len(unknown) == 1 else "their"
    return Message(
        Severity.INFO,
        rules.PRIMARY_UNCONFIRMED,
        None,
        "Modifier 51 goes on every procedure except the highest-valued one, but the fee-schedule value "
        f"of {codes} for this date and place of service is not confirmed, so {whose} place in that "
        f"order is not known. {main} was taken as the main procedure (no 51). Ask the biller to check "
        "which procedure is primary and move 51 if needed.",
    )


def _left_off_51(line: DraftLine, distinct: str, main: str) -> Message:
    return Message(
        Severity.INFO,
        rules.MODIFIER_51_LEFT_OFF,
        _lesion_field(line),
        f"{line.cpt} is a further procedure after {main}, but it already carries {distinct}, and some "
        f"payers refuse {distinct} and 51 on the same line, so 51 was left off. If this payer wants "
        "both, add 51 as well.",
    )
