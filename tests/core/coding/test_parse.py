"""JSON in: every kind of bad input becomes a message naming the field, with the right rule id."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from core.coding import LesionKind, Severity, code_encounter, rules
from core.coding.example import example_encounter, example_lesion
from core.coding.output import result_to_json
from core.coding.parse import encounter_from_json
from tests.core.coding.builders import FakeIcd10

TODAY = date(2026, 11, 27)


def good() -> dict[str, Any]:
    """The docs/cli.md example without prior services; entries: premalignant, malignant, vascular."""
    data = example_encounter()
    del data["prior_services"]
    data["lesions"] = [example_lesion(kind) for kind in ("premalignant", "malignant", "vascular")]
    return data


def parse(data: object, icd: FakeIcd10):
    return encounter_from_json(data, today=TODAY, icd=icd)


def test_good_input_parses(icd: FakeIcd10) -> None:
    encounter, messages = parse(good(), icd)
    assert messages == ()
    assert encounter is not None
    assert encounter.date_of_service == TODAY and encounter.payer == "medicare"
    assert encounter.lesions[1].kind is LesionKind.MALIGNANT and encounter.lesions[1].diameter_cm == 0.8


def test_defaults_and_tolerated_spelling(icd: FakeIcd10) -> None:
    data = good()
    del data["payer"]
    data["em_code"] = None
    data["lesions"][0].update(kind=" Premalignant ", site="FACE", count=12.0, diagnosis="l570 ")
    encounter, messages = parse(data, icd)
    assert messages == () and encounter is not None
    assert encounter.payer == "commercial" and encounter.em_code is None
    assert encounter.lesions[0].count == 12 and encounter.lesions[0].site == "face"


def _set(data: dict[str, Any], path: str, value: object) -> None:
    """Set ``lesions.0.count`` style paths; the value ``...`` deletes the key."""
    keys = path.split(".")
    target: Any = data
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last: Any = int(keys[-1]) if keys[-1].isdigit() else keys[-1]
    if value is ...:
        del target[last]
    else:
        target[last] = value


BAD = [
    # (path, value, rule, field)
    ("date_of_service", ..., rules.INVALID_INPUT, "date_of_service"),
    ("date_of_service", "2026-02-30", rules.INVALID_DATE, "date_of_service"),
    ("date_of_service", "27/11/2026", rules.INVALID_DATE, "date_of_service"),
    ("date_of_service", "20261127", rules.INVALID_DATE, "date_of_service"),
    ("date_of_service", "2026-11-28", rules.INVALID_DATE, "date_of_service"),  # tomorrow
    ("date_of_service", 20261127, rules.INVALID_DATE, "date_of_service"),
    ("place_of_service", ..., rules.INVALID_INPUT, "place_of_service"),
    ("place_of_service", "00", rules.INVALID_POS, "place_of_service"),
    ("place_of_service", "1", rules.INVALID_POS, "place_of_service"),
    ("place_of_service", "office", rules.INVALID_POS, "place_of_service"),
    ("place_of_service", 11, rules.INVALID_POS, "place_of_service"),
    ("payer", "acme", rules.INVALID_INPUT, "payer"),
    ("payer", 3, rules.INVALID_INPUT, "payer"),
    ("payer", "", rules.INVALID_INPUT, "payer"),
    ("em_code", "", rules.INVALID_INPUT, "em_code"),
    ("em_code", "99201", rules.INVALID_INPUT, "em_code"),
    ("em_code", "99221", rules.INVALID_INPUT, "em_code"),
    ("em_code", 99213, rules.INVALID_INPUT, "em_code"),
    ("lesions", ..., rules.INVALID_INPUT, "lesions"),
    ("lesions", {"kind": "benign"}, rules.INVALID_INPUT, "lesions"),
    ("lesions.1", "malignant", rules.INVALID_INPUT, "lesions[1]"),
    ("lesions.0.kind", "wart", rules.INVALID_INPUT, "lesions[0].kind"),
    ("lesions.0.kind", ..., rules.INVALID_INPUT, "lesions[0].kind"),
    ("lesions.0.count", 0, rules.INVALID_COUNT, "lesions[0].count"),
    ("lesions.0.count", -3, rules.INVALID_COUNT, "lesions[0].count"),
    ("lesions.0.count", 1.5, rules.INVALID_COUNT, "lesions[0].count"),
    ("lesions.0.count", True, rules.INVALID_COUNT, "lesions[0].count"),
    ("lesions.0.count", "12", rules.INVALID_COUNT, "lesions[0].count"),
    ("lesions.0.count", 1001, rules.IMPLAUSIBLE_COUNT, "lesions[0].count"),
    ("lesions.0.count", 10**40, rules.IMPLAUSIBLE_COUNT, "lesions[0].count"),
    ("lesions.0.count", float("inf"), rules.INVALID_COUNT, "lesions[0].count"),
    ("lesions.0.count", None, rules.INVALID_INPUT, "lesions[0].count"),
    ("lesions.0.site", "elbow", rules.INVALID_INPUT, "lesions[0].site"),
    ("lesions.0.site", ["face"], rules.INVALID_INPUT, "lesions[0].site"),
    ("lesions.0.method", "scissors", rules.INVALID_INPUT, "lesions[0].method"),
    ("lesions.0.diagnosis", "L57", rules.INVALID_DIAGNOSIS, "lesions[0].diagnosis"),
    ("lesions.0.diagnosis", "X99.9", rules.INVALID_DIAGNOSIS, "lesions[0].diagnosis"),
    ("lesions.0.diagnosis", "", rules.INVALID_DIAGNOSIS, "lesions[0].diagnosis"),
    ("lesions.0.diagnosis", 570, rules.INVALID_DIAGNOSIS, "lesions[0].diagnosis"),
    ("lesions.0.colour", "red", rules.INVALID_INPUT, "lesions[0].colour"),
    ("lesions.1.diameter_cm", ..., rules.MISSING_MEASUREMENT, "lesions[1].diameter_cm"),
    ("lesions.1.diameter_cm", 0, rules.MISSING_MEASUREMENT, "lesions[1].diameter_cm"),
    ("lesions.1.diameter_cm", -0.5, rules.MISSING_MEASUREMENT, "lesions[1].diameter_cm"),
    ("lesions.1.diameter_cm", 250.0, rules.IMPLAUSIBLE_MEASUREMENT, "lesions[1].diameter_cm"),
    ("lesions.1.diameter_cm", "0.8", rules.INVALID_INPUT, "lesions[1].diameter_cm"),
    ("lesions.1.diameter_cm", False, rules.INVALID_INPUT, "lesions[1].diameter_cm"),
    ("lesions.2.area_sq_cm", None, rules.MISSING_MEASUREMENT, "lesions[2].area_sq_cm"),
    ("lesions.2.area_sq_cm", 0.0, rules.MISSING_MEASUREMENT, "lesions[2].area_sq_cm"),
    ("em", "99213", rules.INVALID_INPUT, "em"),
    ("prior_services", "17000", rules.INVALID_INPUT, "prior_services"),
    ("prior_services", [{"date_of_service": "2026-11-20"}], rules.INVALID_INPUT, "prior_services[0].cpt"),
    (
        "prior_services",
        [{"date_of_service": "2026-11-31", "cpt": "17000"}],
        rules.INVALID_DATE,
        "prior_services[0].date_of_service",
    ),
    (
        "prior_services",
        [{"date_of_service": "2026-11-28", "cpt": "17000"}],
        rules.INVALID_DATE,
        "prior_services[0].date_of_service",
    ),
    (
        "prior_services",
        [{"date_of_service": "2026-11-20", "cpt": "170"}],
        rules.INVALID_INPUT,
        "prior_services[0].cpt",
    ),
    (
        "prior_services",
        [{"date_of_service": "2026-11-20", "cpt": "17000", "units": 1}],
        rules.INVALID_INPUT,
        "prior_services[0].units",
    ),
]


@pytest.mark.parametrize(("path", "value", "rule", "field"), BAD)
def test_bad_input_names_the_field(icd: FakeIcd10, path: str, value: object, rule: str, field: str) -> None:
    data = good()
    _set(data, path, value)
    encounter, messages = parse(data, icd)
    assert encounter is None
    errors = [(m.rule, m.field) for m in messages if m.severity is Severity.ERROR]
    assert (rule, field) in errors
    for message in messages:
        assert message.text.endswith((".", ")")) and len(message.text) > 20


def test_every_problem_is_reported_at_once(icd: FakeIcd10) -> None:
    data = good()
    data["place_of_service"] = "77"
    data["lesions"][0]["count"] = 0
    data["lesions"][1]["site"] = "elbow"
    data["lesions"][2]["diagnosis"] = "L57"
    _, messages = parse(data, icd)
    assert [(m.rule, m.field) for m in messages] == [
        (rules.INVALID_POS, "place_of_service"),
        (rules.INVALID_COUNT, "lesions[0].count"),
        (rules.INVALID_INPUT, "lesions[1].site"),
        (rules.INVALID_DIAGNOSIS, "lesions[2].diagnosis"),
    ]


@pytest.mark.parametrize("data", [None, [], "encounter", 3, True])
def test_not_an_object(icd: FakeIcd10, data: object) -> None:
    encounter, messages = parse(data, icd)
    assert encounter is None
    assert [(m.rule, m.field) for m in messages] == [(rules.INVALID_INPUT, None)]


def test_too_many_entries_is_rejected_before_reading_them(icd: FakeIcd10) -> None:
    data = good()
    data["lesions"] = [{"kind": "nonsense"}] * 101
    encounter, messages = parse(data, icd)
    assert encounter is None
    assert [(m.rule, m.field) for m in messages] == [(rules.INVALID_INPUT, "lesions")]


def test_nothing_to_bill(icd: FakeIcd10) -> None:
    data = good()
    data["lesions"] = []
    data["em_code"] = None
    encounter, messages = parse(data, icd)
    assert encounter is None
    assert [(m.rule, m.field) for m in messages] == [(rules.NOTHING_TO_BILL, "lesions")]


def test_em_alone_is_fine(icd: FakeIcd10) -> None:
    data = good()
    data["lesions"] = []
    encounter, messages = parse(data, icd)
    assert encounter is not None and messages == ()


def test_heading_message_suggests_a_specific_code(icd: FakeIcd10) -> None:
    data = good()
    data["lesions"][0]["diagnosis"] = "L57"
    _, messages = parse(data, icd)
    (message,) = messages
    assert "heading" in message.text and "L57.0" in message.text and "more specific" in message.text


def test_measurement_on_the_wrong_kind_is_a_warning(icd: FakeIcd10) -> None:
    data = good()
    data["lesions"][0]["diameter_cm"] = 0.4
    encounter, messages = parse(data, icd)
    assert encounter is not None
    assert [(m.severity, m.rule, m.field) for m in messages] == [
        (Severity.WARNING, rules.MEASUREMENT_IGNORED, "lesions[0].diameter_cm")
    ]


def test_input_is_not_changed(icd: FakeIcd10) -> None:
    data = good()
    before = copy.deepcopy(data)
    parse(data, icd)
    assert data == before


def test_result_to_json_shape(icd: FakeIcd10) -> None:
    encounter, _ = parse(good(), icd)
    assert encounter is not None
    out = result_to_json(code_encounter(encounter, icd=icd))
    assert set(out) == {"lines", "diagnoses", "messages"}
    assert out["lines"][0] == {
        "cpt": "99213",
        "units": 1,
        "modifiers": ["25"],
        "diagnosis_pointers": ["A", "B", "C"],
        "description": "Office visit, established patient",
        "why": "Office visit on the same day as the procedures",
    }
    assert out["diagnoses"] == ["L57.0", "C44.311", "I78.1"]
    for message in out["messages"]:
        assert set(message) == {"severity", "rule", "field", "text"}
        assert message["severity"] in ("error", "warning", "info")


class TestRealCodeSet:
    """The same checks against the full ICD-10-CM code set that ships with the program."""

    def test_dotless_code_is_normalised(self) -> None:
        data = good()
        data["lesions"][0]["diagnosis"] = "l570 "
        encounter, messages = encounter_from_json(data, today=TODAY)
        assert messages == () and encounter is not None
        result = code_encounter(encounter)
        assert result.diagnoses[0] == "L57.0"

    @pytest.mark.parametrize("code", ["L57", "C44", "C44.3"])
    def test_heading_is_not_billable(self, code: str) -> None:
        data = good()
        data["lesions"][0]["diagnosis"] = code
        _, messages = encounter_from_json(data, today=TODAY)
        assert [(m.rule, m.field) for m in messages] == [(rules.INVALID_DIAGNOSIS, "lesions[0].diagnosis")]
        assert "heading" in messages[0].text

    def test_unknown_code(self) -> None:
        data = good()
        data["lesions"][0]["diagnosis"] = "L99.99"
        _, messages = encounter_from_json(data, today=TODAY)
        assert [(m.rule, m.field) for m in messages] == [(rules.INVALID_DIAGNOSIS, "lesions[0].diagnosis")]


def test_the_contract_example_end_to_end() -> None:
    """The input example of the contract, coded with the real code set."""
    data = example_encounter()
    encounter, messages = encounter_from_json(data, today=TODAY)
    assert encounter is not None and messages == ()
    out = result_to_json(code_encounter(encounter))
    assert [
        (line["cpt"], line["units"], line["modifiers"], line["diagnosis_pointers"]) for line in out["lines"]
    ] == [
        ("99213", 1, ["25"], ["A", "B", "C", "D"]),
        ("11200", 1, ["59"], ["E"]),
        ("11201", 1, [], ["E"]),
        ("17000", 1, [], ["A"]),
        ("17003", 11, [], ["A"]),
        ("17107", 1, [], ["D"]),
        ("17110", 1, [], ["B"]),
        ("17281", 1, ["59"], ["C"]),
    ]
    assert out["diagnoses"] == ["L57.0", "L82.1", "C44.311", "I78.1", "L91.8"]
    assert [m["rule"] for m in out["messages"]] == [
        "EM_SAME_DAY",
        "DISTINCT_PROCEDURE",
        "DISTINCT_PROCEDURE",
        "EDIT_UNCONFIRMED",
        "IN_GLOBAL_PERIOD",  # the example's prior 17000 a week earlier
        "COVERAGE_REMINDER",
        "COVERAGE_REMINDER",
        "COVERAGE_REMINDER",
    ]
