"""Password hashes (Argon2id, argon2-cffi) and the rule a new password must meet.

The parameters are argon2-cffi's defaults (RFC 9106's second recommended set: 64 MiB, 3 passes,
4 lanes). A hash made with other parameters still verifies and is re-made with these at the next
sign-in. Tests swap in cheaper parameters with ``use_parameters`` — the only reason it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import InputError

if TYPE_CHECKING:  # argon2 is imported at the first hash or check (a sign-in), not with the store
    from argon2 import PasswordHasher

#: the shortest password accepted for a new or reset password
MIN_LENGTH = 8

#: the Argon2id parameters of new hashes: time cost, memory cost, parallelism (None: argon2-cffi's defaults)
_parameters: tuple[int, int, int] | None = None
_hasher: PasswordHasher | None = None


def _the_hasher() -> PasswordHasher:
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        if _parameters is None:
            _hasher = PasswordHasher()
        else:
            time_cost, memory_cost, parallelism = _parameters
            _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return _hasher


@dataclass(frozen=True)
class Checked:
    """The result of checking a password: whether it matched, and whether its hash should be re-made."""

    ok: bool
    rehash: bool = False


def use_parameters(time_cost: int, memory_cost: int, parallelism: int) -> None:
    """Hash new passwords with these Argon2id parameters (tests use cheap ones)."""
    global _hasher, _parameters
    _parameters = (time_cost, memory_cost, parallelism)
    _hasher = None  # made with these at the next use


def hash_password(password: str) -> str:
    """The Argon2id hash (PHC string: parameters, salt and hash) of ``password``."""
    return _the_hasher().hash(password)


def check_password(stored_hash: str, password: str) -> Checked:
    """Whether ``password`` matches ``stored_hash``; never raises for a wrong or broken hash."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    hasher = _the_hasher()
    try:
        hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return Checked(ok=False)
    return Checked(ok=True, rehash=hasher.check_needs_rehash(stored_hash))


def waste_time_like_a_check(password: str) -> None:
    """Spend about as long as checking a real hash, so an unknown name answers as slowly as a
    known one (the answer's speed must not tell which names exist)."""
    global _dummy  # made once, lazily: hashing at import would slow every command
    if _dummy is None:
        _dummy = _the_hasher().hash("not a password anyone types")
    check_password(_dummy, password)


_dummy: str | None = None


def check_new_password(password: str, *, name: str, field: str = "password") -> None:
    """Raise ``InputError`` (which field, what to do) when ``password`` may not be used."""
    if len(password) < MIN_LENGTH:
        raise InputError(
            f"Password: use at least {MIN_LENGTH} characters (a short sentence is easy to remember).",
            field=field,
        )
    if password.strip().casefold() == name.strip().casefold():
        raise InputError("Password: it must not be the same as the user name.", field=field)
