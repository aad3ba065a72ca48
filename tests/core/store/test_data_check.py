"""The data check: the audit log covers the data. A file written only by the program verifies clean; a
row changed, deleted or added with another tool is named by ``Store.verify_data`` and `superbill verify`."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pytest

import main
from core import visit
from core.coding.model import LesionGroup, LesionKind
from core.store import EncounterRecord, Patient, Provider, Store, rows
from core.store.audit import canonical_json
from core.store.data_check import verify_data
from tests.core.store.conftest import DOS, FakeClock
from tests.signing_in import open_signed_in

AK = LesionGroup(LesionKind.PREMALIGNANT, 3, "face", "cryosurgery", "L57.0")
SK = LesionGroup(LesionKind.BENIGN, 2, "trunk", "cryosurgery", "L82.1")


def _finalize(store: Store, draft: EncounterRecord) -> EncounterRecord:
    assert draft.id is not None
    return visit.finalize_unattended(store, draft, "looked at in the test")


def _draft(store: Store, patient_id: int, *lesions: LesionGroup, day: date = DOS) -> EncounterRecord:
    provider = store.default_provider()
    assert provider.id is not None
    return store.save_draft(EncounterRecord(patient_id, provider.id, day, "11", lesions=lesions))


def _history(store: Store, clock: FakeClock) -> dict[str, int]:
    """A few days at the front desk, through the verbs only; returns the ids the tamper cases use."""
    medicare = next(p for p in store.payers() if p.coding_payer == "medicare")
    ada = store.save_patient(
        Patient("Ada", "Lovelace", date(1950, 12, 10), payer_id=medicare.id, member_id="M1")
    )
    assert ada.id is not None
    clock.advance(minutes=1)
    ada = store.save_patient(replace(ada, city="London", phone="(217) 555-0199"))
    store.save_provider(Provider("Grace", "Hopper", "1245319599", credentials="MD"))
    store.save_payer(replace(medicare, payer_id="MCR01"))
    store.update_practice(replace(store.practice(), phone="(217) 555-0142"))
    store.set_fee("17000", 16000, date(2026, 6, 1))
    store.set_fee("17000", 16500, date(2026, 6, 1))  # replaces the fee of that same day: an update
    store.set_setting("backup_days_to_keep", 30)
    store.set_setting("backup_days_to_keep", 21)
    store.set_setting("superbill_footer", "Payment is due at the visit.")

    # a visit typed lesion by lesion (a draft saved on every edit), finalised, printed, paid, voided,
    # reopened, corrected and finalised again
    visit = _draft(store, ada.id, AK)
    for count in (4, 5, 6, 5):
        clock.advance(seconds=20)
        visit = store.save_draft(replace(visit, lesions=(replace(AK, count=count),)))
    visit = store.save_draft(replace(visit, lesions=(*visit.lesions, SK)))
    store.save_draft(visit)  # unchanged: writes nothing
    clock.advance(minutes=2)
    visit = _finalize(store, visit)
    assert visit.id is not None
    store.mark_printed([visit.id])
    store.record_payment(visit.id, 5000)
    store.void_encounter(visit.id, "entered twice")
    visit = store.reopen(visit.id)
    visit = store.save_draft(replace(visit, em_code="99213"))
    visit = _finalize(store, visit)
    store.mark_printed([visit.id])
    store.record_payment(visit.id, 2500)
    assert len(visit.lines) >= 2

    # demo patients' visits, then the demo data's removal; the next visit reuses a removed visit's id
    demo = store.patient_by_chart_number("DEMO-2")
    assert demo is not None and demo.id is not None
    for lesions in ((AK,), (SK,)):
        _finalize(store, _draft(store, demo.id, *lesions))
    _draft(store, demo.id, AK)
    store.remove_demo_data()
    second = _finalize(store, _draft(store, ada.id, SK, day=date(2026, 11, 20)))
    assert second.id is not None and second.id <= visit.id + 3  # an id the demo visits had
    store.void_encounter(second.id, "wrong day")
    draft = _draft(store, ada.id, AK, day=date(2026, 11, 26))
    assert draft.id is not None
    return {"patient": ada.id, "visit": visit.id, "voided": second.id, "draft": draft.id}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("data-check") / "built.db"
    clock = FakeClock()
    with open_signed_in(path, clock=clock, user="tester") as store:
        ids = _history(store, clock)
    return path, ids


@pytest.fixture
def file(built: tuple[Path, dict[str, int]], tmp_path: Path) -> Path:
    copy = tmp_path / "superbill.db"
    shutil.copyfile(built[0], copy)
    return copy


def _change(path: Path, *statements: str) -> None:
    """Edit the file with plain SQLite, as another tool would (foreign keys off, no audit row)."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_file_written_by_the_program_verifies_clean(file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_signed_in(file) as store:
        check = store.verify_data()
        assert store.verify_audit().ok
    assert check.ok and check.problem_count == 0 and check.problems == ()
    assert check.records > 40  # practice, providers, payers, patients, encounters, fees, settings
    assert check.text == f"{check.records} records match the audit log"
    assert main.main(["--db", str(file), "verify"]) == 0
    out = capsys.readouterr().out.splitlines()
    audit_line = next(i for i, line in enumerate(out) if line.startswith("Audit log: ok"))
    assert out[audit_line + 1] == f"Data: ok — {check.records} records match the audit log."
    assert out[-1] == "Everything checked is in order."


