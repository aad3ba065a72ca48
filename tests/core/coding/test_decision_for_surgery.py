"""Modifier 57: an E/M that is the decision for a 90-day-global procedure billed the same day.

Only the chart says whether the visit was the decision, so the engine takes it as an input
(``Encounter.decision_for_surgery``, JSON ``decision_for_surgery``) and otherwise says when 57 applies.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.coding import code_encounter, rules
from core.coding.model import Encounter, Severity
from core.coding.parse import encounter_from_json
from tests.core.coding.builders import DOS, FakeIcd10, encounter, lesion

TODAY = date(2026, 11, 27)


def em_line(encounter_: Encounter, icd: FakeIcd10) -> tuple[str, tuple[str, ...]]:
    line = code_encounter(encounter_, icd=icd).lines[0]
    return line.cpt, line.modifiers


def messages(encounter_: Encounter, icd: FakeIcd10, rule: str) -> list[str]:
    return [m.text for m in code_encounter(encounter_, icd=icd).messages if m.rule == rule]


def vascular_with_em(**top: object) -> Encounter:
    return replace(encounter(lesion("vascular", area_sq_cm=12.0), em_code="99213"), **top)  # type: ignore[arg-type]


def test_a_90_day_procedure_keeps_25_and_says_when_57_applies(icd: FakeIcd10) -> None:
    visit = vascular_with_em()
    assert em_line(visit, icd) == ("99213", ("25",))
    (text,) = messages(visit, icd, rules.EM_SAME_DAY)
    assert "17107 has a 90-day global period" in text
    assert "57 instead of 25" in text
    assert "Decision for surgery (57)" in text and '"decision_for_surgery": true' in text
    assert "day before cannot be seen" in text
    assert messages(visit, icd, rules.EM_DECISION_FOR_SURGERY) == []


def test_the_decision_for_a_90_day_procedure_takes_57_not_25(icd: FakeIcd10) -> None:
    visit = vascular_with_em(decision_for_surgery=True)
    assert em_line(visit, icd) == ("99213", ("57",))
    result = code_encounter(visit, icd=icd)
    assert rules.EM_SAME_DAY not in [m.rule for m in result.messages]
    (message,) = [m for m in result.messages if m.rule == rules.EM_DECISION_FOR_SURGERY]
    assert message.severity is Severity.WARNING and message.field == "em_code"
    assert "57 instead of 25" in message.text and "17107" in message.text


def test_a_minor_procedure_keeps_25_and_its_message_does_not_speak_of_57(icd: FakeIcd10) -> None:
    visit = encounter(lesion("premalignant", 3), em_code="99213")
    assert em_line(visit, icd) == ("99213", ("25",))
    (text,) = messages(visit, icd, rules.EM_SAME_DAY)
    assert "57" not in text


def test_the_mark_without_a_90_day_procedure_adds_no_57_and_says_why(icd: FakeIcd10) -> None:
    minor = replace(encounter(lesion("premalignant", 3), em_code="99213"), decision_for_surgery=True)
    assert em_line(minor, icd) == ("99213", ("25",))
    (text,) = messages(minor, icd, rules.EM_DECISION_FOR_SURGERY)
    assert "no procedure with a 90-day global period" in text and "tomorrow" in text
    alone = replace(encounter(em_code="99213"), decision_for_surgery=True)
    assert em_line(alone, icd) == ("99213", ())
    assert messages(alone, icd, rules.EM_DECISION_FOR_SURGERY)
    no_visit = replace(encounter(lesion("vascular", area_sq_cm=12.0)), decision_for_surgery=True)
    (text,) = messages(no_visit, icd, rules.EM_DECISION_FOR_SURGERY)
    assert "no office visit is billed" in text


def test_17106_to_17108_are_90_day_procedures(icd: FakeIcd10) -> None:
    for area, code in ((3.0, "17106"), (12.0, "17107"), (60.0, "17108")):
        visit = replace(
            encounter(lesion("vascular", area_sq_cm=area), em_code="99213"), decision_for_surgery=True
        )
        assert em_line(visit, icd) == ("99213", ("57",)), code


def _json(**top: object) -> dict[str, object]:
    return {
        "date_of_service": DOS.isoformat(),
        "place_of_service": "11",
        "em_code": "99213",
        "lesions": [
            {
                "kind": "vascular",
                "count": 1,
                "site": "face",
                "method": "laser",
                "diagnosis": "I78.1",
                "area_sq_cm": 12.0,
            }
        ],
        **top,
    }


def test_the_json_field_is_optional_and_read_as_true_or_false(icd: FakeIcd10) -> None:
    found, problems = encounter_from_json(_json(), today=TODAY, icd=icd)
    assert found is not None and found.decision_for_surgery is False and not problems
    for value, expected in ((True, True), (False, False), (None, False)):
        found, _ = encounter_from_json(_json(decision_for_surgery=value), today=TODAY, icd=icd)
        assert found is not None and found.decision_for_surgery is expected


def test_the_json_field_must_be_a_boolean_and_unknown_fields_stay_refused(icd: FakeIcd10) -> None:
    found, problems = encounter_from_json(_json(decision_for_surgery="true"), today=TODAY, icd=icd)
    assert found is None
    assert [(m.rule, m.field) for m in problems] == [(rules.INVALID_INPUT, "decision_for_surgery")]
    found, problems = encounter_from_json(_json(decision_for_surgery_57=True), today=TODAY, icd=icd)
    assert found is None
    assert [(m.rule, m.field) for m in problems] == [(rules.INVALID_INPUT, "decision_for_surgery_57")]
