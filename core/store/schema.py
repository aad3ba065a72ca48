"""The database schema: one ``sqlite_utils.Migrations`` set, applied in order when a file is opened.

Version scheme
--------------
Every schema change is a new migration appended to ``MIGRATIONS`` (never edit or reorder an applied
one). The migrations are recorded by name in sqlite-utils' ``_sqlite_migrations`` table, and each one
also sets ``PRAGMA user_version`` to its position (1, 2, …) inside the same transaction, so the header
of the file says which schema it has. ``SCHEMA_VERSION`` is the number of migrations this code knows.
A file whose ``user_version`` is higher, or that lists a migration name this code does not know, was
written by a newer program: ``check_schema`` refuses it before anything is written.

``PRAGMA application_id`` marks the file as a Superbill Desk database, so a different program's
SQLite file is refused instead of having our tables added to it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DatabaseDamagedError, DatabaseTooNewError

if TYPE_CHECKING:  # sqlite-utils is imported only when a file's schema changes (``build_migrations``)
    from sqlite_utils import Database, Migrations

#: ``PRAGMA application_id`` of every Superbill Desk database ("SBDK")
APPLICATION_ID = 0x5342444B
#: name of our set in sqlite-utils' migrations table
MIGRATION_SET = "superbill"
#: sqlite-utils' table of applied migrations (``MIGRATIONS_TABLE``)
MIGRATIONS_TABLE = "_sqlite_migrations"


def _initial_schema(db: Database) -> None:
    """Version 1: the practice, people, encounters, fees, settings and the audit log."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    statements = [
        """CREATE TABLE practice (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            address1 TEXT NOT NULL DEFAULT '', address2 TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '', zip TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '', tax_id TEXT NOT NULL DEFAULT '',
            group_npi TEXT NOT NULL DEFAULT '', taxonomy TEXT NOT NULL DEFAULT '',
            default_pos TEXT NOT NULL DEFAULT '11',
            default_methods TEXT NOT NULL DEFAULT '{}',
            default_diagnoses TEXT NOT NULL DEFAULT '{}'
        )""",
        """CREATE TABLE providers (
            id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL, last_name TEXT NOT NULL,
            credentials TEXT NOT NULL DEFAULT '',
            npi TEXT NOT NULL UNIQUE,
            taxonomy TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            is_demo INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE payers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            kind TEXT NOT NULL CHECK (kind IN ('medicare', 'medicaid', 'commercial', 'self_pay')),
            payer_id TEXT NOT NULL DEFAULT '',
            coding_payer TEXT NOT NULL,
            use_modifier_51 INTEGER NOT NULL DEFAULT 0,
            distinct_modifier TEXT NOT NULL DEFAULT '59'
        )""",
        """CREATE TABLE patients (
            id INTEGER PRIMARY KEY,
            chart_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
            first_name TEXT NOT NULL, last_name TEXT NOT NULL,
            first_norm TEXT NOT NULL, last_norm TEXT NOT NULL,
            date_of_birth TEXT NOT NULL,
            sex TEXT NOT NULL DEFAULT 'U',
            address1 TEXT NOT NULL DEFAULT '', address2 TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '', zip TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
            payer_id INTEGER REFERENCES payers(id),
            member_id TEXT NOT NULL DEFAULT '', group_number TEXT NOT NULL DEFAULT '',
            subscriber_name TEXT NOT NULL DEFAULT '', relationship TEXT NOT NULL DEFAULT 'self',
            is_demo INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX patients_last_norm ON patients (last_norm, first_norm)",
        "CREATE INDEX patients_first_norm ON patients (first_norm)",
        "CREATE INDEX patients_dob ON patients (date_of_birth)",
        "CREATE INDEX patients_demo ON patients (is_demo) WHERE is_demo = 1",
        """CREATE TABLE encounters (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients(id),
            provider_id INTEGER NOT NULL REFERENCES providers(id),
            date_of_service TEXT NOT NULL,
            place_of_service TEXT NOT NULL,
            em_code TEXT,
            status TEXT NOT NULL CHECK (status IN ('draft', 'final', 'printed', 'void')),
            payer_id INTEGER REFERENCES payers(id),
            diagnoses TEXT NOT NULL DEFAULT '[]',
            coded_at TEXT,
            document_number TEXT UNIQUE,
            paid_cents INTEGER NOT NULL DEFAULT 0,
            void_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX encounters_day ON encounters (date_of_service, id)",
        "CREATE INDEX encounters_patient ON encounters (patient_id, date_of_service)",
        "CREATE INDEX encounters_drafts ON encounters (status) WHERE status = 'draft'",
        """CREATE TABLE lesion_groups (
            id INTEGER PRIMARY KEY,
            encounter_id INTEGER NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL, count INTEGER NOT NULL,
            site TEXT NOT NULL, method TEXT NOT NULL, diagnosis TEXT NOT NULL,
            diameter_cm REAL, area_sq_cm REAL,
            UNIQUE (encounter_id, position)
        )""",
        """CREATE TABLE billed_lines (
            id INTEGER PRIMARY KEY,
            encounter_id INTEGER NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            cpt TEXT NOT NULL, units INTEGER NOT NULL,
            modifiers TEXT NOT NULL DEFAULT '', diagnosis_pointers TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '', why TEXT NOT NULL DEFAULT '',
            lesion_indexes TEXT NOT NULL DEFAULT '',
            unit_fee_cents INTEGER NOT NULL, charge_cents INTEGER NOT NULL,
            UNIQUE (encounter_id, position)
        )""",
        "CREATE INDEX billed_lines_cpt ON billed_lines (cpt)",
        """CREATE TABLE encounter_messages (
            id INTEGER PRIMARY KEY,
            encounter_id INTEGER NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            severity TEXT NOT NULL, rule TEXT NOT NULL, field TEXT, text TEXT NOT NULL,
            UNIQUE (encounter_id, position)
        )""",
        """CREATE TABLE fee_schedule (
            id INTEGER PRIMARY KEY,
            cpt TEXT NOT NULL,
            unit_fee_cents INTEGER NOT NULL CHECK (unit_fee_cents >= 0),
            effective_from TEXT NOT NULL,
            UNIQUE (cpt, effective_from)
        )""",
        """CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        )""",
        """CREATE TABLE meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL, who TEXT NOT NULL,
            entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL,
            before TEXT, after TEXT,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        )""",
        "CREATE INDEX audit_entity ON audit_log (entity, entity_id)",
        # Append-only inside the program; a determined person with a SQLite tool can still drop these,
        # which is what the hash chain (Store.verify_audit) is for.
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        # The ICD-10-CM search index: a copy of core.icd10's code set (``code`` without its dot, upper
        # case, so a typed prefix is an index range), filled lazily by core.store.icd10_search once per
        # release — never on every start.
        """CREATE TABLE icd10_codes (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL,
            billable INTEGER NOT NULL
        )""",
        """CREATE VIRTUAL TABLE icd10_fts USING fts5(
            description, content='icd10_codes', content_rowid='id', tokenize='porter unicode61'
        )""",
    ]
    for statement in statements:
        db.execute(statement)


