"""Hostile import files: limits, text that is not text, absurd dates, a database that stops writing.

Whatever a broken or hostile export holds, the import finishes: a file beyond the whole-file limits
stores nothing (``InputError``); an encounter beyond an encounter's limits is rejected with its field
named and stores nothing of itself; when the database refuses a write, the report says exactly which
encounters were stored. Never an unhandled exception, never half an encounter (docs/import.md, "Limits").
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.importer import LIMITS, ImportReport, import_encounters
from core.store import Store
from tests.signing_in import open_signed_in

from .test_importer import TODAY, ada, counts, patient, run

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import.md"
LESION = {"kind": "premalignant", "count": 2, "site": "face", "method": "cryosurgery", "diagnosis": "L57.0"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with open_signed_in(tmp_path / "superbill.db") as opened:
        yield opened


def audit_size(store: Store) -> int:
    row = store.conn.execute(
        "SELECT coalesce(sum(length(before)), 0) + coalesce(sum(length(after)), 0) FROM audit_log"
    ).fetchone()
    return int(row[0])


def orphans(store: Store) -> int:
    """Patients without any encounter (an import never creates one: a new patient comes with its visit)."""
    return store.conn.execute(
        "SELECT count(*) FROM patients p "
        "WHERE NOT EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = p.id)"
    ).fetchone()[0]


def printable(report: ImportReport) -> str:
    """The command's output: it must be UTF-8 JSON, whatever the file held."""
    text = json.dumps(report.to_json(), ensure_ascii=False)
    text.encode("utf-8")  # raises on a lone surrogate
    return text


# -- the whole file ------------------------------------------------------------------------------------


def day_with(raw_encounter: str) -> str:
    """A file whose first encounter is good and whose second is ``raw_encounter`` (JSON text)."""
    return '{"encounters": [' + json.dumps(ada()) + ", " + raw_encounter + "]}"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (day_with('{"x": NaN}'), "NaN"),
        (day_with('{"x": -Infinity}'), "Infinity"),
        (day_with('{"x": 1e999}'), "too large"),
        (day_with('{"x": ' + "9" * 31 + "}"), "number too long"),
        (day_with('{"x": ' + "1" * 5000 + "}"), "number too long"),
        (day_with('{"x": ' + "[" * 25 + "]" * 25 + "}"), "nested too deeply"),
        (day_with('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}"), "nested too deeply"),
        ('{"encounters": []}' + " " * 5_000_000, "too large"),
        (json.dumps({"encounters": [ada()] * 1001}), "at most 1,000 encounters"),
        (b'{"encounters": [{"patient": "\xed\xa0\x80"}]}', "not UTF-8"),  # a surrogate as raw bytes
    ],
    ids=[
        "nan",
        "infinity",
        "1e999",
        "31-digits",
        "5000-digits",
        "depth-25",
        "depth-100000",
        "5MB",
        "1001",
        "utf8",
    ],
)
def test_a_file_beyond_the_whole_file_limits_is_refused_and_stores_nothing(
    store: Store, text: str | bytes, needle: str
) -> None:
    before, audit = counts(store), audit_size(store)
    with pytest.raises(InputError, match="Nothing was imported") as refused:
        import_encounters(store, text, today=TODAY)
    assert needle in refused.value.text
    assert refused.value.field in ("file", "encounters")
    assert counts(store) == before and audit_size(store) == audit


def test_a_file_at_the_limits_is_read() -> None:
    from core.importer import parse_import

    nested = {"a": [[[[[[[[[[[[[[1]]]]]]]]]]]]]]}  # 20 levels with the file's own three
    encounter = {**ada(), "note": nested, "count": 10**29}
    assert parse_import(json.dumps({"encounters": [encounter] * 1000})) != []


# -- one encounter -------------------------------------------------------------------------------------


def only_second_rejected(store: Store, bad: dict[str, Any]) -> tuple[str | None, str]:
    """Import a good encounter and ``bad``; the good one is stored, ``bad`` is rejected: its error."""
    before = counts(store)
    report = run(store, ada(), bad)
    printable(report)
    good, rejected = report.encounters
    assert good.status == "final" and rejected.status == "rejected" and rejected.encounter_id is None
    assert counts(store) == (before[0] + 1, before[1] + 1, before[2] + 1)  # Ada, her visit, her entry
    (error,) = [m for m in rejected.messages if m.severity == "error"]
    return error.field, error.text


