"""Who runs a command: the person signs in as in the window, with ``--user NAME`` and a password
typed at the prompt, or — for scripts — ``SUPERBILL_USER`` and ``SUPERBILL_PASSWORD`` (docs/cli.md
"Signing in", with the risk of a password kept in a script's environment).

A database that has no account yet (a new file, or one from before accounts) gets its first
administrator here, from the same option, variables or prompts.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core.accounts import Action
from core.errors import NotAllowedError, SignInError
from core.store import Store, open_store

USER_VARIABLE = "SUPERBILL_USER"
PASSWORD_VARIABLE = "SUPERBILL_PASSWORD"


def open_signed_in(
    args: argparse.Namespace, *, program: str, action: Action, seed_demo: bool = True
) -> Store:
    """Open the command's database and sign its person in; refuse (``NotAllowedError``, exit 2) when
    nobody can be signed in or their role does not allow ``action``."""
    store = open_store(getattr(args, "db", None), program=program, seed_demo=seed_demo)
    try:
        sign_in(store, getattr(args, "user", None))
        store.require(action)
    except BaseException:
        store.close()
        raise
    return store


def sign_in(store: Store, user_option: str | None) -> None:
    """Sign the command's person in to ``store`` (the first administrator when it has none)."""
    if not store.has_accounts():
        _first_administrator(store, user_option)
        return
    name = _user_name(user_option)
    store.sign_in(name, _password(f"Password for {name}: "))


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _user_name(user_option: str | None) -> str:
    name = user_option or os.environ.get(USER_VARIABLE, "")
    if name.strip():
        return name
    if _interactive():
        return input("User name: ")
    raise NotAllowedError(
        "Sign in: this command reads or changes patient data, so it needs your user name. Give it with "
        f"--user NAME (you are asked for the password), or set {USER_VARIABLE} and {PASSWORD_VARIABLE} "
        "for a script."
    )


def _password(prompt: str) -> str:
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is not None:
        return password
    if _interactive():
        import getpass

        return getpass.getpass(prompt)
    raise NotAllowedError(
        f"Sign in: type the password at the prompt (run the command in a terminal), or set "
        f"{PASSWORD_VARIABLE} for a script."
    )


def _first_administrator(store: Store, user_option: str | None) -> None:
    where = store.path if isinstance(store.path, Path) else "this database"
    if not (user_option or os.environ.get(USER_VARIABLE)) and not _interactive():
        raise NotAllowedError(
            f"{where} has no user accounts yet. Open the program's window once to set up its first "
            f"administrator, or give one with --user NAME (or {USER_VARIABLE} and {PASSWORD_VARIABLE})."
        )
    name = _user_name(user_option)
    password = _password(f"Choose a password for {name}, the first administrator: ")
    if _interactive() and PASSWORD_VARIABLE not in os.environ:
        import getpass

        if getpass.getpass("Type it again: ") != password:
            raise NotAllowedError("The two passwords differ; nothing was set up. Run the command again.")
    account = store.create_first_administrator(name, password)
    print(
        f"superbill: {account.name} is now the first administrator of {where}; "
        "add the other people in the window (File → People…).",
        file=sys.stderr,
    )


def check_allowed(
    args: argparse.Namespace, db_path: Path, action: Action, *, fallback: Path | None = None
) -> None:
    """Check the command's person against the accounts of the database at ``db_path`` — reading only,
    so `verify` never changes a byte — for the steps that work on the file rather than through a
    store (backup, restore, verify). When that file cannot be read (damaged, or missing before a
    restore) the accounts of ``fallback`` (the backup to restore) are used; a file from before
    accounts names nobody to check. A wrong password is counted as at any sign-in."""
    from core.store.credentials import accounts_in, check_in_file

    for target in (db_path, *([fallback] if fallback is not None else [])):
        has_accounts = accounts_in(target) if target.exists() else None
        if has_accounts is None:
            continue  # cannot be read: the step itself says what is wrong with it
        if has_accounts:
            name = _user_name(getattr(args, "user", None))
            password = _password(f"Password for {name}: ")
            try:
                check_in_file(target, name, password, action)
            except SignInError:
                _count_wrong_try(target, name, password)
                raise
        return


def _count_wrong_try(path: Path, name: str, password: str) -> None:
    """Sign in through a store so that the wrong try is counted (and the wait enforced)."""
    from core.errors import StoreError

    try:
        with open_store(path, seed_demo=False, program="superbill (sign-in)") as store:
            store.sign_in(name, password)
    except StoreError:
        pass  # the file does not open as a store: nothing can be counted in it
