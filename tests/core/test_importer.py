"""Importing a day's encounters: matching, coding, final or draft, one transaction each, no duplicates."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.coding.model import LesionGroup, LesionKind
from core.errors import InputError
from core.importer import ImportReport, draft_encounter, import_encounters, left_out_keys, parse_import
from core.npi import check_digit
from core.store import EncounterStatus, Patient, Provider, Store
from tests.signing_in import open_signed_in

TODAY = date(2026, 11, 27)
DEMO_NPI = "1234567893"
#: a valid NPI that belongs to no provider of the demo practice
STRANGER_NPI = "198765432" + check_digit("198765432")


def ada(**changes: Any) -> dict[str, Any]:
    """The contract's example encounter (Ada Lovelace, 12 actinic keratoses), with changes."""
    encounter: dict[str, Any] = {
        "patient": {
            "chart_number": "A1001",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "date_of_birth": "1950-12-10",
            "sex": "F",
            "payer": "medicare",
            "member_id": "1EG4TE5MK73",
        },
        "provider_npi": DEMO_NPI,
        "date_of_service": "2026-11-20",
        "place_of_service": "11",
        "em_code": None,
        "lesions": [
            {
                "kind": "premalignant",
                "count": 12,
                "site": "face",
                "method": "cryosurgery",
                "diagnosis": "L57.0",
            }
        ],
    }
    encounter.update(changes)
    return encounter


def patient(**fields: Any) -> dict[str, Any]:
    return {"first_name": "Bo", "last_name": "Byron", "date_of_birth": "1960-01-02", **fields}


def run(store: Store, *encounters: dict[str, Any]) -> ImportReport:
    return import_encounters(store, json.dumps({"encounters": list(encounters)}), today=TODAY)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with open_signed_in(tmp_path / "superbill.db") as opened:
        yield opened


def counts(store: Store) -> tuple[int, int, int]:
    conn = store.conn
    return tuple(  # type: ignore[return-value]
        conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("patients", "encounters", "lesion_groups")
    )


def test_the_contract_example_creates_the_patient_and_stores_a_final_encounter(store: Store) -> None:
    report = run(store, ada())
    assert report.to_json() == {
        "imported": 1,
        "final": 1,
        "draft": 0,
        "encounters": [
            {"index": 0, "encounter_id": report.encounters[0].encounter_id, "status": "final", "messages": []}
        ],
    }
    record = store.get_encounter(report.encounters[0].encounter_id or 0)
    assert record.status is EncounterStatus.FINAL
    assert [(line.cpt, line.units) for line in record.lines] == [("17000", 1), ("17003", 11)]
    assert all(line.charge_cents > 0 for line in record.lines)
    created = store.get_patient(record.patient_id)
    assert (created.chart_number, created.first_name, created.date_of_birth) == (
        "A1001",
        "Ada",
        date(1950, 12, 10),
    )
    assert created.payer_id is not None and store.get_payer(created.payer_id).coding_payer == "medicare"
    assert created.member_id == "1EG4TE5MK73"
    assert record.provider_id == store.default_provider().id


def medicare_id(store: Store) -> int | None:
    return next(p.id for p in store.payers() if p.coding_payer == "medicare")


def test_patient_is_matched_by_chart_number_before_name(store: Store) -> None:
    known = store.save_patient(
        Patient(
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth=date(1950, 12, 10),
            chart_number="a1001",
            payer_id=medicare_id(store),
            member_id="1EG4TE5MK73",
        )
    )
    report = run(store, ada())
    record = store.get_encounter(report.encounters[0].encounter_id or 0)
    assert record.patient_id == known.id
    assert report.encounters[0].messages == ()


def test_a_chart_number_of_someone_else_is_used_with_a_warning(store: Store) -> None:
    known = store.save_patient(
        Patient(
            first_name="Grace",
            last_name="Hopper",
            date_of_birth=date(1906, 12, 9),
            chart_number="A1001",
            payer_id=medicare_id(store),
            member_id="1EG4TE5MK73",
        )
    )
    report = run(store, ada())
    outcome = report.encounters[0]
    assert store.get_encounter(outcome.encounter_id or 0).patient_id == known.id
    assert [m.rule for m in outcome.messages] == ["PATIENT_DIFFERS"]
    assert "Hopper" in outcome.messages[0].text
    assert outcome.status == "final"  # a warning: billable, but a person should look