def new_patient(**fields: Any) -> dict[str, Any]:
    return patient(**{"chart_number": "B2", **fields})


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (ada(patient=new_patient(first_name="Bo\ud800")), "patient.first_name"),
        (ada(patient=new_patient(last_name="\udfff")), "patient.last_name"),
        (ada(patient=new_patient(member_id="\ud83d")), "patient.member_id"),
        (ada(patient=new_patient(chart_number="\ud800")), "patient.chart_number"),
        (ada(patient=new_patient(), place_of_service="1\ud800"), "place_of_service"),
        (ada(patient=new_patient(), lesions=[LESION, {**LESION, "site": "face\ud800"}]), "lesions[1].site"),
        (ada(patient=new_patient(), note="\ud800"), "note"),
        (ada(patient=new_patient(), **{"\ud800": 1}), "\\ud800"),
    ],
    ids=["first", "last", "member", "chart", "pos", "site", "unknown-value", "unknown-key"],
)
def test_a_lone_surrogate_rejects_its_encounter_naming_the_field(
    store: Store, bad: dict[str, Any], field: str
) -> None:
    found, text = only_second_rejected(store, bad)
    assert found == field
    assert "broken character" in text and "not stored" in text
    assert store.patient_by_chart_number("B2") is None


@pytest.mark.parametrize(
    ("bad", "field", "limit"),
    [
        (ada(patient=new_patient(first_name="B" * 101)), "patient.first_name", "100 characters"),
        (ada(patient=new_patient(last_name="B" * 5000)), "patient.last_name", "100 characters"),
        (ada(patient=new_patient(member_id="9" * 41, payer="aetna")), "patient.member_id", "40 characters"),
        (ada(patient=new_patient(chart_number="7" * 31)), "patient.chart_number", "30 characters"),
        (ada(patient=new_patient(), em_code="9" * 11), "em_code", "10 characters"),
        (
            ada(patient=new_patient(), lesions=[{**LESION, "diagnosis": "L" * 21}]),
            "lesions[0].diagnosis",
            "20",
        ),
        (ada(patient=new_patient(), lesions=[{**LESION, "note": "x" * 1000}]), "lesions[0].note", "1,000"),
        (ada(patient=new_patient(), lesions=[LESION] * 101), "lesions", "100 entries"),
        (ada(patient=new_patient(), prior_services=[{}] * 101), "prior_services", "100 entries"),
        (ada(patient=new_patient(), note="x" * 100_000), "note", "1,000 characters"),
        (ada(patient=new_patient(), note=[["x" * 50] * 50]), "note", "1,000 characters"),
        (ada(patient=new_patient(), lesions="x" * 1001), "lesions", "1,000 characters"),
        (ada(patient=new_patient(), **{"n" * 101: 1}), "nnnnnnnnnnnnnnnnnnnnnnnnnnn...", "100 characters"),
        (ada(patient=new_patient(), **{f"note{i}": 1 for i in range(21)}), None, "at most 20 fields"),
    ],
    ids=[
        "first",
        "last",
        "member",
        "chart",
        "em",
        "diagnosis",
        "entry",
        "lesions",
        "priors",
        "unknown",
        "unknown-list",
        "lesions-text",
        "key",
        "keys",
    ],
)
def test_a_value_beyond_its_limit_rejects_its_encounter_naming_the_field(
    store: Store, bad: dict[str, Any], field: str | None, limit: str
) -> None:
    found, text = only_second_rejected(store, bad)
    assert found == field
    assert limit in text and "not stored" in text
    assert len(text) < 600  # the value is named, never copied
    assert store.patient_by_chart_number("B2") is None


def test_values_at_their_limits_are_stored(store: Store) -> None:
    at_limit = ada(
        patient=new_patient(first_name="B" * 100, last_name="C" * 100, member_id="9" * 40, payer="aetna"),
        lesions=[LESION] * 100,
        note="x" * 990,  # as one line of JSON, with its quotes: under 1,000 characters
        **{f"extra{i}": i for i in range(19)},
    )
    (outcome,) = run(store, at_limit).encounters
    assert outcome.status == "draft"  # unknown fields are left out of the draft and quoted, as before
    assert sum('the other system sent note = "xxx' in m.text for m in outcome.messages) == 1


def test_a_huge_unknown_field_never_reaches_the_database_or_its_audit_log(store: Store) -> None:
    before, audit = counts(store), audit_size(store)
    (outcome,) = run(store, ada(note="x" * 1_000_000)).encounters
    assert outcome.status == "rejected" and outcome.messages[0].field == "note"
    assert counts(store) == before and audit_size(store) == audit


@pytest.mark.parametrize(
    "day",
    ["0001-01-01", "1999-12-31", "2015-09-30", (TODAY + timedelta(days=366)).isoformat(), "9999-12-31"],
)
def test_a_date_of_service_out_of_range_is_rejected_naming_it(store: Store, day: str) -> None:
    found, text = only_second_rejected(store, ada(patient=new_patient(), date_of_service=day))
    assert found == "date_of_service" and day in text and "Check the year" in text