def _patient_name_words(db: Database) -> None:
    """Version 2: find patients by any word of a compound name ("lopez" finds García López,
    "nunez" finds O'Brien-Núñez). A full-text index over the names, kept up to date by triggers
    written in SQL, so rows written by any tool stay searchable."""
    statements = [
        """CREATE VIRTUAL TABLE patients_fts USING fts5(
            first_name, last_name, content='patients', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
            INSERT INTO patients_fts (rowid, first_name, last_name)
            VALUES (new.id, new.first_name, new.last_name);
        END""",
        """CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, first_name, last_name)
            VALUES ('delete', old.id, old.first_name, old.last_name);
        END""",
        """CREATE TRIGGER patients_fts_update AFTER UPDATE OF first_name, last_name ON patients BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, first_name, last_name)
            VALUES ('delete', old.id, old.first_name, old.last_name);
            INSERT INTO patients_fts (rowid, first_name, last_name)
            VALUES (new.id, new.first_name, new.last_name);
        END""",
        "INSERT INTO patients_fts (patients_fts) VALUES ('rebuild')",
    ]
    for statement in statements:
        db.execute(statement)


def _search_order_indexes(db: Database) -> None:
    """Version 3: the patient-name and date-of-birth indexes end in the search's sort columns (last name,
    first name, date of birth, then the row id every index carries), so a search reads at most its
    limit of rows in order from an index instead of sorting every match."""
    statements = [
        "DROP INDEX patients_last_norm",
        "CREATE INDEX patients_last_norm ON patients (last_norm, first_norm, date_of_birth)",
        "DROP INDEX patients_first_norm",
        "CREATE INDEX patients_first_norm ON patients (first_norm, last_norm, date_of_birth)",
        "DROP INDEX patients_dob",
        "CREATE INDEX patients_dob ON patients (date_of_birth, last_norm, first_norm)",
    ]
    for statement in statements:
        db.execute(statement)