def test_an_existing_patients_other_payer_is_a_warning_and_no_payer_on_file_an_error(store: Store) -> None:
    aetna = next(p for p in store.payers() if p.coding_payer == "aetna")
    store.save_patient(
        Patient(
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth=date(1950, 12, 10),
            chart_number="A1001",
            payer_id=aetna.id,
            member_id="W1",
        )
    )
    store.save_patient(Patient(first_name="Bo", last_name="Byron", date_of_birth=date(1960, 1, 2)))
    report = run(store, ada(), ada(patient=patient(payer="medicare", member_id="1EG4TE5MK73")))
    other, none_on_file = report.encounters
    assert (other.status, [m.rule for m in other.messages]) == ("final", ["PAYER_DIFFERS"])
    assert store.get_encounter(other.encounter_id or 0).payer_id == aetna.id
    # the import's warning stays with the final encounter in the database, acknowledged by the import
    stored = store.get_encounter(other.encounter_id or 0)
    assert [m.rule for m in stored.messages] == ["PAYER_DIFFERS"]
    (looked_at,) = stored.acknowledgements
    assert looked_at.rule == "PAYER_DIFFERS" and "accepted by the import" in looked_at.reason
    assert looked_at.who == store.user
    assert none_on_file.status == "draft"
    assert none_on_file.messages[0].field == "patient.payer"
    assert "no insurance on file" in none_on_file.messages[0].text


def test_without_chart_number_the_patient_is_matched_by_name_and_birth_date(store: Store) -> None:
    known = store.save_patient(Patient(first_name="Bo", last_name="O'Byron", date_of_birth=date(1960, 1, 2)))
    before = counts(store)[0]
    report = run(store, ada(patient=patient(first_name="BO", last_name="obyron")))
    assert store.get_encounter(report.encounters[0].encounter_id or 0).patient_id == known.id
    assert counts(store)[0] == before


def test_an_unknown_chart_number_matched_by_name_and_birth_date_is_a_warning(store: Store) -> None:
    known = store.save_patient(
        Patient(first_name="Bo", last_name="Byron", date_of_birth=date(1960, 1, 2), chart_number="B7")
    )
    report = run(store, ada(patient=patient(chart_number="Z9999")))
    outcome = report.encounters[0]
    assert store.get_encounter(outcome.encounter_id or 0).patient_id == known.id
    assert [(m.rule, m.field) for m in outcome.messages] == [("PATIENT_DIFFERS", "patient.chart_number")]
    assert "Z9999" in outcome.messages[0].text and "B7" in outcome.messages[0].text
    assert outcome.status == "final"  # a warning: billable, but a person should look


def test_same_name_other_birth_date_is_a_new_patient_with_a_new_chart_number(store: Store) -> None:
    store.save_patient(Patient(first_name="Bo", last_name="Byron", date_of_birth=date(1960, 1, 2)))
    report = run(store, ada(patient=patient(date_of_birth="1961-01-02")))
    created = store.get_patient(store.get_encounter(report.encounters[0].encounter_id or 0).patient_id)
    assert created.date_of_birth == date(1961, 1, 2)
    assert created.chart_number  # assigned by the store
    assert created.payer_id is None  # no payer in the file: none on file (codes as self-pay)


def test_absent_provider_is_the_default_and_an_npi_picks_the_practice_provider(store: Store) -> None:
    second_npi = "165432198" + check_digit("165432198")
    second = store.save_provider(Provider(first_name="Lee", last_name="Second", npi=second_npi))
    report = run(store, ada(provider_npi=None), ada(provider_npi=second_npi, date_of_service="2026-11-21"))
    ids = [e.encounter_id or 0 for e in report.encounters]
    assert store.get_encounter(ids[0]).provider_id == store.default_provider().id
    assert store.get_encounter(ids[1]).provider_id == second.id


