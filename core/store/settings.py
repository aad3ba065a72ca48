"""Business settings: each declared once here with its default, stored as rows only when a user sets one.

A default is never written to the database, so a newer program version can change a default without
overwriting anything a user chose, and a user's value is never replaced by a default.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InputError


@dataclass(frozen=True)
class Setting:
    """One declared setting: its type (``bool``, ``int`` or ``str``), default and plain-words label."""

    name: str
    kind: type
    default: bool | int | str
    label: str
    minimum: int | None = None
    choices: tuple[str, ...] = ()


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "backup_days_to_keep",
            int,
            14,
            "How many days of automatic daily backups to keep",
            minimum=1,
        ),
        Setting(
            "default_provider_id",
            int,
            0,
            "The provider new encounters get (0: the first active provider)",
            minimum=0,
        ),
        Setting(
            "lock_after_minutes",
            int,
            5,
            "Lock the window after this many minutes without typing or clicking (patient data hidden)",
            minimum=1,
        ),
        Setting(
            "superbill_footer",
            str,
            "",
            "Text printed at the bottom of every superbill (for example payment terms)",
        ),
    )
}

SettingValue = bool | int | str
_YES = ("true", "yes", "1", "on")
_NO = ("false", "no", "0", "off")


def declared(name: str) -> Setting:
    """The declaration of ``name``; an unknown name is a programming error (``KeyError``)."""
    try:
        return SETTINGS[name]
    except KeyError:
        raise KeyError(f"no setting named {name!r}; declare it in core/store/settings.py") from None


def check_value(setting: Setting, value: object) -> SettingValue:
    """``value`` converted to the setting's type, or ``InputError`` naming the setting."""
    field = setting.name
    if setting.kind is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _YES + _NO:
            return word in _YES
        raise InputError(f"{setting.label}: choose yes or no.", field=field)
    if setting.kind is int:
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None:
            raise InputError(f"{setting.label}: type a whole number.", field=field)
        if setting.minimum is not None and number < setting.minimum:
            raise InputError(f"{setting.label}: must be at least {setting.minimum}.", field=field)
        return number
    text = str(value)
    if setting.choices and text not in setting.choices:
        raise InputError(f"{setting.label}: choose one of {', '.join(setting.choices)}.", field=field)
    return text