def test_the_check_reads_only(file: Path) -> None:
    before = file.read_bytes()
    conn = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        assert verify_data(conn).ok
    finally:
        conn.close()
    assert file.read_bytes() == before


#: (what was edited, the SQL, words the report must contain); ``{visit}`` etc. are the history's ids
TAMPERING = {
    "charge": (
        [
            "UPDATE billed_lines SET charge_cents = charge_cents + 2000 "
            "WHERE encounter_id = {visit} AND position = 0"
        ],
        "charge of line 1 is $",
    ),
    "payment": (
        ["UPDATE encounters SET paid_cents = 0 WHERE id = {visit}"],
        "amount paid is $0.00 in the file but $25.00",
    ),
    "void status": (
        ["UPDATE encounters SET status = 'printed', void_reason = '' WHERE id = {voided}"],
        "status is “printed” in the file but “void” in the log",
    ),
    "patient name": (
        ["UPDATE patients SET last_name = 'Byron' WHERE id = {patient}"],
        "last name is “Byron” in the file but “Lovelace” in the log",
    ),
    "fee": (
        [
            "UPDATE fee_schedule SET unit_fee_cents = 9900 "
            "WHERE cpt = '17000' AND effective_from = '2026-06-01'"
        ],
        "The fee for 17000 from 2026-06-01: fee is $99.00 in the file but $165.00 in the log",
    ),
    "deleted encounter": (
        [
            "DELETE FROM billed_lines WHERE encounter_id = {visit}",
            "DELETE FROM lesion_groups WHERE encounter_id = {visit}",
            "DELETE FROM encounter_messages WHERE encounter_id = {visit}",
            "DELETE FROM encounters WHERE id = {visit}",
        ],
        "Encounter {visit} (SB-000001) is in the audit log but not in the file: deleted outside the program",
    ),
    "deleted billed line": (
        ["DELETE FROM billed_lines WHERE encounter_id = {visit} AND position = 1"],
        "Encounter {visit} (SB-000001): line 2 (17000) of the log is not in the file",
    ),
    "inserted patient": (
        [
            "INSERT INTO patients "
            "(chart_number, first_name, last_name, first_norm, last_norm, date_of_birth) "
            "VALUES ('7777', 'Eve', 'Mallory', 'eve', 'mallory', '1970-01-01')"
        ],
        "(chart 7777) is in the file, but the audit log never created it: added outside the program",
    ),
    "lesion count": (
        ["UPDATE lesion_groups SET count = count + 10 WHERE encounter_id = {draft}"],
        "count of lesion group 1 is 13 in the file but 3 in the log",
    ),
    "setting": (
        ["UPDATE settings SET value = '90' WHERE name = 'backup_days_to_keep'"],
        "The setting backup_days_to_keep: value is 90 in the file but 21 in the log",
    ),
    "deleted setting": (
        ["DELETE FROM settings WHERE name = 'superbill_footer'"],
        "The setting superbill_footer is in the audit log but not in the file",
    ),
    "document number": (
        ["UPDATE encounters SET document_number = 'SB-000099' WHERE id = {visit}"],
        "document number is “SB-000099” in the file but “SB-000001” in the log",
    ),
    "document counter": (
        ["UPDATE counters SET value = value + 5 WHERE name = 'document_number'"],
        "document-number counter",
    ),
    "practice": (["UPDATE practice SET tax_id = '99-9999999'"], "The practice: tax ID is “99-9999999”"),
    "provider": (
        ["UPDATE providers SET active = 0 WHERE last_name = 'Hopper'"],
        "active is no in the file but yes",
    ),
    "payer": (
        ["UPDATE payers SET use_modifier_51 = 1 - use_modifier_51 WHERE payer_id = 'MCR01'"],
        "modifier 51",
    ),
    "line without its encounter": (
        [
            "INSERT INTO billed_lines (encounter_id, position, cpt, units, unit_fee_cents, charge_cents) "
            "VALUES (9999, 0, '17000', 1, 100, 100)"
        ],
        "A billed line of encounter 9999 is in the file, but encounter 9999 is not",
    ),
    "search names": (["UPDATE patients SET last_norm = 'hidden' WHERE id = {patient}"], "search names"),
}


