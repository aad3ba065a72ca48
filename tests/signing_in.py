"""Signing a test's store in: the tests' first administrator, and people with other roles.

Every verb of the store needs a signed-in person (``core.accounts``); a test that is not about
accounts opens its store with ``open_signed_in`` and works as the administrator "tester". The name and
password are the ones tests/conftest.py gives the commands (``SUPERBILL_USER``/``SUPERBILL_PASSWORD``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.accounts import Account, Role
from core.store import Store, open_store

USER = os.environ.get("SUPERBILL_USER", "tester")
PASSWORD = os.environ.get("SUPERBILL_PASSWORD", "tester's long password")


def sign_in(store: Store, role: Role = Role.ADMINISTRATOR, name: str | None = None) -> Account:
    """Sign ``store`` in as ``name`` (default "tester") with ``role``; the account is made when the file
    has none by that name (the file's first account is always "tester", an administrator)."""
    name = name or USER
    if not store.has_accounts():
        store.create_first_administrator(USER, PASSWORD)
    if store.account is not None and store.account.name == name:
        return store.account
    if name != USER:
        if store.account is None or store.account.name != USER:
            store.sign_in(USER, PASSWORD)
        if name.casefold() not in {a.name.casefold() for a in store.accounts()}:
            store.add_account(name, PASSWORD, role)
    return store.sign_in(name, PASSWORD)


def open_signed_in(
    path: Path | str | None = None, *, role: Role = Role.ADMINISTRATOR, **options: Any
) -> Store:
    """``open_store`` with the tests' administrator signed in — or, with ``user=NAME``, the person NAME
    (made with ``role`` when new), whose name the audit rows then carry."""
    store = open_store(path, **options)
    try:
        sign_in(store, role, options.get("user"))
    except BaseException:
        store.close()
        raise
    return store


@contextlib.contextmanager
def old_program(path: Path | str, **options: Any) -> Iterator[Store]:
    """A store on a file of an older schema (the test truncates ``schema._STEPS``), working as the
    program of that time did: it had no accounts, so nobody signs in."""
    with open_store(path, **options) as store, store.setting_up():
        yield store
