"""Messages speak of the visit's payer: no Medicare advice on a self-pay or commercial visit (issue 9.9)."""

from __future__ import annotations

from datetime import date

import pytest

from core.coding import code_encounter
from core.coding.model import Encounter, LesionGroup, LesionKind

DAY = date(2026, 11, 20)
#: 30 skin tags go over 11201's MUE; an actinic keratosis with a wart pairs 17000 with 17110 (an edit)
TAGS = LesionGroup(LesionKind.SKIN_TAG, 30, "neck", "electrosurgery", "L91.8")
AK = LesionGroup(LesionKind.PREMALIGNANT, 1, "face", "cryosurgery", "L57.0")
WART = LesionGroup(LesionKind.BENIGN, 2, "hand", "cryosurgery", "B07.8")


def _texts(payer: str, *lesions: LesionGroup) -> str:
    result = code_encounter(Encounter(DAY, "11", lesions, payer=payer))
    return " ".join(m.text for m in result.messages)


@pytest.mark.parametrize("payer", ["self_pay", "aetna", "commercial", "bcbs"])
def test_no_medicare_advice_on_a_visit_not_billed_to_medicare(payer: str) -> None:
    texts = _texts(payer, TAGS, AK, WART)
    assert "Medicare's" not in texts
    if payer == "self_pay":
        assert "self-pay" in texts


def test_a_medicare_visit_names_medicare() -> None:
    texts = _texts("medicare", TAGS, AK, WART)
    assert "Medicare's" in texts
