"""The fee schedule's history and the declared settings with defaults that never overwrite a user's value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.coding import tables
from core.errors import InputError
from core.store import FeeEntry, Store
from core.store.demo import demo_fee_schedule
from core.store.settings import SETTINGS
from tests.core.store.conftest import FakeClock
from tests.signing_in import open_signed_in


def test_demo_fee_schedule_is_loaded(store: Store) -> None:
    effective, fees = demo_fee_schedule()
    schedule = store.fee_schedule(date(2026, 11, 27))
    assert {e.cpt: e.unit_fee_cents for e in schedule} == fees
    assert all(e.effective_from == effective and e.effective_to is None for e in schedule)
    assert store.fee_schedule(date(2025, 12, 31)) == []
    assert store.fee_for("17003", date(2026, 1, 1)) == 2000
    assert store.fee_for("17003", date(2025, 12, 31)) is None


def test_every_demo_fee_code_is_one_the_coding_tables_know() -> None:
    """A demo fee for a code the engine never bills would show in the Fees tab without a description."""
    _, fees = demo_fee_schedule()
    assert fees
    unknown = sorted(code for code in fees if tables.cpt(code) is None)
    assert unknown == [], f"demo fee codes missing from resources/codes/cpt.json: {unknown}"


def test_fee_history_has_end_dates(empty_store: Store) -> None:
    store = empty_store
    store.set_fee("17000", 10000, date(2025, 1, 1))
    store.set_fee("17000", 12000, date(2026, 1, 1))
    store.set_fee("17000", 11000, date(2025, 7, 1))  # inserted between two existing entries
    assert store.fee_history("17000") == [
        FeeEntry("17000", 10000, date(2025, 1, 1), date(2025, 6, 30)),
        FeeEntry("17000", 11000, date(2025, 7, 1), date(2025, 12, 31)),
        FeeEntry("17000", 12000, date(2026, 1, 1), None),
    ]
    assert store.fee_for("17000", date(2025, 6, 30)) == 10000
    assert store.fee_for("17000", date(2025, 7, 1)) == 11000
    assert store.fee_schedule(date(2025, 8, 1)) == [
        FeeEntry("17000", 11000, date(2025, 7, 1), date(2025, 12, 31))
    ]
    # the same day again replaces that day's fee
    assert store.set_fee("17000", 12500, date(2026, 1, 1)) == FeeEntry("17000", 12500, date(2026, 1, 1), None)
    assert len(store.fee_history("17000")) == 3


@pytest.mark.parametrize(
    ("cpt", "cents", "field"),
    [
        ("1700", 100, "cpt"),
        ("17OOO", 100, "cpt"),
        ("17000", -1, "unit_fee_cents"),
        ("17000", True, "unit_fee_cents"),
    ],
)
def test_bad_fee_names_the_field(empty_store: Store, cpt: str, cents: int, field: str) -> None:
    with pytest.raises(InputError) as err:
        empty_store.set_fee(cpt, cents, date(2026, 1, 1))
    assert err.value.field == field


@pytest.fixture
def yes_no_setting(monkeypatch: pytest.MonkeyPatch) -> str:
    """A yes/no setting for the tests (the practice settings hold none today)."""
    from core.store.settings import Setting

    monkeypatch.setitem(SETTINGS, "print_logo", Setting("print_logo", bool, True, "Print the logo"))
    return "print_logo"


def test_settings_defaults_and_user_values(db_path: Path, clock: FakeClock, yes_no_setting: str) -> None:
    with open_signed_in(db_path, clock=clock) as store:
        assert store.setting("backup_days_to_keep") == 14
        assert store.setting(yes_no_setting) is True
        assert store.conn.execute("SELECT count(*) FROM settings").fetchone()[0] == 0  # defaults not stored
        assert store.set_setting("backup_days_to_keep", "30") == 30
        assert store.set_setting(yes_no_setting, "no") is False
    with open_signed_in(db_path, clock=clock) as store:
        assert store.setting("backup_days_to_keep") == 30
        assert store.setting(yes_no_setting) is False


def test_changed_default_never_overwrites_a_user_value(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    store.set_setting("backup_days_to_keep", 7)
    spec = SETTINGS["backup_days_to_keep"]
    monkeypatch.setitem(SETTINGS, "backup_days_to_keep", replace(spec, default=60))
    monkeypatch.setitem(SETTINGS, "superbill_footer", replace(SETTINGS["superbill_footer"], default="Thanks"))
    assert store.setting("backup_days_to_keep") == 7
    assert store.setting("superbill_footer") == "Thanks"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("backup_days_to_keep", "two weeks"),
        ("backup_days_to_keep", 0),
        ("print_logo", "maybe"),
    ],
)
def test_bad_setting_value_names_the_setting(
    store: Store, name: str, value: object, yes_no_setting: str
) -> None:
    with pytest.raises(InputError) as err:
        store.set_setting(name, value)
    assert err.value.field == name


def test_unknown_setting_is_a_programming_error(store: Store) -> None:
    with pytest.raises(KeyError, match="declare it"):
        store.setting("colour_of_the_sky")


def test_practice_round_trip_and_checks(store: Store) -> None:
    from dataclasses import replace

    from core.coding.model import LesionKind

    practice = store.practice()
    assert practice.default_diagnoses[LesionKind.PREMALIGNANT] == "L57.0"
    assert LesionKind.MALIGNANT not in practice.default_diagnoses
    changed = replace(practice, name="Springfield Skin Clinic", tax_id="12-3456789")
    assert store.update_practice(changed) == changed
    for changes, field in (
        ({"name": " "}, "name"),
        ({"group_npi": "1234567890"}, "group_npi"),
        ({"tax_id": "12345"}, "tax_id"),
        ({"default_pos": "office"}, "default_pos"),
        ({"zip": "1234"}, "zip"),
    ):
        with pytest.raises(InputError) as err:
            store.update_practice(replace(changed, **changes))  # type: ignore[arg-type]
        assert err.value.field == field
    assert store.practice() == changed


def test_providers_and_payers(store: Store) -> None:
    from dataclasses import replace

    from core.store import Payer, PayerKind, Provider

    added = store.save_provider(Provider("Grace", "Hopper", " 1558598797 ", credentials="DO"))
    assert added.npi == "1558598797" and added.display_name == "Grace Hopper, DO"
    assert store.get_provider(added.id or 0) == added
    with pytest.raises(InputError) as err:
        store.save_provider(Provider("X", "Y", "1558598798"))
    assert err.value.field == "npi"
    with pytest.raises(InputError, match="already belongs to Dana Demo"):
        store.save_provider(Provider("X", "Y", "1234567893"))
    store.save_provider(replace(added, active=False))
    assert [p.last_name for p in store.providers()] == ["Demo"]
    assert len(store.providers(include_inactive=True)) == 2
    store.set_setting("default_provider_id", added.id or 0)
    assert store.default_provider().last_name == "Demo"  # inactive providers are never the default

    payer = store.save_payer(Payer("Humana", PayerKind.COMMERCIAL, "commercial", payer_id="61101"))
    assert store.get_payer(payer.id or 0) == payer
    mailed = store.save_payer(
        replace(payer, claims_address1=" PO  Box 14601 ", claims_city="Lexington", claims_state=" ky")
    )
    assert (mailed.claims_address1, mailed.claims_state) == ("PO Box 14601", "KY")
    assert store.save_payer(replace(mailed, claims_zip="40512-4601")).claims_zip == "40512-4601"
    for bad, field in (
        (Payer("", PayerKind.COMMERCIAL, "commercial"), "name"),
        (Payer("X", PayerKind.COMMERCIAL, "acme"), "coding_payer"),
        (Payer("X", PayerKind.COMMERCIAL, "commercial", distinct_modifier="XU"), "distinct_modifier"),
        (Payer("humana", PayerKind.COMMERCIAL, "commercial"), "name"),
        (Payer("X", PayerKind.COMMERCIAL, "commercial", claims_state="North Dakota"), "claims_state"),
        (Payer("X", PayerKind.COMMERCIAL, "commercial", claims_zip="5810"), "claims_zip"),
    ):
        with pytest.raises(InputError) as err:
            store.save_payer(bad)
        assert err.value.field == field


def test_no_provider_yet(empty_store: Store) -> None:
    from core.errors import NotFoundError

    with pytest.raises(NotFoundError, match="Add the provider"):
        empty_store.default_provider()