def _open_sessions(db: Database) -> None:
    """Version 4: which programs have the file open (a window, an import…), so a step that must be
    alone (restore) can say which program to close. Not audited: a row lives while its program runs."""
    db.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            program TEXT NOT NULL,
            user TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at TEXT NOT NULL
        )"""
    )


def _record_versions(db: Database) -> None:
    """Version 5: a write counter on the records two programs may edit at once, so a save made from a
    copy that another program changed meanwhile is refused instead of silently undoing that change."""
    for table in ("patients", "encounters", "payers", "providers"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


def _acknowledgements(db: Database) -> None:
    """Version 6: each warning a person looked at before saving an encounter as final — who, when, and
    why it was billed anyway — kept with the final encounter for the biller."""
    db.execute(
        """CREATE TABLE acknowledgements (
            id INTEGER PRIMARY KEY,
            encounter_id INTEGER NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            severity TEXT NOT NULL, rule TEXT NOT NULL, field TEXT, text TEXT NOT NULL,
            who TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            UNIQUE (encounter_id, position)
        )"""
    )


def _claims_details(db: Database) -> None:
    """Version 7: what billers need on the superbill — the payer's claims mailing address, and a
    patient's secondary coverage (payer, member id, group, subscriber, relationship)."""
    statements = [
        *(
            f"ALTER TABLE payers ADD COLUMN {column} TEXT NOT NULL DEFAULT ''"
            for column in ("claims_address1", "claims_address2", "claims_city", "claims_state", "claims_zip")
        ),
        "ALTER TABLE patients ADD COLUMN secondary_payer_id INTEGER REFERENCES payers(id)",
        *(
            f"ALTER TABLE patients ADD COLUMN {column} TEXT NOT NULL DEFAULT ''"
            for column in ("secondary_member_id", "secondary_group_number", "secondary_subscriber_name")
        ),
        "ALTER TABLE patients ADD COLUMN secondary_relationship TEXT NOT NULL DEFAULT 'self'",
    ]
    for statement in statements:
        db.execute(statement)