@pytest.mark.parametrize(
    ("npi", "rule", "words"),
    [
        ("1234567890", "INVALID_INPUT", "check digit"),
        ("12345", "INVALID_INPUT", "10"),
        (1234567893, "INVALID_INPUT", "in quotes"),
        (STRANGER_NPI, "UNKNOWN_PROVIDER", "not an active provider"),
    ],
)
def test_a_bad_or_unknown_provider_keeps_the_encounter_a_draft_under_the_default_provider(
    store: Store, npi: object, rule: str, words: str
) -> None:
    report = run(store, ada(provider_npi=npi, patient=patient()), ada())
    bad, good = report.encounters
    assert bad.status == "draft"
    assert [(m.rule, m.field, m.severity) for m in bad.messages[:1]] == [(rule, "provider_npi", "error")]
    assert words in bad.messages[0].text and "Dana Demo" in bad.messages[0].text
    record = store.get_encounter(bad.encounter_id or 0)
    assert record.provider_id == store.default_provider().id
    assert record.status is EncounterStatus.DRAFT and record.messages == bad.messages
    assert good.status == "final"
    assert (report.imported, report.final, report.draft) == (2, 1, 1)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"payer": "acme", "member_id": "X1"}, "patient.payer", "not a payer of this practice"),
        ({"payer": "medicare"}, "patient.member_id", "needs the member ID"),
    ],
)
def test_a_new_patients_unusable_insurance_saves_the_patient_without_it_and_keeps_a_draft(
    store: Store, fields: dict[str, str], field: str, words: str
) -> None:
    report = run(store, ada(patient=patient(chart_number="NEW-1", **fields)))
    outcome = report.encounters[0]
    assert outcome.status == "draft"
    assert (outcome.messages[0].field, outcome.messages[0].severity) == (field, "error")
    assert words in outcome.messages[0].text
    created = store.patient_by_chart_number("NEW-1")
    assert created is not None and created.payer_id is None
    # The next encounter of that patient is not billed as self-pay behind the front desk's back.
    again = run(store, ada(patient=patient(chart_number="NEW-1", **fields), date_of_service="2026-11-23"))
    assert again.encounters[0].status == "draft"


def test_an_engine_error_stores_a_draft_that_keeps_the_messages(store: Store) -> None:
    lesion = {"kind": "premalignant", "count": 2, "site": "face", "method": "cryosurgery", "diagnosis": "L57"}
    report = run(store, ada(lesions=[lesion]))
    outcome = report.encounters[0]
    assert outcome.status == "draft"
    assert [m.rule for m in outcome.messages] == ["INVALID_DIAGNOSIS"]
    record = store.get_encounter(outcome.encounter_id or 0)
    assert record.status is EncounterStatus.DRAFT
    assert record.messages == outcome.messages
    assert record.lesions[0].diagnosis == "L57" and record.lesions[0].count == 2
    assert record.lines == ()


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"date_of_service": "2026-12-25"}, "INVALID_DATE"),
        ({"place_of_service": "98"}, "INVALID_POS"),
        ({"lesions": []}, "NOTHING_TO_BILL"),
        (
            {
                "lesions": [
                    {
                        "kind": "malignant",
                        "count": 1,
                        "site": "nose",
                        "method": "laser",
                        "diagnosis": "C44.311",
                    }
                ]
            },
            "MISSING_MEASUREMENT",
        ),
        (
            {
                "lesions": [
                    {
                        "kind": "premalignant",
                        "count": 0,
                        "site": "face",
                        "method": "laser",
                        "diagnosis": "L57.0",
                    }
                ]
            },
            "INVALID_COUNT",
        ),
        (
            {"lesions": [{"kind": "premalignant", "count": 3, "site": "face", "method": "laser"}]},
            "INVALID_INPUT",
        ),
    ],
)
def test_problems_the_front_desk_can_fix_in_the_window_become_drafts(
    store: Store, changes: dict[str, Any], rule: str
) -> None:
    report = run(store, ada(**changes))
    outcome = report.encounters[0]
    assert outcome.status == "draft", outcome.messages
    assert rule in [m.rule for m in outcome.messages]
    assert store.get_encounter(outcome.encounter_id or 0).messages == outcome.messages


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patient": None}, "patient"),
        ({"patient": {"chart_number": "Z9"}}, "patient.first_name"),
        ({"patient": patient(date_of_birth="12/10/1950")}, "patient.date_of_birth"),
        ({"patient": patient(date_of_birth="2999-01-01")}, "patient.date_of_birth"),
        ({"patient": patient(first_name=7)}, "patient.first_name"),
        (
            {"patient": {"chart_number": "NOT-ON-FILE", "first_name": "Bo", "last_name": "Byron"}},
            "patient.date_of_birth",
        ),
        ({"patient": patient(last_name=" ")}, "patient.last_name"),
        ({"date_of_service": "yesterday"}, "date_of_service"),
        ({"date_of_service": "2026-02-30"}, "date_of_service"),
        ({"date_of_service": None}, "date_of_service"),
        ({"date_of_service": 20261120}, "date_of_service"),
    ],
)
def test_an_encounter_that_cannot_even_be_a_draft_is_rejected_and_leaves_no_trace(
    store: Store, changes: dict[str, Any], field: str
) -> None:
    encounter = ada(**changes)
    if "patient" not in changes:
        encounter["patient"] = patient(chart_number="NEW-1")
    before = counts(store)
    audit_rows = len(store.audit_entries())
    report = run(store, encounter, ada())
    bad, good = report.encounters
    assert (bad.index, bad.status, bad.encounter_id) == (0, "rejected", None)
    assert field in [m.field for m in bad.messages], bad.messages
    assert all(m.severity == "error" for m in bad.messages)
    assert good.status == "final"
    assert store.patient_by_chart_number("NEW-1") is None
    assert counts(store)[1] == before[1] + 1
    assert len(store.audit_entries()) > audit_rows  # only Ada's rows were added
    assert report.to_json()["imported"] == 1


