"""The counting rules and the domain file's worked examples, table-driven."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.coding import CodingSettings, PriorService, Severity, code_encounter, rules
from tests.core.coding.builders import DOS, THIRTEEN_DIAGNOSES, FakeIcd10, encounter, lesion


def billed(result) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(line.cpt, line.units, line.modifiers) for line in result.lines]


def rule_ids(result) -> list[str]:
    return [m.rule for m in result.messages]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, [("17000", 1)]),
        (2, [("17000", 1), ("17003", 1)]),
        (4, [("17000", 1), ("17003", 3)]),
        (6, [("17000", 1), ("17003", 5)]),
        (12, [("17000", 1), ("17003", 11)]),
        (14, [("17000", 1), ("17003", 13)]),
        (15, [("17004", 1)]),
        (16, [("17004", 1)]),
        (17, [("17004", 1)]),
        (100, [("17004", 1)]),
    ],
)
def test_premalignant_counts(icd: FakeIcd10, n: int, expected: list[tuple[str, int]]) -> None:
    result = code_encounter(encounter(lesion("premalignant", n)), icd=icd)
    assert [(line.cpt, line.units) for line in result.lines] == expected
    assert not result.has_errors


def test_premalignant_groups_add_up(icd: FakeIcd10) -> None:
    result = code_encounter(
        encounter(lesion("premalignant", 5), lesion("premalignant", 7, site="arm")), icd=icd
    )
    assert billed(result) == [("17000", 1, ()), ("17003", 11, ())]
    assert result.lines[1].why == "12 premalignant lesions: 17000 for the first, 17003 × 11 for the 2nd–12th"
    assert result.lines[0].lesion_indexes == (0, 1)


def test_premalignant_groups_adding_to_15_become_17004(icd: FakeIcd10) -> None:
    result = code_encounter(encounter(lesion("premalignant", 8), lesion("premalignant", 7)), icd=icd)
    assert billed(result) == [("17004", 1, ())]


@pytest.mark.parametrize(
    ("n", "code"), [(1, "17110"), (3, "17110"), (14, "17110"), (15, "17111"), (50, "17111")]
)
def test_benign_is_one_session_code(icd: FakeIcd10, n: int, code: str) -> None:
    result = code_encounter(encounter(lesion("benign", n)), icd=icd)
    assert billed(result) == [(code, 1, ())]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, [("11200", 1)]),
        (15, [("11200", 1)]),
        (16, [("11200", 1), ("11201", 1)]),
        (18, [("11200", 1), ("11201", 1)]),
        (25, [("11200", 1), ("11201", 1)]),
        (26, [("11200", 1), ("11201", 2)]),
        (35, [("11200", 1), ("11201", 2)]),
        (36, [("11200", 1), ("11201", 3)]),
    ],
)
def test_skin_tags(icd: FakeIcd10, n: int, expected: list[tuple[str, int]]) -> None:
    result = code_encounter(encounter(lesion("skin_tag", n, site="neck")), icd=icd)
    assert [(line.cpt, line.units) for line in result.lines] == expected


@pytest.mark.parametrize(
    ("areas", "code"),
    [
        ((2.0,), "17106"),
        ((9.99,), "17106"),
        ((10.0,), "17107"),
        ((45.0,), "17107"),
        ((50.0,), "17107"),
        ((50.01,), "17108"),
        ((4.0, 6.0), "17107"),  # areas of one session add up: 10.0
        ((0.1, 0.2, 9.7), "17107"),  # exactly 10.0 only with exact arithmetic
        ((25.0, 25.0), "17107"),
        ((25.0, 25.1), "17108"),
    ],
)
def test_vascular_total_area(icd: FakeIcd10, areas: tuple[float, ...], code: str) -> None:
    lesions = [lesion("vascular", 1, area_sq_cm=a) for a in areas]
    result = code_encounter(encounter(*lesions), icd=icd)
    assert billed(result) == [(code, 1, ())]


@pytest.mark.parametrize(
    ("diameter", "band"),
    [
        (0.1, 0),
        (0.5, 0),
        (0.50001, 1),
        (0.55, 1),
        (0.6, 1),
        (1.0, 1),
        (1.05, 2),
        (1.1, 2),
        (2.0, 2),
        (2.01, 3),
        (2.2, 3),
        (3.0, 3),
        (3.1, 4),
        (4.0, 4),
        (4.01, 5),
        (4.04, 5),
        (10.0, 5),
    ],
)
@pytest.mark.parametrize(
    ("site", "codes"),
    [
        ("trunk", ["17260", "17261", "17262", "17263", "17264", "17266"]),
        ("scalp", ["17270", "17271", "17272", "17273", "17274", "17276"]),
        ("nose", ["17280", "17281", "17282", "17283", "17284", "17286"]),
    ],
)
def test_malignant_band_edges(
    icd: FakeIcd10, diameter: float, band: int, site: str, codes: list[str]
) -> None:
    result = code_encounter(encounter(lesion("malignant", 1, site=site, diameter_cm=diameter)), icd=icd)
    assert [line.cpt for line in result.lines] == [codes[band]]


@pytest.mark.parametrize(
    ("site", "code"),
    [
        ("trunk", "17261"),
        ("arm", "17261"),
        ("leg", "17261"),
        ("scalp", "17271"),
        ("neck", "17271"),
        ("hand", "17271"),
        ("foot", "17271"),
        ("genitalia", "17271"),
        ("face", "17281"),
        ("ear", "17281"),
        ("eyelid", "17281"),
        ("nose", "17281"),
        ("lip", "17281"),
        ("mucous_membrane", "17281"),
    ],
)
def test_malignant_site_groups(icd: FakeIcd10, site: str, code: str) -> None:
    result = code_encounter(encounter(lesion("malignant", 1, site=site, diameter_cm=0.8)), icd=icd)
    assert result.lines[0].cpt == code


def test_malignant_identical_codes_add_up_into_units(icd: FakeIcd10) -> None:
    result = code_encounter(
        encounter(
            lesion("malignant", 2, site="nose", diameter_cm=0.8),
            lesion("malignant", 1, site="ear", diameter_cm=1.0),
            lesion("malignant", 1, site="arm", diameter_cm=0.3, diagnosis="C44.612"),
        ),
        icd=icd,
    )
    assert billed(result) == [("17260", 1, ()), ("17281", 3, ())]
    assert result.lines[1].lesion_indexes == (0, 1)


def test_aad_worked_example_8_aks_and_bowens_on_the_arm(icd: FakeIcd10) -> None:
    result = code_encounter(
        encounter(
            lesion("premalignant", 8, site="face"),
            lesion("malignant", 1, site="arm", diameter_cm=2.2, diagnosis="D04.61"),
        ),
        icd=icd,
    )
    assert billed(result) == [("17000", 1, ()), ("17003", 7, ()), ("17263", 1, ("59",))]
    distinct = [m for m in result.messages if m.rule == rules.DISTINCT_PROCEDURE]
    assert len(distinct) == 1 and distinct[0].severity is Severity.INFO
    assert distinct[0].field == "lesions[1]" and "17000" in distinct[0].text


def test_distinct_modifier_follows_the_payer_setting(icd: FakeIcd10) -> None:
    enc = encounter(
        lesion("premalignant", 20), lesion("malignant", 1, site="arm", diameter_cm=2.2, diagnosis="D04.61")
    )
    result = code_encounter(enc, CodingSettings(distinct_modifier="XS"), icd=icd)
    assert billed(result) == [("17004", 1, ()), ("17263", 1, ("XS",))]


def test_skin_tags_with_premalignant_get_59_on_11200_never_on_11201(icd: FakeIcd10) -> None:
    result = code_encounter(
        encounter(lesion("premalignant", 3), lesion("skin_tag", 20, site="neck")), icd=icd
    )
    assert billed(result) == [("11200", 1, ("59",)), ("11201", 1, ()), ("17000", 1, ()), ("17003", 2, ())]


def test_premalignant_with_benign_bills_both_without_modifier(icd: FakeIcd10) -> None:
    result = code_encounter(encounter(lesion("premalignant", 2), lesion("benign", 3, site="trunk")), icd=icd)
    assert billed(result) == [("17000", 1, ()), ("17003", 1, ()), ("17110", 1, ())]
    assert rules.DISTINCT_PROCEDURE not in rule_ids(result)
    assert rules.EDIT_UNCONFIRMED in rule_ids(result)


def test_same_day_em_gets_25_and_a_warning(icd: FakeIcd10) -> None:
    result = code_encounter(encounter(lesion("premalignant", 12), em_code="99213"), icd=icd)
    assert billed(result) == [("99213", 1, ("25",)), ("17000", 1, ()), ("17003", 11, ())]
    assert [line.diagnosis_pointers for line in result.lines] == [("A",), ("A",), ("A",)]
    assert result.diagnoses == ("L57.0",)
    em = [m for m in result.messages if m.rule == rules.EM_SAME_DAY]
    assert em and em[0].severity is Severity.WARNING and em[0].field == "em_code"


def test_em_alone_has_no_modifier_and_asks_for_a_diagnosis(icd: FakeIcd10) -> None:
    result = code_encounter(encounter(em_code="99203"), icd=icd)
    assert billed(result) == [("99203", 1, ())]
    assert rule_ids(result) == [rules.EM_WITHOUT_DIAGNOSIS]
    assert result.lines[0].description == "Office visit, new patient"


def test_default_settings_come_from_the_payers_table(icd: FakeIcd10) -> None:
    enc = encounter(lesion("premalignant", 3), lesion("benign", 2, site="trunk"), payer="cigna")
    assert [line.modifiers for line in code_encounter(enc, icd=icd).lines] == [(), (), ()]


def test_line_order_em_first_primary_before_add_on_then_by_code(icd: FakeIcd10) -> None:
    result = code_encounter(
        encounter(
            lesion("malignant", 1, site="nose", diameter_cm=0.4),
            lesion("skin_tag", 30, site="neck"),
            lesion("vascular", 1, area_sq_cm=3.0),
            lesion("benign", 2, site="trunk"),
            lesion("premalignant", 5),
            em_code="99214",
        ),
        icd=icd,
    )
    assert [line.cpt for line in result.lines] == [
        "99214",
        "11200",
        "11201",
        "17000",
        "17003",
        "17106",
        "17110",
        "17280",
    ]


def test_diagnoses_are_deduplicated_in_entry_order_and_pointed_to(icd: FakeIcd10) -> None:
    result = code_encounter(
        encounter(
            lesion("benign", 2, site="trunk", diagnosis="B07.8"),
            lesion("premalignant", 1, diagnosis="l570 "),
            lesion("premalignant", 4, site="arm", diagnosis="L57.0"),
            lesion("benign", 5, site="hand", diagnosis="L82.1"),
        ),
        icd=icd,
    )
    assert result.diagnoses == ("B07.8", "L57.0", "L82.1")
    pointers = {line.cpt: line.diagnosis_pointers for line in result.lines}
    assert pointers["17000"] == ("B",)
    assert pointers["17110"] == ("C", "A")  # 5 lesions of L82.1 before 2 of B07.8


def test_more_than_4_diagnoses_on_a_line_keeps_4_and_warns(icd: FakeIcd10) -> None:
    codes = THIRTEEN_DIAGNOSES[:5]
    result = code_encounter(
        encounter(*[lesion("benign", i + 1, site="trunk", diagnosis=c) for i, c in enumerate(codes)]), icd=icd
    )
    assert result.lines[0].diagnosis_pointers == ("E", "D", "C", "B")
    assert rules.TOO_MANY_POINTERS in rule_ids(result)


def test_more_than_12_diagnoses_is_an_error(icd: FakeIcd10) -> None:
    codes = THIRTEEN_DIAGNOSES
    result = code_encounter(
        encounter(*[lesion("benign", 1, site="trunk", diagnosis=c) for c in codes]), icd=icd
    )
    assert result.lines == () and result.has_errors
    assert rule_ids(result)[-1] == rules.TOO_MANY_DIAGNOSES


@pytest.mark.parametrize(
    ("kind", "diagnosis", "mismatch"),
    [
        ("premalignant", "L57.0", False),
        ("premalignant", "L82.1", True),
        ("premalignant", "C44.311", True),
        ("premalignant", "L56.8", False),  # actinic cheilitis: ICD-10-CM index, Cheilitis, actinic
        ("benign", "L82.1", False),
        ("benign", "D22.5", False),
        ("benign", "L57.0", True),
        ("benign", "L91.8", True),
        ("benign", "D18.01", True),
        ("benign", "J45.909", True),
        ("skin_tag", "L91.8", False),
        ("skin_tag", "K64.4", False),
        ("skin_tag", "L57.0", True),
        ("vascular", "D18.01", False),
        ("vascular", "I78.1", False),
        ("vascular", "L82.1", True),
        ("malignant", "C44.311", False),
        ("malignant", "D04.61", False),
        ("malignant", "C43.4", False),
        ("malignant", "L57.0", True),
        ("malignant", "D48.5", True),
    ],
)
def test_diagnosis_mismatch(icd: FakeIcd10, kind: str, diagnosis: str, mismatch: bool) -> None:
    extra = {"diameter_cm": 0.4} if kind == "malignant" else {"area_sq_cm": 3.0} if kind == "vascular" else {}
    result = code_encounter(encounter(lesion(kind, 1, site="trunk", diagnosis=diagnosis, **extra)), icd=icd)
    found = [m for m in result.messages if m.rule == rules.DIAGNOSIS_MISMATCH]
    assert bool(found) is mismatch
    assert not result.has_errors
    if found:
        assert found[0].field == "lesions[0].diagnosis" and found[0].severity is Severity.WARNING


def test_mismatch_names_the_kind_the_diagnosis_belongs_to(icd: FakeIcd10) -> None:
    result = code_encounter(encounter(lesion("premalignant", 1, diagnosis="L91.8")), icd=icd)
    (found,) = [m for m in result.messages if m.rule == rules.DIAGNOSIS_MISMATCH]
    assert "skin tags" in found.text


@pytest.mark.parametrize(
    ("kind", "reminded"),
    [("benign", True), ("skin_tag", True), ("vascular", True), ("premalignant", False), ("malignant", False)],
)
def test_coverage_reminder(icd: FakeIcd10, kind: str, reminded: bool) -> None:
    extra = {"diameter_cm": 0.4} if kind == "malignant" else {"area_sq_cm": 3.0} if kind == "vascular" else {}
    result = code_encounter(encounter(lesion(kind, 1, site="trunk", **extra), payer="medicare"), icd=icd)
    assert (rules.COVERAGE_REMINDER in rule_ids(result)) is reminded


def test_no_coverage_reminder_for_self_pay(icd: FakeIcd10) -> None:
    result = code_encounter(encounter(lesion("benign", 1, site="trunk"), payer="self_pay"), icd=icd)
    assert rules.COVERAGE_REMINDER not in rule_ids(result)


@pytest.mark.parametrize(
    ("site", "warned"),
    [("genitalia", True), ("eyelid", True), ("lip", False), ("mucous_membrane", False), ("face", False)],
)
def test_site_specific_code_warning(icd: FakeIcd10, site: str, warned: bool) -> None:
    result = code_encounter(encounter(lesion("premalignant", 1, site=site)), icd=icd)
    found = [m for m in result.messages if m.rule == rules.SITE_SPECIFIC_CODE]
    assert bool(found) is warned
    if found:
        assert found[0].field == "lesions[0].site"


@pytest.mark.parametrize(
    ("cpt", "days_before", "rule"),
    [
        ("17000", 0, rules.IN_GLOBAL_PERIOD),
        ("17000", 7, rules.IN_GLOBAL_PERIOD),
        ("17000", 10, rules.IN_GLOBAL_PERIOD),
        ("17000", 11, None),
        ("17003", 10, rules.IN_GLOBAL_PERIOD),  # ZZZ add-on: its primary's 10 days
        ("17003", 11, None),
        ("17110", 5, rules.IN_GLOBAL_PERIOD),
        ("17281", 9, rules.IN_GLOBAL_PERIOD),
        ("99213", 1, None),  # an E/M has no global period
        # CMS RVU26C: 11200 has 10 days, 17106-17108 have 90 (they were unconfirmed before)
        ("11200", 10, rules.IN_GLOBAL_PERIOD),
        ("11200", 11, None),
        ("11201", 10, rules.IN_GLOBAL_PERIOD),  # ZZZ add-on of 11200
        ("17106", 30, rules.IN_GLOBAL_PERIOD),
        ("17107", 90, rules.IN_GLOBAL_PERIOD),
        ("17108", 90, rules.IN_GLOBAL_PERIOD),
        ("17108", 91, None),
        ("11102", 3, rules.GLOBAL_PERIOD_UNKNOWN),  # a code we do not know
        ("11102", 200, None),
    ],
)
def test_global_period(icd: FakeIcd10, cpt: str, days_before: int, rule: str | None) -> None:
    prior = (PriorService(DOS - timedelta(days=days_before), cpt),)
    result = code_encounter(encounter(lesion("premalignant", 1), em_code="99213", prior=prior), icd=icd)
    found = [m for m in result.messages if m.rule in (rules.IN_GLOBAL_PERIOD, rules.GLOBAL_PERIOD_UNKNOWN)]
    assert [m.rule for m in found] == ([rule] if rule else [])
    if rule == rules.IN_GLOBAL_PERIOD:
        assert found[0].field == "prior_services[0]" and found[0].severity is Severity.WARNING
        for modifier in ("24", "79", "58", "78"):
            assert modifier in found[0].text
        assert all(line.modifiers in ((), ("25",)) for line in result.lines)  # none of them is chosen


def test_units_over_mue_are_flagged_never_cut(icd: FakeIcd10, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.coding import tables

    real = tables.mue

    def tighter(code: str) -> tables.MueLimit | None:
        return tables.MueLimit(code, 2, "TEST", "") if code == "17003" else real(code)

    monkeypatch.setattr(tables, "mue", tighter)
    result = code_encounter(encounter(lesion("premalignant", 6)), icd=icd)
    assert billed(result) == [("17000", 1, ()), ("17003", 5, ())]
    (found,) = [m for m in result.messages if m.rule == rules.UNITS_OVER_MUE]
    assert found.severity is Severity.WARNING and "17003" in found.text


def test_engine_never_exceeds_the_shipped_mues_but_11201(icd: FakeIcd10) -> None:
    """Counting keeps every session code within its CMS MUE; only 11201 (MUE 1, MAI 3) can go over."""
    for n in (1, 5, 14, 15, 25, 26, 40, 1000):
        result = code_encounter(
            encounter(
                lesion("premalignant", n),
                lesion("benign", n, site="trunk"),
                lesion("skin_tag", n, site="neck"),
            ),
            icd=icd,
        )
        over = [m for m in result.messages if m.rule == rules.UNITS_OVER_MUE]
        assert [m.text.split(" ", 1)[0] for m in over] == (["11201"] if n > 25 else [])


def test_every_line_explains_itself(icd: FakeIcd10) -> None:
    result = code_encounter(
        encounter(
            lesion("premalignant", 4),
            lesion("benign", 1, site="trunk"),
            lesion("skin_tag", 18, site="neck"),
            lesion("vascular", 1, area_sq_cm=45.0),
            lesion("malignant", 1, site="nose", diameter_cm=0.8),
            em_code="99213",
        ),
        icd=icd,
    )
    whys = {line.cpt: line.why for line in result.lines}
    assert whys["17003"] == "4 premalignant lesions: 17000 for the first, 17003 × 3 for the 2nd–4th"
    assert whys["17110"] == "1 benign lesion: 17110 once covers up to 14 in one session"
    assert whys["11201"].startswith("18 skin tags: 11200 for the first 15, 11201 × 1 for the other 3")
    assert whys["17107"].startswith("Vascular lesions, 45 sq cm treated in total: 17107")
    assert "17281" in whys["17281"] and "0.5" in whys["17281"]
    assert all(line.why and line.description for line in result.lines)


@pytest.mark.parametrize(
    ("site", "diagnosis", "mismatch"),
    [
        ("lip", "C00.0", False),  # lip vermilion cancer on the lip
        ("nose", "C00.1", True),  # ... but not on the nose
        ("lip", "C44.01", False),  # skin of the lip
        ("genitalia", "C60.0", False),  # prepuce
        ("genitalia", "D07.4", False),
        ("trunk", "C51.9", True),  # vulva is not the trunk
        ("genitalia", "C44.591", True),  # C44 excludes the skin of the genital organs
        ("trunk", "C4A.59", False),  # Merkel cell carcinoma
        ("trunk", "C46.0", False),  # Kaposi sarcoma of skin
    ],
)
def test_diagnosis_support_by_kind_and_site_from_icd10cm(site: str, diagnosis: str, mismatch: bool) -> None:
    """Issue 9.7: where a code's fit depends on the site, ICD-10-CM's own tabular notes decide."""
    result = code_encounter(
        encounter(lesion("malignant", 1, site=site, diagnosis=diagnosis, diameter_cm=0.4))
    )
    found = [m for m in result.messages if m.rule == rules.DIAGNOSIS_MISMATCH]
    assert bool(found) == mismatch, result.messages
    if mismatch and site != "genitalia" and not diagnosis.startswith("C51"):
        assert "lip" in found[0].text


def test_two_premalignant_lesions_say_17003_for_the_2nd_not_the_2nd_to_the_2nd() -> None:
    result = code_encounter(encounter(lesion("premalignant", 2, site="face", diagnosis="L57.0")))
    assert result.lines[0].why == "2 premalignant lesions: 17000 for the first, 17003 for the 2nd"
