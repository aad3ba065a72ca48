"""What a superbill's content hash covers, version by version (data only, no imports: the store records
at finalisation which version the encounter's superbill is hashed with, ``encounters.hash_version``)."""

from __future__ import annotations

#: a field name -> ``None`` (its value) or the fields to take from it (a block, or each item of a list)
Spec = dict[str, "Spec | None"]

#: What the content hash covers, version by version: an explicit list, so that a field added to these
#: dataclasses is printed but changes no hash until a new version lists it — the hash on a superbill
#: handed out last year still matches its reprint. Add a version; never edit one.
HASHED_FIELDS: dict[int, Spec] = {
    1: {
        "encounter_id": None,
        "document_number": None,
        "date_of_service": None,
        "practice": dict.fromkeys(("name", "address_lines", "phone", "tax_id", "group_npi")),
        "provider": dict.fromkeys(("name", "credentials", "npi", "license_number")),
        "place_of_service": dict.fromkeys(("code", "name")),
        "patient": dict.fromkeys(("name", "date_of_birth", "sex", "address_lines", "chart_number")),
        "insurance": dict.fromkeys(
            ("payer_name", "member_id", "group_number", "subscriber_name", "relationship")
        ),
        "diagnoses": dict.fromkeys(("letter", "code", "description")),
        "lines": {
            **dict.fromkeys(("date_of_service", "cpt", "modifiers", "description", "diagnosis_pointers")),
            **dict.fromkeys(("units", "unit_charge_cents", "line_charge_cents", "why")),
            "lesions": dict.fromkeys(("count", "kind", "sites", "method", "size")),
        },
        "totals": dict.fromkeys(("charges_cents", "paid_cents", "balance_cents")),
    },
}
#: a coverage as version 2 hashes it: version 1's fields, the payer's id and its claims address
_COVERAGE_2: Spec = dict.fromkeys(
    (
        "payer_name",
        "member_id",
        "group_number",
        "subscriber_name",
        "relationship",
        "payer_id",
        "claims_address_lines",
    )
)
#: Version 2 (encounters finalised since schema 10): version 1 and what billers asked for since — the
#: provider's taxonomy, the payer's id and claims address, the second insurance. The patient's sex is
#: hashed as the record holds it (F, M or U) in both versions.
HASHED_FIELDS[2] = {
    **HASHED_FIELDS[1],
    "provider": dict.fromkeys(("name", "credentials", "npi", "license_number", "taxonomy")),
    "insurance": _COVERAGE_2,
    "secondary_insurance": _COVERAGE_2,
}
#: the version new superbills are hashed with (stored with each encounter when it is finalised)
HASH_VERSION = max(HASHED_FIELDS)