def test_a_patient_on_file_is_found_by_chart_number_alone(store: Store) -> None:
    first = run(store, ada()).encounters[0]
    again = run(store, ada(patient={"chart_number": "A1001"}, date_of_service="2026-11-21")).encounters[0]
    assert again.status == "final"
    assert [m.rule for m in again.messages if m.field and m.field.startswith("patient")] == []
    assert (
        store.get_encounter(again.encounter_id or 0).patient_id
        == store.get_encounter(first.encounter_id or 0).patient_id
    )


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"sex": "X"}, "patient.sex", "saved with sex U"),
        ({"sex": 1}, "patient.sex", "the file has 1."),
        ({"payer": 5, "member_id": "W1"}, "patient.payer", "the file has 5."),
        ({"chart_number": 1001}, "patient.chart_number", "the file has 1001."),
    ],
)
def test_a_patient_field_that_cannot_be_used_keeps_a_draft_and_says_what_the_file_had(
    store: Store, fields: dict[str, Any], field: str, words: str
) -> None:
    outcome = run(store, ada(patient=patient(**fields))).encounters[0]
    assert outcome.status == "draft"
    problem = next(m for m in outcome.messages if m.field == field)
    assert problem.severity == "error" and words in problem.text
    created = store.get_patient(store.get_encounter(outcome.encounter_id or 0).patient_id)
    assert (created.first_name, created.date_of_birth) == ("Bo", date(1960, 1, 2))
    assert created.sex in ("U", "F") and created.payer_id is None
    before = counts(store)
    assert run(store, ada(patient=patient(**fields))).encounters[0].encounter_id == outcome.encounter_id
    assert counts(store) == before


GOOD_LESION = {
    "kind": "premalignant",
    "count": 3,
    "site": "face",
    "method": "cryosurgery",
    "diagnosis": "L57.0",
}


