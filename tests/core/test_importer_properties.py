"""Properties of the importer over generated input: never a crash, never a half-stored encounter.

Whatever an exporting system writes inside an encounter — wrong types, unknown words, missing fields —
the import must finish with every encounter either stored (final or draft) or rejected with a message
naming a field, and importing the same file again must add nothing. An encounter is rejected only when
its patient cannot be told or created or its date of service is not a real date: anything else wrong
makes a draft.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.importer import import_encounters
from tests.signing_in import open_signed_in

from .test_importer import TODAY, ada

#: numbers of more than 30 digits refuse the whole file (``test_importer_limits``), so junk stays below
NUMBERS = st.integers(-(10**20), 10**20)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2000),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-5, max_value=50),
    st.text(max_size=8),
    st.lists(NUMBERS, max_size=2),
    st.dictionaries(st.text(max_size=3), NUMBERS, max_size=2),
)
WORDS = {
    "kind": ["premalignant", "benign", "skin_tag", "vascular", "malignant", "wart"],
    "site": ["face", "trunk", "nose", "eyelid", "elbow"],
    "method": ["cryosurgery", "laser", "electrosurgery", "glue"],
    "diagnosis": ["L57.0", "L57", "L82.1", "L91.8", "C44.311", "I78.1", "Z99.99"],
}


@st.composite
def lesions(draw: st.DrawFn) -> dict[str, Any]:
    lesion: dict[str, Any] = {key: draw(st.sampled_from(values) | JUNK) for key, values in WORDS.items()}
    lesion["count"] = draw(st.integers(0, 30) | JUNK)
    for key in ("diameter_cm", "area_sq_cm"):
        if draw(st.booleans()):
            lesion[key] = draw(st.floats(0.1, 20) | JUNK)
    for key in list(lesion):
        if draw(st.integers(0, 9)) == 0:
            del lesion[key]
    return lesion


@st.composite
def encounters(draw: st.DrawFn) -> dict[str, Any]:
    encounter = ada()
    encounter["lesions"] = draw(st.lists(lesions(), max_size=3))
    encounter["date_of_service"] = draw(st.sampled_from(["2026-11-20", "2026-12-31", "2026-02-30"]) | JUNK)
    encounter["place_of_service"] = draw(st.sampled_from(["11", "22", "98", "1"]) | JUNK)
    encounter["em_code"] = draw(st.sampled_from([None, "99213", "99999"]) | JUNK)
    encounter["provider_npi"] = draw(st.sampled_from([None, "1234567893", "1234567890"]) | JUNK)
    patient = dict(encounter["patient"])
    patient["chart_number"] = draw(st.sampled_from(["A1001", "A1002", ""]) | JUNK)
    patient["date_of_birth"] = draw(st.sampled_from(["1950-12-10", "1950-13-10"]) | JUNK)
    patient["payer"] = draw(st.sampled_from(["medicare", "aetna", "acme", None]) | JUNK)
    encounter["patient"] = (
        draw(st.sampled_from([patient, None]) | JUNK) if draw(st.integers(0, 5)) == 0 else patient
    )
    return encounter


def storable(encounter: dict[str, Any]) -> bool:
    """True when the encounter names a patient the import can create and a real date of service."""
    patient = encounter["patient"]
    return (
        isinstance(patient, dict)
        and (patient.get("first_name"), patient.get("last_name")) == ("Ada", "Lovelace")
        and patient.get("date_of_birth") == "1950-12-10"
        and (
            patient.get("chart_number") in ("A1001", "A1002", "")
            or not isinstance(patient["chart_number"], str)
        )
        and encounter["date_of_service"] in ("2026-11-20", "2026-12-31")
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(encounters(), min_size=1, max_size=4))
def test_every_encounter_is_stored_or_rejected_and_a_second_import_adds_nothing(
    day: list[dict[str, Any]],
) -> None:
    text = json.dumps({"encounters": day})
    with open_signed_in(":memory:") as store:
        before = store.conn.execute("SELECT count(*) FROM encounters").fetchone()[0]
        report = import_encounters(store, text, today=TODAY)

        assert [e.index for e in report.encounters] == list(range(len(day)))
        assert report.imported == report.final + report.draft
        stored = store.conn.execute("SELECT count(*) FROM encounters").fetchone()[0] - before
        new_ids = {e.encounter_id for e in report.encounters if e.encounter_id is not None}
        assert stored == len(new_ids)
        for outcome, encounter in zip(report.encounters, day, strict=True):
            if storable(encounter):
                assert outcome.status != "rejected", outcome.messages
            if outcome.status == "rejected":
                assert outcome.encounter_id is None
                assert any(m.severity == "error" for m in outcome.messages)
            else:
                record = store.get_encounter(outcome.encounter_id or 0)
                assert str(record.status) == outcome.status
                assert (record.status == "final") == bool(record.lines)
        json.dumps(report.to_json())  # the output is always plain JSON

        again = import_encounters(store, text, today=TODAY)
        # every encounter stored the first time is recognised, never added twice; one rejected only
        # because its new patient lacked details may now go in under the patient a later encounter
        # of the same file created (matched by chart number)
        for first, second in zip(report.encounters, again.encounters, strict=True):
            if first.status != "rejected":
                assert second.status == first.status
                assert second.encounter_id == first.encounter_id
        newly = [
            s for f, s in zip(report.encounters, again.encounters, strict=True) if f.status == "rejected"
        ]
        added = store.conn.execute("SELECT count(*) FROM encounters").fetchone()[0] - before - stored
        assert added == sum(1 for e in newly if e.status != "rejected")
