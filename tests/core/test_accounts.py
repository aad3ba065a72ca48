"""Accounts and roles (issue 11): each role allowed and refused in core, signing in, the slowed tries,
the audit log naming the signed-in person and recording views and prints."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from core import passwords
from core.accounts import Action, Role, allowed
from core.coding.model import LesionGroup, LesionKind
from core.errors import InputError, NotAllowedError, SignInError
from core.packaged import read_text
from core.store import Store, open_store
from core.store.records import EncounterRecord, Patient
from core.store.verbs.accounts import FREE_TRIES, wait_before_next_try
from core.store.verbs.base import OPEN_TO_ALL
from tests.signing_in import PASSWORD, USER, sign_in


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    with open_store(tmp_path / "practice.db", clock=clock) as opened:
        sign_in(opened)
        yield opened


def _patient(store: Store) -> Patient:
    return store.search_patients("Sample")[0]


def _draft(store: Store) -> EncounterRecord:
    patient = _patient(store)
    assert patient.id is not None
    provider = store.providers()[0]
    assert provider.id is not None
    lesion = LesionGroup(LesionKind.PREMALIGNANT, 2, "face", "cryosurgery", "L57.0")
    return store.save_draft(EncounterRecord(patient.id, provider.id, date(2026, 11, 27), lesions=(lesion,)))


# one representative step per action, run as the signed-in person
STEPS: dict[Action, Callable[[Store], object]] = {
    Action.READ_PRACTICE: lambda s: s.practice(),
    Action.VIEW_PATIENTS: lambda s: s.search_patients("Sample"),
    Action.EDIT_PATIENTS: lambda s: s.save_patient(replace(_patient(s), phone="(217) 555-0101")),
    Action.RECORD_VISITS: _draft,
    Action.PRINT: lambda s: s.record_print([], "nothing"),
    Action.FINALIZE: lambda s: s.finalize(0, None),  # type: ignore[arg-type]
    Action.VOID: lambda s: s.void_encounter(0, "entered twice"),
    Action.REOPEN: lambda s: s.reopen(0),
    Action.PAYMENTS: lambda s: s.record_payment(0, 100),
    Action.FEES: lambda s: s.set_fee("17000", 9900, date(2026, 1, 1)),
    Action.PRACTICE_SETTINGS: lambda s: s.set_setting("lock_after_minutes", 7),
    Action.MANAGE_USERS: lambda s: s.accounts(),
    Action.VERIFY: lambda s: s.verify_audit(),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(STEPS))
def test_each_role_is_allowed_exactly_what_the_roles_table_says(
    store: Store, role: Role, action: Action
) -> None:
    sign_in(store, role, name=f"someone-{role.value}")
    step = STEPS[action]
    if action in allowed(role):
        try:
            step(store)
        except NotAllowedError as refused:  # pragma: no cover - the failure this test looks for
            pytest.fail(f"{role} was refused {action}: {refused.text}")
        except Exception:
            pass  # allowed: what happens next (an encounter 0 not found…) is not this test's business
    else:
        with pytest.raises(NotAllowedError) as refused:
            step(store)
        assert role.label.lower() in refused.value.text


def test_the_split_of_the_issue_holds() -> None:
    """Front desk: patients, visits, printing; biller: also final, void, reopen, payments, fees;
    administrator: also people, practice settings, restore."""
    desk, biller, admin = allowed(Role.FRONT_DESK), allowed(Role.BILLER), allowed(Role.ADMINISTRATOR)
    assert {Action.VIEW_PATIENTS, Action.EDIT_PATIENTS, Action.RECORD_VISITS, Action.PRINT} <= desk
    assert not desk & {Action.FINALIZE, Action.VOID, Action.REOPEN, Action.PAYMENTS, Action.FEES}
    assert desk < biller < admin
    assert {Action.FINALIZE, Action.VOID, Action.REOPEN, Action.PAYMENTS, Action.FEES} <= biller
    assert not biller & {Action.MANAGE_USERS, Action.PRACTICE_SETTINGS, Action.RESTORE}
    assert admin == frozenset(Action)


def test_the_roles_table_names_only_known_actions_and_every_action_is_used() -> None:
    raw = json.loads(read_text("resources.security", "roles.json"))
    assert set(raw["actions"]) == {a.value for a in Action}
    used = {a for role in raw["roles"].values() for a in role["may"]}
    assert used == {a.value for a in Action}


def test_every_verb_of_the_store_names_its_action() -> None:
    """By construction: a new verb without ``@requires`` (or a place on the short open list) fails."""
    missing = []
    for name, member in inspect.getmembers(Store):
        if name.startswith("_") or name in OPEN_TO_ALL:
            continue
        if callable(member) and not isinstance(getattr(member, "required_action", None), Action):
            missing.append(name)
    assert missing == []


def test_nobody_signed_in_can_do_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "practice.db") as store:
        for step in STEPS.values():
            with pytest.raises(NotAllowedError, match="Sign in first"):
                step(store)


def test_a_wrong_password_never_signs_in(store: Store) -> None:
    store.sign_out()
    for name, password in [(USER, "wrong password"), ("nobody", PASSWORD), (USER, ""), ("", "")]:
        with pytest.raises(SignInError) as refused:
            store.sign_in(name, password)
        assert "do not match" in refused.value.text  # one answer for an unknown name and a wrong password
        assert store.account is None
        with pytest.raises(NotAllowedError):
            store.search_patients("Sample")
    assert store.sign_in(USER.upper(), PASSWORD).name == USER  # names are not case-sensitive


def test_five_wrong_passwords_in_a_row_slow_the_next_tries(store: Store, clock: Clock) -> None:
    store.sign_out()
    for _ in range(FREE_TRIES):
        with pytest.raises(SignInError, match="do not match"):
            store.sign_in(USER, "guess")
    with pytest.raises(SignInError, match="Wait 30 seconds") as waiting:
        store.sign_in(USER, PASSWORD)  # even the right password waits: the try is not looked at
    assert waiting.value.wait_seconds == 30
    clock.now += timedelta(seconds=31)
    with pytest.raises(SignInError, match="do not match"):
        store.sign_in(USER, "guess again")
    with pytest.raises(SignInError, match="Wait 60 seconds"):
        store.sign_in(USER, PASSWORD)
    clock.now += timedelta(seconds=61)
    assert store.sign_in(USER, PASSWORD).name == USER  # and the count starts again
    store.sign_out()
    with pytest.raises(SignInError, match="do not match"):
        store.sign_in(USER, "one slip")
    assert store.sign_in(USER, PASSWORD).name == USER


def test_the_waits_grow_and_stop_at_fifteen_minutes() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert [wait_before_next_try(n, now, now) for n in (0, 4, 5, 6, 7, 9, 100, 10**6)] == [
        0, 0, 30, 60, 120, 480, 900, 900,
    ]  # fmt: skip


def test_the_wrong_tries_are_counted_in_the_file_for_every_program(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "practice.db"
    with open_store(path, clock=clock) as first:
        sign_in(first)
    for _ in range(FREE_TRIES):
        with open_store(path, clock=clock) as other, pytest.raises(SignInError):
            other.sign_in(USER, "guess")
    with open_store(path, clock=clock) as window, pytest.raises(SignInError, match="Wait"):
        window.sign_in(USER, PASSWORD)


def test_the_audit_log_names_the_signed_in_person_whatever_the_system_says(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "dr_smith")
    monkeypatch.setenv("USERNAME", "dr_smith")
    sign_in(store, Role.FRONT_DESK, name="anna")
    patient = store.save_patient(replace(_patient(store), phone="(217) 555-0102"))
    store.record_view(patient.id or 0, "visit")
    store.record_print([7], "superbill printed")
    sign_in(store)  # the administrator reads the log
    rows = store.audit_entries()[-4:-1]  # the last is that sign-in
    assert [(r.who, r.entity, r.action) for r in rows] == [
        ("anna", "patient", "update"),
        ("anna", "patient", "view"),
        ("anna", "encounter", "print"),
    ]
    assert store.verify_data().ok  # reads and prints change no record


def test_signing_in_and_out_are_logged(store: Store) -> None:
    store.sign_out()
    with pytest.raises(SignInError):
        store.sign_in(USER, "guess")
    store.sign_in(USER, PASSWORD)
    actions = [(r.who, r.action) for r in store.audit_entries()[-3:]]
    assert actions == [(USER, "sign_out"), (USER, "sign_in_failed"), (USER, "sign_in")]


def test_an_administrator_adds_people_resets_a_password_and_cannot_remove_the_last_administrator(
    store: Store,
) -> None:
    anna = store.add_account("anna", "anna's first password", Role.FRONT_DESK, full_name="Anna Lee")
    with pytest.raises(InputError, match="taken"):
        store.add_account("ANNA", "another password", Role.BILLER)
    with pytest.raises(InputError, match="at least 8"):
        store.add_account("ben", "short", Role.BILLER)
    store.reset_password(anna.id, "a new password for anna")
    me = store.account
    assert me is not None
    with pytest.raises(InputError, match="only administrator"):
        store.update_account(me.id, full_name="", role=Role.BILLER, active=True)
    store.update_account(anna.id, full_name="Anna Lee", role=Role.FRONT_DESK, active=False)
    store.sign_out()
    with pytest.raises(SignInError, match="switched off"):
        store.sign_in("anna", "a new password for anna")
    with pytest.raises(SignInError):
        store.sign_in("anna", "anna's first password")


def test_the_first_administrator_is_made_once(tmp_path: Path) -> None:
    with open_store(tmp_path / "practice.db") as store:
        assert not store.has_accounts()
        with pytest.raises(InputError, match="User name"):
            store.create_first_administrator("  ", PASSWORD)
        admin = store.create_first_administrator("Dana", PASSWORD, full_name="Dana Demo")
        assert admin.role is Role.ADMINISTRATOR and store.account == admin
        with pytest.raises(NotAllowedError, match="already has its administrator"):
            store.create_first_administrator("mallory", PASSWORD)


def test_changing_my_own_password_asks_the_old_one(store: Store) -> None:
    with pytest.raises(InputError, match="not your current password"):
        store.change_own_password("wrong", "a brand new password")
    store.change_own_password(PASSWORD, "a brand new password")
    store.sign_out()
    assert store.sign_in(USER, "a brand new password").name == USER


def test_an_account_changed_outside_the_program_is_found(tmp_path: Path) -> None:
    path = tmp_path / "practice.db"
    with open_store(path) as store:
        sign_in(store, Role.FRONT_DESK, name="anna")
        store.conn.execute("UPDATE accounts SET role = 'administrator' WHERE name = 'anna'")
        sign_in(store)
        check = store.verify_data()
    assert not check.ok and any("anna" in line and "role" in line for line in check.problems), check.problems


def test_passwords_are_argon2id_at_the_recommended_cost_outside_tests() -> None:
    """The tests hash cheaply (tests/conftest.py); the program's own parameters are RFC 9106's second
    recommended set, and a cheap hash is re-made with them at the next sign-in."""
    from argon2 import PasswordHasher

    real = PasswordHasher()
    assert (real.time_cost, real.memory_cost, real.parallelism) == (3, 65536, 4)
    cheap = passwords.hash_password("a password")
    assert cheap.startswith("$argon2id$")
    assert real.check_needs_rehash(cheap)
    assert passwords.check_password(cheap, "a password").ok
    assert not passwords.check_password(cheap, "another").ok
    assert not passwords.check_password("not a hash", "a password").ok