def test_a_date_of_service_in_range_is_stored(store: Store) -> None:
    first, soon = run(
        store,
        ada(date_of_service="2015-10-01"),
        ada(date_of_service=(TODAY + timedelta(days=365)).isoformat()),
    ).encounters
    assert (first.status, soon.status) == ("draft", "draft")  # no fee in 2015; a future date: as before


@pytest.mark.parametrize(
    ("born", "why"),
    [
        ("0001-01-01", "before 1900"),
        ("1899-12-31", "before 1900"),
        ("2026-11-28", "future"),
        ("19601002", "not a date"),
        ("1960-W01-1", "not a date"),
    ],
)
def test_a_new_patients_date_of_birth_out_of_range_is_rejected_naming_it(
    store: Store, born: str, why: str
) -> None:
    found, text = only_second_rejected(store, ada(patient=new_patient(date_of_birth=born)))
    assert found == "patient.date_of_birth" and why in text


def test_a_patient_on_file_found_by_chart_number_still_needs_no_date_of_birth(store: Store) -> None:
    run(store, ada())
    (again,) = run(store, ada(patient={"chart_number": "A1001", "date_of_birth": "0001-01-01"})).encounters
    assert again.status == "final"  # recognised: already imported
    assert again.messages[0].rule == "PATIENT_DIFFERS"


# -- the database stops writing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "why"),
    [
        ("database or disk is full", "the disk is full"),
        ("attempt to write a readonly database", "read-only"),
        ("database is locked", "another program"),
        ("disk I/O error", "disk I/O error"),
    ],
)
def test_a_database_that_stops_writing_stops_the_import_and_says_what_was_stored(
    store: Store, monkeypatch: pytest.MonkeyPatch, error: str, why: str
) -> None:
    real = store.save_draft
    calls = []

    def failing_save_draft(record: Any) -> Any:
        calls.append(record)
        if len(calls) == 3:
            raise sqlite3.OperationalError(error)
        return real(record)

    monkeypatch.setattr(store, "save_draft", failing_save_draft)
    before = counts(store)
    day = [
        ada(patient=patient(chart_number=f"C{i}", first_name=f"Bo{i}"), date_of_service=f"2026-11-{10 + i}")
        for i in range(5)
    ]
    report = run(store, *day)

    assert [e.status for e in report.encounters] == ["final", "final", "rejected", "rejected", "rejected"]
    assert report.imported == 2 and report.rejected == 3
    assert counts(store) == (before[0] + 2, before[1] + 2, before[2] + 2)  # nothing of encounter 2
    assert store.patient_by_chart_number("C2") is None
    assert [m.rule for e in report.encounters[2:] for m in e.messages] == ["DATABASE_UNUSABLE"] * 3
    assert report.stopped is not None and why in report.stopped.text
    assert "Stored (2 of 5): 0–1. Not stored (3): 2–4." in report.stopped.text
    assert "Nothing was changed" not in report.stopped.text
    out = report.to_json()
    assert (out["imported"], out["final"], out["draft"]) == (2, 2, 0)
    assert out["messages"][0]["rule"] == "DATABASE_UNUSABLE"
    monkeypatch.undo()  # the disk has room again: the same file adds the three that were missing
    again = run(store, *day)
    assert [m.rule for m in again.encounters[0].messages] == ["ALREADY_IMPORTED"]
    assert again.imported == 5 and counts(store) == (before[0] + 5, before[1] + 5, before[2] + 5)