def _typed_size_and_site(db: Database) -> None:
    """Version 8: each lesion group keeps the size as typed (``8 mm``, ``8 × 6 mm``) beside its value in
    cm, and the site words as typed (``left cheek``) beside the contract site, for the screen and the
    superbill; empty in the rows written before (their size and site print as they always did)."""
    for column in ("typed_size", "typed_site"):
        db.execute(f"ALTER TABLE lesion_groups ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


def _decision_for_surgery(db: Database) -> None:
    """Version 9: whether the visit's E/M is where the decision for a 90-day-global procedure of the day
    was made (the E/M then takes 57, not 25); 0 for the encounters written before."""
    db.execute("ALTER TABLE encounters ADD COLUMN decision_for_surgery INTEGER NOT NULL DEFAULT 0")


def _coverage_at_finalisation(db: Database) -> None:
    """Version 10: a final encounter keeps the patient's insurance as it stood when it was saved as final
    (``coverage``, JSON: the first and second plan's payer, member id, group, subscriber, relationship),
    so a later edit of the patient never changes a billed superbill, and the version of the content
    hash its superbill prints (``hash_version``). Both empty (NULL) for the encounters written before:
    their superbills read the patient record and keep hash version 1, as they always did."""
    db.execute("ALTER TABLE encounters ADD COLUMN coverage TEXT")
    db.execute("ALTER TABLE encounters ADD COLUMN hash_version INTEGER")


def _accounts(db: Database) -> None:
    """Version 11: the people who sign in — user name, full name, role, Argon2id password hash, whether
    the account is active, and the wrong passwords typed in a row (which slow the next tries)."""
    db.execute(
        """CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            full_name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL,
            failed_tries INTEGER NOT NULL DEFAULT 0,
            last_failed_at TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )"""
    )


#: the schema history, oldest first; append new steps, never edit or reorder applied ones
_STEPS: tuple[Callable[[Database], None], ...] = (
    _initial_schema,
    _patient_name_words,
    _search_order_indexes,
    _open_sessions,
    _record_versions,
    _acknowledgements,
    _claims_details,
    _typed_size_and_site,
    _decision_for_surgery,
    _coverage_at_finalisation,
    _accounts,
)

#: the schema version this code writes (``PRAGMA user_version`` after every migration)
SCHEMA_VERSION = len(_STEPS)


def _migration_name(version: int, step: Callable[[Database], None]) -> str:
    return f"{version:04d}_{step.__name__.lstrip('_')}"


def _versioned(step: Callable[[Database], None], version: int) -> Callable[[Database], None]:
    """Wrap a step so it also records its version in the file header, in the same transaction."""

    def apply(db: Database) -> None:
        step(db)
        db.execute(f"PRAGMA user_version = {version}")

    apply.__name__ = _migration_name(version, step)
    return apply


def build_migrations() -> Migrations:
    """The migration set for this version of the program."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for version, step in enumerate(_STEPS, start=1):
        migrations(name=_migration_name(version, step))(_versioned(step, version))
    return migrations


def known_migrations() -> frozenset[str]:
    """The names of every migration this code knows."""
    return frozenset(_migration_name(version, step) for version, step in enumerate(_STEPS, start=1))


KNOWN_MIGRATIONS: frozenset[str] = known_migrations()


def _has_tables(conn: sqlite3.Connection) -> bool:
    """Any table besides sqlite-utils' migration record (which an interrupted first start may leave)."""
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name != ?",
        [MIGRATIONS_TABLE],
    ).fetchone()
    return bool(row[0])


def _applied(conn: sqlite3.Connection) -> set[str]:
    """The names of our migrations recorded in the file."""
    has_migrations = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        [MIGRATIONS_TABLE],
    ).fetchone()[0]
    if not has_migrations:
        return set()
    return {
        str(row[0])
        for row in conn.execute(
            f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ?", [MIGRATION_SET]
        )
    }


def up_to_date(conn: sqlite3.Connection) -> bool:
    """True when the file has every migration this code knows (reading only): then opening needs no
    migration, and sqlite-utils is not even imported."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return bool(version == len(_STEPS) and _applied(conn) >= known_migrations())


def check_schema(conn: sqlite3.Connection, path: Path | str) -> bool:
    """Check, by reading only, that ``conn`` is a Superbill Desk database this code can open.

    Returns True when the file is empty (a brand-new database), False when it is one of ours.

    Raises:
        DatabaseDamagedError: the file is another program's database.
        DatabaseTooNewError: the file was written by a newer version of Superbill Desk.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == 0 and user_version == 0 and not _has_tables(conn):
        return True
    if app_id != APPLICATION_ID:
        raise DatabaseDamagedError(
            f"The file {path} is a database of another program, not of Superbill Desk. "
            "It has not been changed. Choose the Superbill Desk database file (superbill.db)."
        )
    unknown = _applied(conn) - known_migrations()
    newest = len(_STEPS)
    if user_version > newest or unknown:
        raise DatabaseTooNewError(
            f"The file {path} was saved by a newer version of Superbill Desk (database version "
            f"{max(user_version, newest + 1)}; this program knows up to {newest}). "
            "It has not been changed. Install the newer version of the program to open it."
        )
    return False
