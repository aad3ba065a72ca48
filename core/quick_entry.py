"""The quick-entry line: ``12 ak face cryo`` typed at the front desk becomes one ``LesionGroup``.

Grammar (docs/gui.md): ``COUNT KIND [SITE] [METHOD] [DIAGNOSIS] [SIZE]``, words separated by spaces,
case-insensitive. Only COUNT and KIND are required. KIND is a kind word (``ak``, ``ben``, ``tag``…) or
a lesion type (``wart``, ``plantar wart``, ``irritated sk``…), one or more words. The optional
words are recognised by what they look like (a site name, a method, an ICD-10-CM code, a size with its
unit), so a person who types ``3 sk L82.1 trunk`` is understood too; each optional word may appear once.

The diagnosis is, in this order: the code typed on the line; the lesion type's code (a type word never
takes another type's code, nor the practice's default); the practice's default for the kind; the kind's
declared default. Kinds, types and their words come from ``core.coding.kinds`` (``resources/codes/
lesion_kinds.json``), sites and methods from ``resources/codes/lesion_coding.json``; the short method
words (``cryo``…) are this grammar's own. Pure: no Qt, no database. Whether a diagnosis code exists and
is billable is the coding engine's check, not the parser's.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from core.coding import kinds
from core.coding.model import LesionGroup, LesionKind
from core.errors import InputError

#: short method words; the full method names are accepted as themselves
METHOD_WORDS: dict[str, str] = {
    "cryo": "cryosurgery",
    "laser": "laser",
    "electro": "electrosurgery",
    "chemo": "chemosurgery",
    "curette": "curettement",
}

#: a few other spellings of sites (the table's names are always accepted)
SITE_ALIASES: dict[str, str] = {
    "mucous": "mucous_membrane",
    "mucous-membrane": "mucous_membrane",
    "mucosa": "mucous_membrane",
}

DEFAULT_SITE = "trunk"
DEFAULT_METHOD = "cryosurgery"

_ICD10 = re.compile(r"^([A-Z][0-9][0-9A-Z])\.?([0-9A-Z]{1,4})?$")
_DIAMETER = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)(cm|mm)$")
_AREA = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)(cm2|cm²|sqcm)$")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)$")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


@dataclass(frozen=True)
class QuickEntryDefaults:
    """What an optional word means when it is left out, from the practice settings.

    ``methods`` and ``diagnoses`` map a kind to its default; a kind missing from ``methods`` uses
    ``method``. A kind without a default diagnosis (usually malignant) is read with an empty
    diagnosis when none is typed, for the coding engine to report (like a missing size).
    """

    site: str = DEFAULT_SITE
    method: str = DEFAULT_METHOD
    methods: Mapping[LesionKind, str] = field(default_factory=dict)
    diagnoses: Mapping[LesionKind, str] = field(default_factory=dict)


@cache
def known_sites() -> tuple[str, ...]:
    """The site names of the lesion coding table, in the table's order."""
    text = resources.files("resources.codes").joinpath("lesion_coding.json").read_text(encoding="utf-8")
    return tuple(row["site"] for row in json.loads(text)["sites"])