def test_a_failed_commit_stores_nothing_of_that_encounter(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk-full error inside finalising (the last write of an encounter) rolls back its patient too."""

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "finalize", full)
    before = counts(store)
    report = run(store, ada(patient=patient(chart_number="D1")))
    assert report.encounters[0].status == "rejected" and report.stopped is not None
    assert "Stored (0 of 1): none" in report.stopped.text
    assert counts(store) == before and store.patient_by_chart_number("D1") is None


# -- the limits are the documented ones ----------------------------------------------------------------


def test_docs_name_every_limit_with_its_value() -> None:
    section = DOCS.read_text(encoding="utf-8").split("## Limits", 1)[1].split("\n## ", 1)[0]
    rows = {
        what.replace("`", ""): most
        for what, most in re.findall(r"^\| (.+?) \| (.+?) \|$", section, flags=re.MULTILINE)
    }
    for limit in LIMITS.values():
        assert rows.get(limit.what) == str(limit), f"docs/import.md, Limits: | {limit.what} | {limit} |"
    assert "2015-10-01" in section and "1900-01-01" in section and "365 days" in section


# -- hostile input, generated --------------------------------------------------------------------------

BROKEN = st.sampled_from(["\ud800", "a\udfff", "\ud83d\ude00"[0]])
HOSTILE_TEXT = st.one_of(
    st.text(max_size=6),
    BROKEN,
    st.builds(lambda a, b: a + b, st.text(max_size=3), BROKEN),
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2026-11-20", "2015-09-30", "19501210"]),
    st.integers(95, 120).map(lambda n: "x" * n),
    st.integers(990, 1100).map(lambda n: "y" * n),
)
HOSTILE_NUMBER = st.one_of(
    st.integers(-3, 30),
    st.integers(10**28, 10**31),
    st.floats(allow_nan=True, allow_infinity=True),
)
LEAF = st.one_of(st.none(), st.booleans(), HOSTILE_TEXT, HOSTILE_NUMBER)
VALUE = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
    max_leaves=8,
)
TOP_FIELDS = [
    "date_of_service",
    "place_of_service",
    "em_code",
    "provider_npi",
    "lesions",
    "prior_services",
    "patient",
]
PATIENT_FIELDS = ["chart_number", "first_name", "last_name", "date_of_birth", "sex", "payer", "member_id"]


@st.composite
def hostile_encounters(draw: st.DrawFn) -> dict[str, Any]:
    encounter = ada(patient=patient(chart_number=draw(st.sampled_from(["E1", "E2", "A1001"]))))
    encounter["lesions"] = [dict(LESION) for _ in range(draw(st.integers(0, 2)))]
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "patient", "lesion", "unknown"]))
        if where == "top":
            encounter[draw(st.sampled_from(TOP_FIELDS))] = draw(VALUE)
        elif where == "patient" and isinstance(encounter["patient"], dict):
            encounter["patient"][draw(st.sampled_from(PATIENT_FIELDS))] = draw(VALUE)
        elif where == "lesion" and isinstance(encounter["lesions"], list) and encounter["lesions"]:
            entry = encounter["lesions"][0]
            if isinstance(entry, dict):
                entry[draw(st.sampled_from([*LESION, "diameter_cm", "extra"]))] = draw(VALUE)
        else:
            encounter[draw(HOSTILE_TEXT)] = draw(VALUE)
    if draw(st.integers(0, 9)) == 0:  # deeper than any real file
        encounter["note"] = json.loads("[" * 20 + "]" * 20)
    return encounter


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_encounters(), min_size=1, max_size=3))
def test_hostile_input_never_crashes_and_stores_whole_encounters_or_nothing(
    day: list[dict[str, Any]],
) -> None:
    text = json.dumps({"encounters": day})  # lone surrogates travel as \ud800 escapes, as in the reports
    with open_signed_in(":memory:") as store:
        before, lonely = counts(store), orphans(store)
        last_id = store.conn.execute("SELECT coalesce(max(id), 0) FROM encounters").fetchone()[0]
        try:
            report = import_encounters(store, text, today=TODAY)
        except InputError as refused:  # a whole-file limit: nothing at all is stored
            assert refused.field in ("file", "encounters")
            assert counts(store) == before
            return
        printable(report)
        assert [e.index for e in report.encounters] == list(range(len(day)))
        new_ids = {e.encounter_id for e in report.encounters if e.encounter_id is not None}
        assert counts(store)[1] - before[1] == len({i for i in new_ids if i > last_id})
        assert orphans(store) == lonely  # no patient stored without the encounter that brought it
        for outcome in report.encounters:
            if outcome.status == "rejected":
                assert outcome.encounter_id is None
                assert any(m.severity == "error" for m in outcome.messages)
            else:
                record = store.get_encounter(outcome.encounter_id or 0)
                assert str(record.status) == outcome.status
                assert (record.status == "final") == bool(record.lines)
                for m in record.messages:  # what is stored is text, and bounded
                    m.text.encode("utf-8")
                    assert len(m.text) < 4 * LIMITS["quoted"].most


def test_a_really_full_database_stops_the_import_and_says_what_was_stored(store: Store) -> None:
    """No monkeypatching: SQLite itself refuses to grow the file (as on a full disk) part-way through."""
    before = counts(store)
    day = [
        ada(
            patient=patient(chart_number=f"F{i}", first_name=f"Full{i}" + "x" * 90),
            date_of_service="2026-11-20",
        )
        for i in range(300)
    ]
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 12}")
    report = run(store, *day)
    store.conn.execute("PRAGMA max_page_count = 1073741823")

    stored = [e.index for e in report.encounters if e.status != "rejected"]
    assert report.stopped is not None and "the disk is full" in report.stopped.text
    assert 0 < len(stored) < 300 and stored == list(range(len(stored)))
    assert f"Stored ({len(stored)} of 300)" in report.stopped.text
    assert counts(store) == (before[0] + len(stored), before[1] + len(stored), before[2] + len(stored))
    assert store.integrity_problems() == [] and store.verify_audit().ok
