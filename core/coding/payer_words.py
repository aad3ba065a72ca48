"""How a message names the tables behind it for the visit's payer (issue: "no Medicare advice on a
self-pay visit").

The edit tables (NCCI procedure-to-procedure edits and MUEs) are published by CMS for Medicare;
Medicaid programs use their own NCCI versions, most commercial insurers follow them too, and a self-pay
visit is billed to no insurer — the superbill matters only if the patient sends it to one. Messages
say so in those words instead of speaking of Medicare on every visit.
"""

from __future__ import annotations

from core.coding import tables


def payer_kind(payer_word: str, kind: str | None = None) -> str:
    """The kind of payer (medicare, medicaid, commercial, self_pay): ``kind`` when the practice's payer
    record gave it, else the payers table's for the engine's payer word (commercial when unknown)."""
    if kind:
        return kind
    row = tables.payer(payer_word)
    return row.kind if row is not None else "commercial"


def edit_table(kind: str) -> str:
    """The procedure-to-procedure edit table as this payer's message names it."""
    if kind == "medicare":
        return "Medicare's NCCI edit table"
    if kind == "medicaid":
        return "the NCCI edit table (Medicaid programs use their own version of it)"
    if kind == "self_pay":
        return (
            "the NCCI edit table insurers use (this visit is self-pay: it matters only if the patient "
            "sends the superbill to an insurer)"
        )
    return "the NCCI edit table (CMS publishes it for Medicare; most insurers follow it)"


def unit_limit(kind: str) -> tuple[str, str]:
    """The medically unlikely edit (MUE) limit as this payer's message names it, and a sentence that
    says whose limit it is ("" when the name says it all)."""
    if kind == "medicare":
        return "Medicare's limit (MUE)", ""
    if kind == "medicaid":
        return "the national limit (MUE)", " Medicaid programs use their own version of it."
    if kind == "self_pay":
        return (
            "the national limit (MUE)",
            " This visit is self-pay: the limit matters only if the patient sends the superbill to an "
            "insurer.",
        )
    return "the national limit (MUE)", " CMS sets it for Medicare; many insurers apply it too."