def quoted(entry: object) -> str:
    """How a left-out value appears in its message: the file's JSON on one line, keys in its order."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(
    ("entry", "rule", "field"),
    [
        (
            {"kind": "wart", "count": 1, "site": "face", "method": "laser", "diagnosis": "B07.9"},
            "INVALID_INPUT",
            "lesions[1].kind",
        ),
        (
            {"kind": "benign", "count": 1.5, "site": "face", "method": "laser", "diagnosis": "L82.1"},
            "INVALID_COUNT",
            "lesions[1].count",
        ),
        (
            {"count": "abc", "kind": "benign", "site": "trunk", "method": "laser", "diagnosis": "L82.1"},
            "INVALID_COUNT",
            "lesions[1].count",
        ),
        (
            {"kind": "benign", "count": True, "site": "trunk", "method": "laser", "diagnosis": "L82.1"},
            "INVALID_COUNT",
            "lesions[1].count",
        ),
        (
            {"kind": "benign", "count": 2, "site": "elbow", "method": "laser", "diagnosis": "L82.1"},
            "INVALID_INPUT",
            "lesions[1].site",
        ),
        (
            {"kind": "benign", "count": 2, "site": "trunk", "method": "glue", "diagnosis": "L82.1"},
            "INVALID_INPUT",
            "lesions[1].method",
        ),
        (
            {
                "kind": "benign",
                "count": 2,
                "site": "trunk",
                "method": "laser",
                "diagnosis": "L82.1",
                "note": "left côté",
            },
            "INVALID_INPUT",
            "lesions[1].note",
        ),
        (
            {
                "kind": "malignant",
                "count": 1,
                "site": "nose",
                "method": "laser",
                "diagnosis": "C44.311",
                "diameter_cm": "0.8cm",
            },
            "INVALID_INPUT",
            "lesions[1].diameter_cm",
        ),
        ("two on the back", "INVALID_INPUT", "lesions[1]"),
        (  # a word that looks like the quote itself still lets a re-import be recognised
            {"kind": "the other system sent lesions[0] = 7", "count": 1, "site": "face", "method": "laser"},
            "INVALID_INPUT",
            "lesions[1].kind",
        ),
    ],
)
def test_a_lesion_entry_a_draft_cannot_hold_is_left_out_and_quoted_whole(
    store: Store, entry: object, rule: str, field: str
) -> None:
    report = run(store, ada(lesions=[GOOD_LESION, entry]))
    outcome = report.encounters[0]
    assert (outcome.status, report.imported) == ("draft", 1)
    record = store.get_encounter(outcome.encounter_id or 0)
    assert record.status is EncounterStatus.DRAFT and record.lines == ()
    assert record.lesions == (LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0"),)
    assert record.messages == outcome.messages
    left_out = [m for m in outcome.messages if quoted(entry) in m.text]
    assert [(m.severity, m.rule, m.field) for m in left_out] == [("error", rule, field)]
    assert "Lesion entry 2 of this encounter was left out of the draft" in left_out[0].text
    assert "Re-enter it as a lesion row in the window" in left_out[0].text
    # Only one message per left-out entry: the engine's reasons are folded into it.
    assert [m.field for m in outcome.messages if (m.field or "").startswith("lesions[1]")] == [field]

    before = counts(store)
    again = run(store, ada(lesions=[entry, GOOD_LESION])).encounters[0]  # same entries, other order
    assert counts(store) == before
    assert (again.encounter_id, again.status, again.messages[0].rule) == (
        outcome.encounter_id,
        "draft",
        "ALREADY_IMPORTED",
    )
    # The same kept lesion without the left-out entry is another encounter, not this one.
    other = run(store, ada(lesions=[GOOD_LESION])).encounters[0]
    assert other.encounter_id != outcome.encounter_id and other.status == "final"


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"place_of_service": 11}, "place_of_service", 11),
        ({"em_code": 99213}, "em_code", 99213),
        ({"lesions": "three on the face"}, "lesions", "three on the face"),
        ({"notes": {"by": "Dr. Demo"}}, "notes", {"by": "Dr. Demo"}),
    ],
)
def test_an_encounter_field_a_draft_cannot_hold_is_left_out_and_quoted(
    store: Store, changes: dict[str, Any], field: str, value: object
) -> None:
    outcome = run(store, ada(**changes)).encounters[0]
    assert outcome.status == "draft"
    record = store.get_encounter(outcome.encounter_id or 0)
    assert record.place_of_service == (store.practice().default_pos if field == "place_of_service" else "11")
    assert f"the other system sent {field} = {quoted(value)}." in record.messages[0].text
    assert record.messages[0].field == field
    before = counts(store)
    assert run(store, ada(**changes)).encounters[0].encounter_id == outcome.encounter_id
    assert counts(store) == before


def test_a_day_of_good_bad_count_bad_kind_and_unknown_patient_stores_all_it_can_once(store: Store) -> None:
    bad_count = {**GOOD_LESION, "count": "abc"}
    bad_kind = {**GOOD_LESION, "kind": "wart", "diagnosis": "B07.9"}
    day = [
        ada(),
        ada(patient=patient(chart_number="B2"), lesions=[bad_count]),
        ada(patient=patient(chart_number="C3", first_name="Cy"), lesions=[GOOD_LESION, bad_kind]),
        ada(patient={"chart_number": "Z9", "first_name": "Zed"}),
    ]
    first = run(store, *day)
    assert [e.status for e in first.encounters] == ["final", "draft", "draft", "rejected"]
    assert (first.imported, first.final, first.draft, first.rejected) == (3, 1, 2, 1)
    for outcome, entry, lesions in ((first.encounters[1], bad_count, 0), (first.encounters[2], bad_kind, 1)):
        record = store.get_encounter(outcome.encounter_id or 0)
        assert record.status is EncounterStatus.DRAFT and len(record.lesions) == lesions
        assert any(quoted(entry) in m.text and m.severity == "error" for m in record.messages)
    rejected = first.encounters[3]
    assert rejected.encounter_id is None and "patient.date_of_birth" in [m.field for m in rejected.messages]
    assert store.patient_by_chart_number("Z9") is None

    after_first = counts(store)
    second = run(store, *day)
    assert counts(store) == after_first
    assert [(e.encounter_id, e.status) for e in second.encounters] == [
        (e.encounter_id, e.status) for e in first.encounters
    ]
    assert [e.messages[0].rule for e in second.encounters[:3]] == ["ALREADY_IMPORTED"] * 3


def test_a_code_without_a_fee_on_that_date_stays_a_draft_with_the_reason(store: Store) -> None:
    report = run(store, ada(date_of_service="2025-06-02"))  # the demo fee schedule starts 2026-01-01
    outcome = report.encounters[0]
    assert outcome.status == "draft"
    assert outcome.messages[-1].rule == "CANNOT_FINALIZE"
    assert "fee" in outcome.messages[-1].text
    assert store.get_encounter(outcome.encounter_id or 0).messages == outcome.messages


def test_a_failure_in_the_middle_of_an_encounter_stores_none_of_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(store)

    def broken_finalize(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(store, "finalize", broken_finalize)
    with pytest.raises(RuntimeError):
        run(store, ada())
    assert counts(store) == before
    assert store.patient_by_chart_number("A1001") is None


def test_importing_the_same_file_twice_does_not_duplicate(store: Store) -> None:
    lesion = {"kind": "premalignant", "count": 2, "site": "face", "method": "cryosurgery", "diagnosis": "L57"}
    day = [ada(), ada(patient=patient(), lesions=[lesion]), ada(patient=patient(), provider_npi="1234567890")]
    first = run(store, *day)
    after_first = counts(store)
    second = run(store, *day)
    assert counts(store) == after_first
    assert [(e.encounter_id, e.status) for e in second.encounters] == [
        (e.encounter_id, e.status) for e in first.encounters
    ]
    assert [e.messages[0].rule for e in second.encounters] == ["ALREADY_IMPORTED"] * 3
    assert (second.imported, second.final, second.draft) == (3, 1, 2)


def test_the_same_lesions_in_another_order_or_spelling_are_recognised(store: Store) -> None:
    lesions = [
        {"kind": "premalignant", "count": 4, "site": "face", "method": "cryosurgery", "diagnosis": "L57.0"},
        {"kind": "benign", "count": 2, "site": "trunk", "method": "cryosurgery", "diagnosis": "L82.1"},
    ]
    first = run(store, ada(lesions=lesions))
    swapped = copy.deepcopy(lesions[::-1])
    swapped[1]["diagnosis"] = "l570"
    second = run(store, ada(lesions=swapped))
    assert second.encounters[0].encounter_id == first.encounters[0].encounter_id
    different = run(store, ada(lesions=[{**lesions[0], "count": 5}]))
    assert different.encounters[0].encounter_id != first.encounters[0].encounter_id


def test_a_voided_encounter_does_not_block_importing_it_again(store: Store) -> None:
    first = run(store, ada()).encounters[0].encounter_id or 0
    store.void_encounter(first, "entered on the wrong day")
    again = run(store, ada()).encounters[0]
    assert again.encounter_id != first and again.status == "final"


def test_an_existing_patients_payer_on_file_is_used_for_coding(store: Store) -> None:
    medicare = next(p for p in store.payers() if p.coding_payer == "medicare")
    store.save_patient(
        Patient(
            first_name="Bo",
            last_name="Byron",
            date_of_birth=date(1960, 1, 2),
            payer_id=medicare.id,
            member_id="1EG4TE5MK73",
        )
    )
    lesions = [
        {"kind": "premalignant", "count": 3, "site": "face", "method": "cryosurgery", "diagnosis": "L57.0"},
        {"kind": "benign", "count": 2, "site": "trunk", "method": "cryosurgery", "diagnosis": "L82.1"},
    ]
    report = run(store, ada(patient=patient(payer="aetna", member_id="W1"), lesions=lesions))
    record = store.get_encounter(report.encounters[0].encounter_id or 0)
    assert record.payer_id == medicare.id
    assert all("51" not in line.modifiers for line in record.lines)  # never 51 on a Medicare claim


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        b"\xff\xfe\x00",
        "[]",
        "{}",
        '{"encounters": {"patient": {}}}',
        '{"encounters": [1, 2]}',
        '{"encounters": [{}, "x"]}',
    ],
)
def test_an_unreadable_file_is_refused_whole_and_stores_nothing(store: Store, text: str | bytes) -> None:
    before = counts(store)
    with pytest.raises(InputError, match="Nothing was imported"):
        import_encounters(store, text, today=TODAY)
    assert counts(store) == before


def test_parse_import_accepts_an_empty_day() -> None:
    assert parse_import('{"encounters": []}') == []


def test_draft_encounter_needs_only_a_real_date_and_leaves_out_what_it_cannot_hold() -> None:
    good = {k: v for k, v in ada().items() if k not in ("patient", "provider_npi")}
    kept = draft_encounter(good)
    assert kept is not None and not kept.left_out and len(kept.encounter.lesions) == 1
    assert draft_encounter({**good, "date_of_service": "2026-02-30"}) is None
    odd = draft_encounter({**good, "place_of_service": "1", "em_code": 99213, "note": "x"}, default_pos="22")
    assert odd is not None
    assert (odd.encounter.place_of_service, odd.encounter.em_code) == ("22", None)
    assert [m.field for m in odd.messages] == ["note", "place_of_service", "em_code"]
    assert 'the other system sent place_of_service = "1".' in odd.messages[1].text
    assert left_out_keys(odd.messages) == odd.left_out and sum(odd.left_out.values()) == 3


def test_the_decision_for_surgery_is_imported_with_the_encounter(store: Store) -> None:
    vascular = {"kind": "vascular", "count": 1, "site": "face", "method": "laser", "diagnosis": "I78.1"}
    lesions = [{**vascular, "area_sq_cm": 12.0}]
    report = run(store, ada(em_code="99213", decision_for_surgery=True, lesions=lesions))
    record = store.get_encounter(report.encounters[0].encounter_id or 0)
    assert record.decision_for_surgery is True and record.status is EncounterStatus.FINAL
    assert [(line.cpt, line.modifiers) for line in record.lines] == [("99213", ("57",)), ("17107", ())]
    assert "EM_DECISION_FOR_SURGERY" in [m.rule for m in record.messages]


def test_a_decision_for_surgery_that_is_not_true_or_false_is_left_out_of_the_draft(store: Store) -> None:
    report = run(store, ada(em_code="99213", decision_for_surgery="yes"))
    record = store.get_encounter(report.encounters[0].encounter_id or 0)
    assert record.status is EncounterStatus.DRAFT and record.decision_for_surgery is False
    assert any('decision_for_surgery = "yes"' in m.text for m in record.messages)