@pytest.mark.parametrize("what", sorted(TAMPERING))
def test_a_direct_edit_is_found(
    what: str, file: Path, built: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    statements, words = TAMPERING[what]
    ids = built[1]
    _change(file, *(s.format(**ids) for s in statements))
    words = words.format(**ids)

    with open_signed_in(file) as store:
        assert store.verify_audit().ok  # the log itself is intact: only the data check can see this
        check = store.verify_data()
    assert not check.ok and check.problem_count >= 1
    assert any(words in problem for problem in check.problems), check.problems

    assert main.main(["--db", str(file), "verify"]) == 2
    out = capsys.readouterr().out
    assert "Audit log: ok" in out and "Data: PROBLEM — " in out
    assert words in out
    assert out.rstrip().endswith("Problems were found (see above).")


def test_the_report_is_bounded(file: Path) -> None:
    _change(file, "UPDATE payers SET payer_id = 'X'", "UPDATE fee_schedule SET unit_fee_cents = 1")
    conn = sqlite3.connect(file)
    try:
        changed = conn.execute("SELECT (SELECT count(*) FROM payers) + (SELECT count(*) FROM fee_schedule)")
        expected = changed.fetchone()[0]
        check = verify_data(conn, shown=5)
    finally:
        conn.close()
    assert check.problem_count == expected > 5
    assert len(check.problems) == 6 and check.problems[-1] == f"… and {expected - 5} more"


def test_records_are_spelled_for_the_log_as_asdict_spells_them(file: Path) -> None:
    """``rows.as_json_value`` skips ``asdict``'s deep copy; the JSON the log holds must not change."""
    with open_signed_in(file) as store:
        records: list[object] = [store.practice(), *store.providers(include_inactive=True), *store.payers()]
        records += store.encounters_between(date(2026, 1, 1), date(2026, 12, 31))
        records += [store.get_patient(r["id"]) for r in store._query("SELECT id FROM patients")]
    assert len(records) > 10
    for record in records:
        spelled = asdict(record)  # type: ignore[call-overload]
        for lesion in spelled.get("lesions", ()):  # fields of schema 7, left out while empty
            for name in ("typed_size", "typed_site"):
                if not lesion[name]:
                    del lesion[name]
        assert canonical_json(rows.as_json_value(record)) == canonical_json(spelled)
