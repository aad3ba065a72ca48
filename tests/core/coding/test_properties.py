"""Properties of the counting rules, and robustness: the parser and engine never crash."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.coding import Encounter, LesionGroup, LesionKind, Severity, code_encounter, tables
from core.coding.output import result_to_json
from core.coding.parse import encounter_from_json
from tests.core.coding.builders import BILLABLE, DOS, FakeIcd10, encounter, lesion

ICD = FakeIcd10()
TODAY = date(2026, 11, 27)


def split(total: int) -> st.SearchStrategy[list[int]]:
    """Ways to enter ``total`` lesions as several entries."""
    return st.lists(st.integers(1, total), min_size=1, max_size=4).map(lambda parts: _fit(parts, total))


def _fit(parts: list[int], total: int) -> list[int]:
    out, left = [], total
    for p in parts:
        if left == 0:
            break
        take = min(p, left)
        out.append(take)
        left -= take
    if left:
        out.append(left)
    return out


def units(result: Any) -> dict[str, int]:
    return {line.cpt: line.units for line in result.lines}


@given(st.integers(1, 14).flatmap(split))
@settings(max_examples=60, deadline=None)
def test_premalignant_below_15_bills_every_lesion(counts: list[int]) -> None:
    result = code_encounter(encounter(*[lesion("premalignant", c) for c in counts]), icd=ICD)
    billed = units(result)
    assert billed["17000"] == 1
    assert billed["17000"] + billed.get("17003", 0) == sum(counts)
    assert "17004" not in billed


@given(st.integers(1, 1000).flatmap(split))
@settings(max_examples=60, deadline=None)
def test_17004_iff_15_or_more(counts: list[int]) -> None:
    billed = units(code_encounter(encounter(*[lesion("premalignant", c) for c in counts]), icd=ICD))
    if sum(counts) >= 15:
        assert billed == {"17004": 1}
    else:
        assert "17004" not in billed and "17000" in billed


@given(st.integers(1, 1000).flatmap(split))
@settings(max_examples=60, deadline=None)
def test_benign_is_always_one_unit_of_one_code(counts: list[int]) -> None:
    result = code_encounter(encounter(*[lesion("benign", c, site="trunk") for c in counts]), icd=ICD)
    assert [(line.cpt, line.units) for line in result.lines] == [
        ("17110" if sum(counts) < 15 else "17111", 1)
    ]


@given(st.integers(1, 1000))
@settings(max_examples=60, deadline=None)
def test_skin_tag_add_ons_cover_every_tag_with_less_than_ten_to_spare(n: int) -> None:
    billed = units(code_encounter(encounter(lesion("skin_tag", n, site="neck")), icd=ICD))
    extra = billed.get("11201", 0)
    assert billed["11200"] == 1
    assert 15 + 10 * extra >= n  # every tag is covered
    if extra:
        assert n > 15 + 10 * (extra - 1)  # and no add-on unit is to spare


SITES = list(tables.lesion_coding().sites)


@given(
    st.lists(
        st.tuples(
            st.integers(1, 50), st.sampled_from(SITES), st.decimals(min_value="0.1", max_value="20", places=2)
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=60, deadline=None)
def test_malignant_units_equal_lesions(entries: list[tuple[int, str, Any]]) -> None:
    lesions = [lesion("malignant", c, site=s, diameter_cm=float(d)) for c, s, d in entries]
    result = code_encounter(encounter(*lesions), icd=ICD)
    assert not result.has_errors
    assert sum(line.units for line in result.lines) == sum(c for c, _, _ in entries)


KINDS = [k.value for k in LesionKind]
DIAGNOSES = sorted(BILLABLE)


@st.composite
def any_encounter(draw: st.DrawFn) -> Encounter:
    groups = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(KINDS))
        groups.append(
            LesionGroup(
                LesionKind(kind),
                draw(st.integers(-2, 1200)),
                draw(st.sampled_from([*SITES, "elbow"])),
                draw(st.sampled_from(["laser", "cryosurgery", "scissors"])),
                draw(st.sampled_from([*DIAGNOSES, "L57"])),
                draw(st.none() | st.floats(allow_nan=True, allow_infinity=True)),
                draw(st.none() | st.floats(allow_nan=True, allow_infinity=True)),
            )
        )
    return Encounter(
        DOS,
        draw(st.sampled_from(["11", "22", "00"])),
        tuple(groups),
        draw(st.sampled_from(["medicare", "aetna", "self_pay", "acme"])),
        draw(st.sampled_from([None, "99213", "99201"])),
    )


@given(any_encounter())
@settings(max_examples=150, deadline=None)
def test_engine_never_crashes_and_keeps_its_promises(enc: Encounter) -> None:
    result = code_encounter(enc, icd=ICD)
    if result.has_errors:
        assert result.lines == () and result.diagnoses == ()
    else:
        assert result.lines
        assert len(result.diagnoses) <= 12
        for line in result.lines:
            assert line.units >= 1 and len(line.diagnosis_pointers) <= 4
            assert all(
                "A" <= p <= "L" and "ABCDEFGHIJKL".index(p) < len(result.diagnoses)
                for p in line.diagnosis_pointers
            )
            assert tables.cpt(line.cpt) is not None
            assert not (tables.cpt(line.cpt).add_on and set(line.modifiers) & {"51", "59", "XS"})  # type: ignore[union-attr]
    result_to_json(result)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON)
@settings(max_examples=150, deadline=None)
def test_parser_never_crashes_on_any_json_value(data: object) -> None:
    encounter, messages = encounter_from_json(data, today=TODAY, icd=ICD)
    assert encounter is None
    assert any(m.severity is Severity.ERROR for m in messages)


GOOD: dict[str, Any] = {
    "date_of_service": "2026-11-27",
    "place_of_service": "11",
    "payer": "aetna",
    "em_code": "99213",
    "prior_services": [{"date_of_service": "2026-11-20", "cpt": "17000"}],
    "lesions": [
        {
            "kind": "malignant",
            "count": 2,
            "site": "nose",
            "method": "laser",
            "diagnosis": "C44.311",
            "diameter_cm": 0.8,
        }
    ],
}
FIELDS = (
    [("top", k) for k in GOOD]
    + [("lesion", k) for k in GOOD["lesions"][0]]
    + [("prior", "cpt"), ("prior", "date_of_service")]
)


@given(st.lists(st.tuples(st.sampled_from(FIELDS), JSON), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_parser_and_engine_never_crash_on_a_damaged_encounter(
    changes: list[tuple[tuple[str, str], object]],
) -> None:
    import copy

    data = copy.deepcopy(GOOD)
    targets = {"top": data, "lesion": data["lesions"][0], "prior": data["prior_services"][0]}
    for (where, key), value in changes:
        targets[where][key] = value
    encounter, messages = encounter_from_json(data, today=TODAY, icd=ICD)
    if encounter is None:
        assert any(m.severity is Severity.ERROR for m in messages)
        assert all(m.text for m in messages)
    else:
        result = code_encounter(encounter, icd=ICD)
        result_to_json(result)