@cache
def known_methods() -> tuple[str, ...]:
    """The method names of the lesion coding table."""
    text = resources.files("resources.codes").joinpath("lesion_coding.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["methods"])


def _site(word: str) -> str | None:
    if word in known_sites():
        return word
    return SITE_ALIASES.get(word)


def _method(word: str) -> str | None:
    if word in known_methods():
        return word
    return METHOD_WORDS.get(word)


def _diagnosis(word: str) -> str | None:
    """``l570`` → ``L57.0``: an ICD-10-CM-shaped word, written with its dot; else ``None``."""
    match = _ICD10.match(word.upper())
    if not match:
        return None
    category, rest = match.groups()
    return f"{category}.{rest}" if rest else category


def _ordinal(position: int) -> str:
    return _ORDINALS[position] if position < len(_ORDINALS) else f"word {position + 1}"


def _suggestion(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    return f" Did you mean “{close[0]}”?" if close else ""


def _error(text: str) -> InputError:
    return InputError(text, field="quick_entry")


def _parse_count(word: str) -> int:
    if not (word.isascii() and word.isdigit()):
        raise _error(
            f"The first word “{word}” should be the number of lesions, a whole number such as 12 "
            "(for example: 12 ak face cryo)."
        )
    count = int(word)
    if count < 1:
        raise _error(f"The number of lesions is {count}; it must be 1 or more.")
    return count


def kind_hint() -> str:
    """The words to suggest: ``a kind (ak, pre, ben… or mal) or a lesion type (wart, sk… or scc)``."""
    declared = kinds.declaration()
    kind_words = [w for k in declared.kinds for w in k.words if w != k.name]
    type_words = list(dict.fromkeys(t.words[0] for t in declared.types))
    return (
        f"a kind ({', '.join(kind_words[:-1])} or {kind_words[-1]}) or a lesion type "
        f"({', '.join(type_words[:-1])} or {type_words[-1]})"
    )


def _parse_kind(typed: list[str]) -> tuple[kinds.Kind, kinds.LesionType | None, int]:
    """The kind (and lesion type) named from the second word on, and how many words name it."""
    if len(typed) < 2:
        raise _error(f"After the number, type the kind of lesion: {kind_hint()} (for example: 12 ak).")
    declared = kinds.declaration()
    for size in range(min(declared.longest_phrase, len(typed) - 1), 0, -1):
        found = declared.lookup(" ".join(typed[1 : 1 + size]))
        if found is not None:
            return found[0], found[1], size
    word = typed[1]
    hint = next(
        (
            hint
            for size in range(min(declared.longest_phrase, len(typed) - 1), 0, -1)
            if (hint := _suggestion(" ".join(typed[1 : 1 + size]).lower(), list(declared.words())))
        ),
        "",
    )
    raise _error(f"The second word “{word}” is not a kind of lesion; type {kind_hint()}.{hint}")


def _default_diagnosis(
    kind: kinds.Kind, lesion_type: kinds.LesionType | None, defaults: QuickEntryDefaults
) -> str:
    """The diagnosis when none was typed: the type's own code (even none), else the kind's defaults."""
    if lesion_type is not None:
        return lesion_type.diagnosis or ""
    return defaults.diagnoses.get(LesionKind(kind.name)) or kind.default_diagnosis or ""


def parse_quick_entry(text: str, defaults: QuickEntryDefaults) -> LesionGroup:
    """One lesion group from a quick-entry line, or ``InputError`` saying which word is wrong.

    Examples: ``12 ak face cryo``, ``3 plantar wart foot``, ``1 bcc nose electro C44.311 0.8cm``.
    A size is a diameter (``0.8cm`` or ``8mm``) for malignant lesions, an area (``12cm2``) for
    vascular ones. Only COUNT and KIND are required: a missing size, or a missing diagnosis of a kind
    or type without a default, is left for the coding engine to report (``diagnosis`` is then empty).
    """
    typed = text.split()  # messages quote each word as it was typed; it is read in lower case
    if not typed:
        raise _error("Type the lesions, for example: 12 ak face cryo.")
    count = _parse_count(typed[0])
    declared_kind, lesion_type, kind_size = _parse_kind(typed)
    kind = LesionKind(declared_kind.name)

    found: dict[str, str] = {}
    diameter: float | None = None
    area: float | None = None
    for position, as_typed in enumerate(typed[1 + kind_size :], start=1 + kind_size):
        word = as_typed.lower()
        where = f"The {_ordinal(position)} word “{as_typed}”"
        slot, value = _classify(word)
        if slot is None:
            hint = _suggestion(word, [*known_sites(), *METHOD_WORDS, *known_methods()])
            if _NUMBER.match(word):
                raise _error(f"{where} needs a unit: type {word}cm for a diameter or {word}cm2 for an area.")
            raise _error(
                f"{where} is not a site, method, diagnosis code or size. Expected a site such as "
                "face, scalp or trunk; a method such as cryo or laser; an ICD-10-CM code such as "
                f"L57.0; or a size such as 0.8cm.{hint}"
            )
        if slot in found:
            raise _error(f"{where} is a second {slot}; type one {slot} per line.")
        found[slot] = as_typed
        if slot == "diameter":
            if declared_kind.measurement != "diameter_cm":
                raise _error(
                    f"{where} is a diameter, which only {_needing('diameter_cm')} lesions need; remove it"
                    + (
                        " or type the area with cm2, for example 12cm2."
                        if declared_kind.measurement == "area_sq_cm"
                        else "."
                    )
                )
            diameter = float(value)
        elif slot == "area":
            if declared_kind.measurement != "area_sq_cm":
                raise _error(
                    f"{where} is an area, which only {_needing('area_sq_cm')} lesions need; remove it."
                )
            area = float(value)
        else:
            found[slot] = value
    for slot, number in (("diameter", diameter), ("area", area)):
        if number is not None and number <= 0:
            raise _error(f"The {slot} {found[slot]} must be more than zero.")

    diagnosis = found.get("diagnosis") or _default_diagnosis(declared_kind, lesion_type, defaults)
    return LesionGroup(
        kind=kind,
        count=count,
        site=found.get("site", defaults.site),
        method=found.get("method") or defaults.methods.get(kind) or defaults.method,
        diagnosis=diagnosis,
        diameter_cm=diameter,
        area_sq_cm=area,
    )


def _needing(measurement: str) -> str:
    """``malignant`` (or ``a or b``): the kinds that need ``measurement``."""
    return " or ".join(kinds.names_measuring(measurement))


def _classify(word: str) -> tuple[str | None, str]:
    """Which optional slot ``word`` fills, and its value in contract words."""
    if site := _site(word):
        return "site", site
    if method := _method(word):
        return "method", method
    if match := _DIAMETER.match(word):
        number = float(match.group(1))
        return "diameter", str(number / 10 if match.group(2) == "mm" else number)
    if match := _AREA.match(word):
        return "area", match.group(1)
    if diagnosis := _diagnosis(word):
        return "diagnosis", diagnosis
    return None, word


def format_quick_entry(group: LesionGroup) -> str:
    """The line that reads back as ``group`` (used to show a stored group in quick-entry words)."""
    short_kind = kinds.kind(group.kind).short_word  # a kind word, never a type's: it sets no diagnosis
    words = [str(group.count), short_kind, group.site, group.method]
    if group.diagnosis:
        words.append(group.diagnosis)
    if group.diameter_cm is not None:
        words.append(f"{group.diameter_cm:g}cm")
    if group.area_sq_cm is not None:
        words.append(f"{group.area_sq_cm:g}cm2")
    return " ".join(words)


#: the fields of a lesion group a person can change in the lesion table
EDITABLE_FIELDS = ("kind", "count", "site", "method", "size", "diagnosis")


def edit_group(group: LesionGroup, field_name: str, text: str) -> LesionGroup:
    """``group`` with one field changed from typed ``text`` (the lesion table's in-place edit).

    Raises ``InputError`` that names the field and what is expected; ``group`` is never changed.
    """
    word = text.strip().lower()
    label = field_name.capitalize()
    if field_name == "count":
        if not (word.isascii() and word.isdigit()) or int(word) < 1:
            raise _error(
                f"Count: “{text.strip()}” is not a number of lesions; type a whole number, 1 or more."
            )
        return replace(group, count=int(word))
    if field_name == "kind":  # a type word names its kind here; only the kind changes
        declared = kinds.declaration()
        found = declared.lookup(word) or declared.lookup(word.replace("_", " "))
        if found is None:
            raise _error(f"Kind: “{text.strip()}” is not a kind of lesion; type {kind_hint()}.")
        new_kind = found[0]
        return replace(
            group,
            kind=LesionKind(new_kind.name),
            diameter_cm=group.diameter_cm if new_kind.measurement == "diameter_cm" else None,
            area_sq_cm=group.area_sq_cm if new_kind.measurement == "area_sq_cm" else None,
        )
    if field_name == "site":
        site = _site(word.replace(" ", "_"))
        if site is None:
            hint = _suggestion(word, list(known_sites()))
            raise _error(
                f"Site: “{text.strip()}” is not a site; type one of {', '.join(known_sites())}.{hint}"
            )
        return replace(group, site=site)
    if field_name == "method":
        method = _method(word)
        if method is None:
            raise _error(
                f"Method: “{text.strip()}” is not a method; type cryo, laser, electro, chemo or curette."
            )
        return replace(group, method=method)
    if field_name == "diagnosis":
        diagnosis = _diagnosis(word)
        if diagnosis is None:
            raise _error(f"Diagnosis: “{text.strip()}” is not an ICD-10-CM code; type one such as L57.0.")
        return replace(group, diagnosis=diagnosis)
    if field_name == "size":
        return _edit_size(group, word, text.strip())
    raise ValueError(f"{label} cannot be edited")


def _edit_size(group: LesionGroup, word: str, typed: str) -> LesionGroup:
    needs = kinds.kind(group.kind).measurement
    if needs is None:
        if word:
            raise _error(
                f"Size: only {_needing('diameter_cm')} lesions (diameter) and "
                f"{_needing('area_sq_cm')} lesions (area) have a size."
            )
        return group
    if not word:
        return replace(group, diameter_cm=None, area_sq_cm=None)
    if needs == "diameter_cm":
        match = _DIAMETER.match(word) or _NUMBER.match(word)
        if not match or float(match.group(1)) <= 0:
            raise _error(f"Size: “{typed}” is not a diameter; type it in cm, for example 0.8cm.")
        number = float(match.group(1))
        is_mm = match.re is _DIAMETER and match.group(2) == "mm"
        return replace(group, diameter_cm=number / 10 if is_mm else number)
    match = _AREA.match(word) or _NUMBER.match(word)
    if not match or float(match.group(1)) <= 0:
        raise _error(f"Size: “{typed}” is not an area; type it in square cm, for example 12cm2.")
    return replace(group, area_sq_cm=float(match.group(1)))


def size_text(group: LesionGroup) -> str:
    """``0.8 cm`` or ``12 cm²``, or empty when the group has no size."""
    if group.diameter_cm is not None:
        return f"{group.diameter_cm:g} cm"
    if group.area_sq_cm is not None:
        return f"{group.area_sq_cm:g} cm²"
    return ""
