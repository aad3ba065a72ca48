"""The schema version scheme: a later program adds a migration; older files are upgraded in place with
their data, and the older program then refuses the upgraded file untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from core.errors import DatabaseTooNewError
from core.store import SCHEMA_VERSION, schema
from core.store.schema import KNOWN_MIGRATIONS
from tests.signing_in import old_program, open_signed_in


def _add_referral_column(db: Database) -> None:
    db.execute("ALTER TABLE encounters ADD COLUMN referral TEXT NOT NULL DEFAULT ''")


def _old_patients(conn: object, last_name: str, count: int) -> None:
    """Patients as an older program wrote them (this program's verbs write today's columns)."""
    for n in range(count):
        conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO patients (chart_number, first_name, last_name, first_norm, last_norm, "
            "date_of_birth) VALUES (?, ?, ?, ?, ?, ?)",
            [f"OLD{n}", f"Pat{n}", last_name, f"pat{n}", last_name.lower(), f"19{50 + n}-01-01"],
        )


def test_a_file_from_before_record_versions_gets_version_1_and_saves(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    monkeypatch.setattr(schema, "_STEPS", schema._STEPS[:4])
    with old_program(db_path, seed_demo=False) as store:
        _old_patients(store.conn, "Older", 2)
    monkeypatch.undo()
    with open_signed_in(db_path, seed_demo=False) as store:
        patient = store.search_patients("Older")[0]
        assert patient.version == 1
        saved = store.save_patient(replace(patient, phone="212-555-0100"))
        assert saved.version == 2 and store.get_patient(saved.id or 0).version == 2


def test_upgrade_then_old_program_refuses(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_signed_in(db_path) as store:
        patients = store.search_patients("demo")
        audit_rows = store.verify_audit().rows
    one_step = schema._STEPS

    monkeypatch.setattr(schema, "_STEPS", (*one_step, _add_referral_column))
    with open_signed_in(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(encounters)")]
        assert "referral" in columns
        assert store.search_patients("demo") == patients
        assert store.verify_audit().rows == audit_rows + 1  # this sign-in's row
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert applied == [*sorted(KNOWN_MIGRATIONS), f"{SCHEMA_VERSION + 1:04d}_add_referral_column"]

    monkeypatch.setattr(schema, "_STEPS", one_step)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    too_new = f"database version {SCHEMA_VERSION + 1}; this program knows up to {SCHEMA_VERSION}"
    with pytest.raises(DatabaseTooNewError, match=too_new):
        open_signed_in(db_path)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_a_failing_migration_leaves_the_previous_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_signed_in(db_path):
        pass

    def broken(db: Database) -> None:
        db.execute("ALTER TABLE encounters ADD COLUMN half_done TEXT")
        raise RuntimeError("disk pulled out mid-migration")

    monkeypatch.setattr(schema, "_STEPS", (*schema._STEPS, broken))
    with pytest.raises(RuntimeError):
        open_signed_in(db_path)
    monkeypatch.undo()
    with open_signed_in(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(encounters)")]
        assert "half_done" not in columns


def test_version_2_file_gets_the_search_order_indexes(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file from before schema 3 keeps its patients and finds them through the rebuilt indexes."""
    monkeypatch.setattr(schema, "_STEPS", schema._STEPS[:2])
    with old_program(db_path, seed_demo=False) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 2
        _old_patients(store.conn, "Sample", 5)
        before = store.search_patients("sample")
    monkeypatch.undo()
    with open_signed_in(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        columns = [r[2] for r in store.conn.execute("PRAGMA index_info(patients_last_norm)")]
        assert columns == ["last_norm", "first_norm", "date_of_birth"]
        assert before and store.search_patients("sample") == before


def test_version_6_lesions_get_empty_typed_words_and_still_match_the_log(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lesion groups written before schema 7 read back with no typed size or site words, print as they
    always did, and the data check still finds them equal to what the audit log recorded."""
    from dataclasses import replace
    from datetime import date

    from core.coding.model import LesionGroup, LesionKind
    from core.quick_entry import site_text, size_text
    from core.store import EncounterRecord, rows

    bcc = LesionGroup(LesionKind.MALIGNANT, 1, "nose", "laser", "C44.311", diameter_cm=0.8)
    old_row = rows.lesion_row

    def row_of_version_6(encounter_id: int, position: int, group: LesionGroup) -> dict[str, object]:
        row = old_row(encounter_id, position, group)
        return {k: v for k, v in row.items() if k not in ("typed_size", "typed_site")}

    def from_version_6(row: sqlite3.Row) -> LesionGroup:
        names = [k for k in row.keys() if k not in ("id", "encounter_id", "position")]  # noqa: SIM118
        return LesionGroup(**{k: row[k] for k in names})

    from core.store.verbs.encounters import EncounterVerbs

    old_draft_row = EncounterVerbs._draft_row

    def draft_row_of_version_6(encounter: EncounterRecord, now: object) -> dict[str, object]:
        row = old_draft_row(encounter, now)  # type: ignore[arg-type]
        return {k: v for k, v in row.items() if k != "decision_for_surgery"}  # schema 9

    monkeypatch.setattr(schema, "_STEPS", schema._STEPS[:7])
    monkeypatch.setattr(EncounterVerbs, "_draft_row", staticmethod(draft_row_of_version_6))
    monkeypatch.setattr(rows, "lesion_row", row_of_version_6)
    monkeypatch.setattr(rows, "lesion_from", from_version_6)
    with old_program(db_path) as store:
        provider = store.providers()[0]
        patient = store.search_patients("demo")[0]
        assert patient.id is not None and provider.id is not None
        draft = store.save_draft(EncounterRecord(patient.id, provider.id, date(2026, 11, 27), lesions=(bcc,)))
        assert draft.id is not None
    monkeypatch.undo()
    with open_signed_in(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        lesions = store.get_encounter(draft.id).lesions
        assert lesions == (replace(bcc, kind=LesionKind.MALIGNANT),)
        assert (size_text(lesions[0]), site_text(lesions[0])) == ("0.8 cm", "nose")
        assert store.verify_data().ok
        typed = replace(bcc, typed_size="8 mm", typed_site="left nose")
        saved = store.save_draft(replace(store.get_encounter(draft.id), lesions=(typed,)))
        assert store.get_encounter(saved.id or 0).lesions == (typed,)
        assert store.verify_data().ok
        store.conn.execute("UPDATE lesion_groups SET typed_site = 'right nose'")
        check = store.verify_data()
        assert not check.ok and "typed site" in " ".join(check.problems)


def test_version_8_encounters_are_not_marked_as_a_decision_for_surgery(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Encounters written before schema 9 read back unmarked (25, as they were coded), and the data
    check still finds them equal to what the audit log recorded; the mark is then kept and checked."""
    from dataclasses import replace
    from datetime import date

    from core.store import EncounterRecord
    from core.store.verbs.encounters import EncounterVerbs

    old_row = EncounterVerbs._draft_row

    def row_of_version_8(encounter: EncounterRecord, now: object) -> dict[str, object]:
        row = old_row(encounter, now)  # type: ignore[arg-type]
        return {k: v for k, v in row.items() if k != "decision_for_surgery"}

    monkeypatch.setattr(schema, "_STEPS", schema._STEPS[:8])
    monkeypatch.setattr(EncounterVerbs, "_draft_row", staticmethod(row_of_version_8))
    with old_program(db_path) as store:
        provider = store.providers()[0]
        patient = store.search_patients("demo")[0]
        assert patient.id is not None and provider.id is not None
        draft = store.save_draft(
            EncounterRecord(patient.id, provider.id, date(2026, 11, 27), em_code="99213")
        )
        assert draft.id is not None
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(encounters)")]
        assert "decision_for_surgery" not in columns
    monkeypatch.undo()
    with open_signed_in(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 9
        assert store.get_encounter(draft.id).decision_for_surgery is False
        assert store.verify_data().ok
        marked = store.save_draft(replace(store.get_encounter(draft.id), decision_for_surgery=True))
        assert marked.version == 2
        assert store.get_encounter(draft.id).decision_for_surgery is True
        assert store.verify_data().ok
        store.conn.execute("UPDATE encounters SET decision_for_surgery = 0")
        check = store.verify_data()
        assert not check.ok and "decision for surgery" in " ".join(check.problems)


def test_version_9_superbills_keep_their_hash_and_read_the_patient_record(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An encounter finalised before schema 10 has no frozen coverage and no hash version: after the
    upgrade its superbill prints the same content hash as before (version 1), and the data check still
    finds it equal to the log. Encounters finalised afterwards freeze their coverage and use version 2."""
    from dataclasses import replace

    from core.store.verbs.encounters import EncounterVerbs
    from core.superbill.build import superbill_for
    from tests.core.superbill.samples import finalised

    old_update = EncounterVerbs._update

    def update_of_version_9(self: EncounterVerbs, table: str, key: object, values: dict[str, object]) -> None:
        kept = {k: v for k, v in values.items() if k not in ("coverage", "hash_version")}
        old_update(self, table, key, kept)  # type: ignore[arg-type]

    monkeypatch.setattr(schema, "_STEPS", schema._STEPS[:9])
    monkeypatch.setattr(EncounterVerbs, "_update", update_of_version_9)
    with old_program(db_path) as store:
        old = finalised(store)
        assert old.id is not None and old.hash_version is None and old.coverage is None
        printed = superbill_for(store, old.id)
        assert printed.hash_version == 1
    monkeypatch.undo()
    with open_signed_in(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 10
        again = superbill_for(store, old.id)
        assert again.hash_version == 1 and again.content_hash == printed.content_hash
        assert store.verify_data().ok
        new = finalised(store, "DEMO-2")
        assert new.id is not None and new.hash_version == 2 and new.coverage is not None
        assert superbill_for(store, new.id).hash_version == 2
        patient = store.patient_by_chart_number("DEMO-1")
        assert patient is not None
        store.save_patient(replace(patient, group_number="G-LATER"))
        old_one = superbill_for(store, old.id)  # nothing was frozen then: the record is read, as before
        assert old_one.insurance is not None and old_one.insurance.group_number == "G-LATER"
        assert store.verify_data().ok
