"""Modifier rules: 25 on a same-day E/M, 59/XS on the column-2 code of an edit pair, 51 by payer.

Each rule reads the draft lines and returns the modifiers it adds (code → modifiers) and its messages.
Add-on codes never get 51 or 59; an E/M line never gets 59/X{EPSU}; Medicare never gets 51.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.coding import rules, tables
from core.coding.families import DraftLine
from core.coding.model import Message, Severity
from core.coding.settings import CodingSettings

Added = dict[str, list[str]]


def _lesion_field(line: DraftLine) -> str | None:
    return f"lesions[{line.lesion_indexes[0]}]" if line.lesion_indexes else None


def _is_em(code: str) -> bool:
    info = tables.cpt(code)
    return info is not None and info.family == "em"


def same_day_em(lines: Sequence[DraftLine]) -> tuple[Added, list[Message]]:
    """An E/M billed with any procedure takes modifier 25, with a warning about documentation."""
    em = [line for line in lines if _is_em(line.cpt)]
    procedures = [line.cpt for line in lines if not _is_em(line.cpt)]
    if not em or not procedures:
        return {}, []
    text = (
        f"The office visit {em[0].cpt} is billed on the same day as {', '.join(procedures)}, so it carries "
        "modifier 25. Bill it only if the notes show a significant, separately identifiable visit beyond the "
        "usual check before a minor procedure (being a new patient is not enough)."
    )
    return {em[0].cpt: ["25"]}, [Message(Severity.WARNING, rules.EM_SAME_DAY, "em_code", text)]


def distinct_procedures(lines: Sequence[DraftLine], settings: CodingSettings) -> tuple[Added, list[Message]]:
    """59 (or XS) on the column-2 code of every in-effect edit pair billed together."""
    billed = {line.cpt: line for line in lines}
    added: Added = {}
    messages: list[Message] = []
    modifier = settings.distinct_modifier
    for edit in tables.ptp_edits():
        if edit.column1 not in billed or edit.column2 not in billed:
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
                    f"{edit.column1} and {edit.column2} are billed together. Whether Medicare's edit "
                    f"table pairs them is not confirmed, so no {modifier} was added. If the payer "
                    f"denies {edit.column2}, ask the biller whether {modifier} applies.",
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
                f"unless the lesions are separate. {modifier} says these were different lesions; the "
                "notes must show the separate sites.",
            )
        )
    return added, messages


def multiple_procedures(
    lines: Sequence[DraftLine], settings: CodingSettings, payer_kind: str
) -> tuple[Added, list[Message]]:
    """51 on every further procedure when the payer wants it (never Medicare, never on exempt codes)."""
    if not settings.modifier_51 or payer_kind == "medicare":
        return {}, []
    eligible = []
    for line in lines:
        info = tables.cpt(line.cpt)
        if (
            info is not None
            and info.family != "em"
            and not info.add_on
            and not info.multiple_procedure_exempt
        ):
            eligible.append(line.cpt)
    return {code: ["51"] for code in eligible[1:]}, []
