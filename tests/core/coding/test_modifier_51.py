"""Modifier 51: on every procedure but the highest-valued one (by fee-schedule RVU), payer by payer.

The table cases run the whole engine on the packaged CMS Relative Value Files (RVU26C, RVU25D); the
ranking cases call the rule with made-up values to pin the order in every case.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.coding import CodingSettings, LesionGroup, code_encounter, modifiers, rules, tables
from core.coding.families import DraftLine
from core.coding.model import Encounter
from tests.core.coding.builders import FakeIcd10, encounter, lesion

ICD = FakeIcd10()

ON = CodingSettings(modifier_51=True)
ON_XS = CodingSettings(modifier_51=True, distinct_modifier="XS")
OFF = CodingSettings(modifier_51=False)
BOWEN = lesion("malignant", 1, site="arm", diameter_cm=2.2, diagnosis="D04.61")
WARTS = lesion("benign", 2, site="trunk")


def on(day: date, enc: Encounter) -> Encounter:
    return replace(enc, date_of_service=day)


CASES = [
    pytest.param(
        # 2026 office: 17110 3.33 RVU > 17000 1.99, so the lower-valued primary 17000 takes 51
        encounter(WARTS, lesion("premalignant", 3), payer="aetna"),
        ON,
        [("17000", 1, ("51",)), ("17003", 2, ()), ("17110", 1, ())],
        [],
        id="commercial-51-on-17110-main-17000-gets-51-add-on-never",
    ),
    pytest.param(
        encounter(WARTS, lesion("premalignant", 3), payer="aetna"),
        OFF,
        [("17000", 1, ()), ("17003", 2, ()), ("17110", 1, ())],
        [],
        id="commercial-51-off",
    ),
    pytest.param(
        encounter(WARTS, lesion("premalignant", 3), payer="medicare"),
        ON,
        [("17000", 1, ()), ("17003", 2, ()), ("17110", 1, ())],
        [],
        id="medicare-never-51-even-when-set",
    ),
    pytest.param(
        encounter(lesion("premalignant", 8), BOWEN, payer="medicare"),
        ON,
        [("17000", 1, ()), ("17003", 7, ()), ("17263", 1, ("59",))],
        [rules.DISTINCT_PROCEDURE],
        id="medicare-malignant-and-premalignant-59-only",
    ),
    pytest.param(
        encounter(WARTS, lesion("premalignant", 3), payer="medicaid"),
        ON,
        [("17000", 1, ("51",)), ("17003", 2, ()), ("17110", 1, ())],
        [],
        id="medicaid-is-not-medicare",
    ),
    pytest.param(
        # facility rate (RVU26C): 17110 1.87 > 17000 1.43 (17110's facility total was unconfirmed before)
        encounter(WARTS, lesion("premalignant", 3), payer="aetna", pos="22"),
        ON,
        [("17000", 1, ("51",)), ("17003", 2, ()), ("17110", 1, ())],
        [],
        id="facility-rate-17110-main-by-the-cms-facility-total",
    ),
    pytest.param(
        encounter(WARTS, lesion("premalignant", 20), payer="bcbs"),
        ON,
        [("17004", 1, ()), ("17110", 1, ())],
        [],
        id="17004-is-51-exempt-and-17110-is-then-the-only-procedure",
    ),
    pytest.param(
        # RVU26C: 17263 (5.64) is the main procedure and keeps its 59; 17000 (1.99) takes 51
        encounter(lesion("premalignant", 8), BOWEN, payer="aetna"),
        ON,
        [("17000", 1, ("51",)), ("17003", 7, ()), ("17263", 1, ("59",))],
        [rules.DISTINCT_PROCEDURE],
        id="malignant-and-premalignant-malignant-is-main",
    ),
    pytest.param(
        # 17110 (3.33) is main; 11200 (2.76) carries 59, so 51 is left off it; 17000 (1.99) takes 51
        encounter(lesion("premalignant", 3), lesion("skin_tag", 5, site="neck"), WARTS, payer="aetna"),
        ON,
        [("11200", 1, ("59",)), ("17000", 1, ("51",)), ("17003", 2, ()), ("17110", 1, ())],
        [rules.DISTINCT_PROCEDURE, rules.MODIFIER_51_LEFT_OFF],
        id="59-never-with-51",
    ),
    pytest.param(
        encounter(lesion("premalignant", 20), BOWEN, payer="uhc"),
        ON_XS,
        [("17004", 1, ()), ("17263", 1, ("XS",))],
        [rules.DISTINCT_PROCEDURE],
        id="17004-with-malignant-only-one-procedure-takes-51",
    ),
    pytest.param(
        # 2025 office (RVU25D): 17106 10.44 > 17110 3.40 > 17000 2.05
        on(
            date(2025, 6, 2),
            encounter(lesion("premalignant", 2), WARTS, lesion("vascular", 1, area_sq_cm=3.0), payer="cigna"),
        ),
        ON,
        [("17000", 1, ("51",)), ("17003", 1, ()), ("17106", 1, ()), ("17110", 1, ("51",))],
        [],
        id="2025-vascular-is-main-both-others-get-51",
    ),
    pytest.param(
        # no 2024 table ships: nothing is known, the first in claim order stays main, with a note
        on(date(2024, 6, 3), encounter(lesion("premalignant", 2), WARTS, payer="aetna")),
        ON,
        [("17000", 1, ()), ("17003", 1, ()), ("17110", 1, ("51",))],
        [rules.PRIMARY_UNCONFIRMED],
        id="year-without-a-table",
    ),
]


@pytest.mark.parametrize(("enc", "settings", "lines", "notes"), CASES)
def test_modifier_51(
    icd: FakeIcd10,
    enc: Encounter,
    settings: CodingSettings,
    lines: list[tuple[str, int, tuple[str, ...]]],
    notes: list[str],
) -> None:
    result = code_encounter(enc, settings, icd=icd)
    assert [(line.cpt, line.units, line.modifiers) for line in result.lines] == lines
    new_rules = {rules.DISTINCT_PROCEDURE, rules.MODIFIER_51_LEFT_OFF, rules.PRIMARY_UNCONFIRMED}
    assert [m.rule for m in result.messages if m.rule in new_rules] == notes


def test_the_notes_name_the_codes_and_the_line(icd: FakeIcd10) -> None:
    enc = encounter(lesion("premalignant", 3), lesion("skin_tag", 5, site="neck"), WARTS, payer="aetna")
    by_rule = {m.rule: m for m in code_encounter(enc, ON, icd=icd).messages}
    left_off = by_rule[rules.MODIFIER_51_LEFT_OFF]
    assert left_off.field == "lesions[1]" and "11200" in left_off.text and "59" in left_off.text
    # no fee schedule for 2024: every value is unknown, the first in claim order is taken as main
    enc = on(date(2024, 6, 3), encounter(lesion("premalignant", 8), BOWEN, payer="aetna"))
    by_rule = {m.rule: m for m in code_encounter(enc, ON, icd=icd).messages}
    unconfirmed = by_rule[rules.PRIMARY_UNCONFIRMED]
    assert unconfirmed.field is None
    assert "17263" in unconfirmed.text and "17000 was taken as the main procedure" in unconfirmed.text


def draft(cpt: str, units: int = 1) -> DraftLine:
    return DraftLine(cpt, units, (0,), "")


def with_51(lines: list[DraftLine], values: dict[str, Decimal | None]) -> dict[str, list[str]]:
    added, _ = modifiers.multiple_procedures(lines, ON, "commercial", values, {})
    return added


@pytest.mark.parametrize(
    ("lines", "values", "main"),
    [
        # one unit is one procedure: three 17260s at 2.00 do not outrank one 17110 at 3.33
        ([draft("17110"), draft("17260", 3)], {"17110": Decimal("3.33"), "17260": Decimal("2.00")}, "17110"),
        ([draft("17260", 3), draft("17110")], {"17110": Decimal("3.33"), "17260": Decimal("2.00")}, "17110"),
        # later in claim order but higher valued
        ([draft("17000"), draft("17280")], {"17000": Decimal("1.99"), "17280": Decimal("2.50")}, "17280"),
        # equal values: more units first, then claim order
        ([draft("17260"), draft("17280", 2)], {"17260": Decimal("2.50"), "17280": Decimal("2.50")}, "17280"),
        ([draft("17260"), draft("17280")], {"17260": Decimal("2.50"), "17280": Decimal("2.50")}, "17260"),
        # unknown values rank after every known one, whatever their place
        ([draft("17260"), draft("17000")], {"17260": None, "17000": Decimal("1.99")}, "17000"),
        ([draft("17260"), draft("17280")], {}, "17260"),
    ],
)
def test_ranking_by_value(lines: list[DraftLine], values: dict[str, Decimal | None], main: str) -> None:
    added = with_51(lines, values)
    assert set(added) == {line.cpt for line in lines} - {main}
    assert all(mods == ["51"] for mods in added.values())


def test_the_unconfirmed_note_appears_only_when_a_value_is_missing() -> None:
    known = {"17000": Decimal("1.99"), "17110": Decimal("3.33")}
    _, messages = modifiers.multiple_procedures([draft("17000"), draft("17110")], ON, "commercial", known, {})
    assert messages == []
    _, messages = modifiers.multiple_procedures(
        [draft("17000"), draft("17110")], ON, "commercial", {"17000": Decimal("1.99")}, {}
    )
    assert [m.rule for m in messages] == [rules.PRIMARY_UNCONFIRMED]


def test_nothing_for_a_single_procedure_even_with_an_unknown_value() -> None:
    assert modifiers.multiple_procedures([draft("17260", 4)], ON, "commercial", {}, {}) == ({}, [])


ENTRIES = [
    lesion("premalignant", 3),
    lesion("premalignant", 20),
    WARTS,
    lesion("benign", 30, site="trunk"),
    lesion("skin_tag", 20, site="neck"),
    lesion("vascular", 1, area_sq_cm=3.0),
    lesion("vascular", 1, area_sq_cm=60.0),
    BOWEN,
    lesion("malignant", 2, site="nose", diameter_cm=0.4),
]


@given(
    entries=st.lists(st.sampled_from(ENTRIES), min_size=1, max_size=5),
    payer=st.sampled_from(["medicare", "medicaid", "aetna", "self_pay"]),
    pos=st.sampled_from(["11", "22"]),
    year=st.sampled_from([2024, 2025, 2026]),
    distinct=st.sampled_from(["59", "XS"]),
    em=st.sampled_from([None, "99213"]),
)
@hypothesis_settings(max_examples=80, deadline=None)
def test_51_properties(
    entries: list[LesionGroup], payer: str, pos: str, year: int, distinct: str, em: str | None
) -> None:
    enc = on(date(year, 6, 2), encounter(*entries, payer=payer, pos=pos, em_code=em))
    result = code_encounter(enc, CodingSettings(modifier_51=True, distinct_modifier=distinct), icd=ICD)
    assert not result.has_errors
    facility = pos == "22"

    def value(cpt: str) -> Decimal | None:
        return tables.rvu_total(cpt, year, facility=facility)

    eligible = []
    for line in result.lines:
        info = tables.cpt(line.cpt)
        assert info is not None
        exempt = tables.multiple_procedure_exempt(line.cpt, year)
        takes_51 = info.family != "em" and not info.add_on and not exempt
        if "51" in line.modifiers:
            assert takes_51 and payer != "medicare" and distinct not in line.modifiers
        if takes_51:
            eligible.append(line)
    noted = rules.PRIMARY_UNCONFIRMED in {m.rule for m in result.messages}
    if payer == "medicare" or len(eligible) < 2:
        assert all("51" not in line.modifiers for line in result.lines) and not noted
        return
    free = [line for line in eligible if "51" not in line.modifiers and distinct not in line.modifiers]
    assert len(free) <= 1
    assert free or any(distinct in line.modifiers for line in eligible)
    assert noted == any(value(line.cpt) is None for line in eligible)
    for main in free:
        for other in eligible:
            if main.cpt == other.cpt or value(other.cpt) is None:
                continue
            main_value = value(main.cpt)
            assert main_value is not None and main_value >= value(other.cpt)  # type: ignore[operator]
