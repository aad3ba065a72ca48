"""The worked example of ``docs/cli.md``: one visit with every lesion kind, as JSON-shaped data.

One copy of it for everything that needs a realistic, complete encounter without a patient: the
documentation test checks that the page shows exactly this, the coding tests code it end to end, and
``benchmarks/bench_coding.py`` times it. Functions return fresh copies, so callers may change them.
"""

from __future__ import annotations

import copy
from typing import Any

_LESIONS: tuple[dict[str, Any], ...] = (
    {"kind": "premalignant", "count": 12, "site": "face", "method": "cryosurgery", "diagnosis": "L57.0"},
    {"kind": "benign", "count": 3, "site": "trunk", "method": "cryosurgery", "diagnosis": "L82.1"},
    {
        "kind": "malignant",
        "count": 1,
        "site": "nose",
        "method": "electrosurgery",
        "diagnosis": "C44.311",
        "diameter_cm": 0.8,
    },
    {
        "kind": "vascular",
        "count": 1,
        "site": "face",
        "method": "laser",
        "diagnosis": "I78.1",
        "area_sq_cm": 12.0,
    },
    {"kind": "skin_tag", "count": 20, "site": "neck", "method": "electrosurgery", "diagnosis": "L91.8"},
)

_ENCOUNTER: dict[str, Any] = {
    "date_of_service": "2026-11-27",
    "place_of_service": "11",
    "payer": "medicare",
    "em_code": "99213",
    "prior_services": [{"date_of_service": "2026-11-20", "cpt": "17000"}],
    "lesions": list(_LESIONS),
}


def example_lesions() -> list[dict[str, Any]]:
    """The example's five lesion entries, one of each kind, in the page's order."""
    return copy.deepcopy(list(_LESIONS))


def example_lesion(kind: str) -> dict[str, Any]:
    """The example's entry of one kind (``premalignant``, ``benign``, ``malignant``...)."""
    return next(entry for entry in example_lesions() if entry["kind"] == kind)


def example_encounter() -> dict[str, Any]:
    """The whole example encounter, as ``superbill code`` reads it."""
    return copy.deepcopy(_ENCOUNTER)
