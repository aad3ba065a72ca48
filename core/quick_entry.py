"""The quick-entry line: ``12 ak face cryo`` typed at the front desk becomes one ``LesionGroup``.

Grammar (docs/gui.md): ``COUNT KIND [SITE] [METHOD] [DIAGNOSIS] [SIZE]``, words separated by spaces,
case-insensitive. Only COUNT and KIND are required. KIND is a kind word (``ak``, ``ben``, ``tag``…) or
a lesion type (``wart``, ``plantar wart``, ``irritated sk``…), one or more words. The optional
words are recognised by what they look like (site words, a method, an ICD-10-CM code, a size with its
unit), so a person who types ``3 sk L82.1 trunk`` is understood too; each optional word may appear once.
Every word that cannot be read is reported at once, in one message.

SITE is one or more site words with their modifiers (``left cheek``, ``upper back``, ``back of the
hand``), read by ``core.coding.sites`` from ``resources/codes/site_words.json``; the words are kept in
``typed_site`` and the contract site they name drives the code. SIZE is a diameter (``8mm``, ``8 mm``,
``0.8cm``, ``8x6 mm``: the greatest dimension is coded) or an area (``12cm2``), read by
``core.coding.sizes``; it is kept as typed in ``typed_size``. A number without a unit is refused with
both readings and the code each would give, never with another number.

The diagnosis is, in this order: the code typed on the line; the lesion type's code (a type word never
takes another type's code, nor the practice's default); the practice's default for the kind; the kind's
declared default. Kinds, types and their words come from ``core.coding.kinds`` (``resources/codes/
lesion_kinds.json``), methods from ``resources/codes/lesion_coding.json``; the short method words
(``cryo``…) are this grammar's own. Pure: no Qt, no database. Whether a diagnosis code exists and is
billable is the coding engine's check, not the parser's.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from importlib import resources

from core.coding import families, kinds, sites, sizes, tables
from core.coding.model import LesionGroup, LesionKind
from core.coding.sizes import Size
from core.errors import InputError

#: short method words; the full method names are accepted as themselves
METHOD_WORDS: dict[str, str] = {
    "cryo": "cryosurgery",
    "laser": "laser",
    "electro": "electrosurgery",
    "chemo": "chemosurgery",
    "curette": "curettement",
}

DEFAULT_SITE = "trunk"
DEFAULT_METHOD = "cryosurgery"

_ICD10 = re.compile(r"^([A-Z][0-9][0-9A-Z])\.?([0-9A-Z]{1,4})?$")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
_EXPECTED = (
    "Expected a site such as face, left cheek or upper back; a method such as cryo or laser; an "
    "ICD-10-CM code such as L57.0; or a size such as 8mm, 0.8cm or 12cm2."
)


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


@dataclass(frozen=True)
class QuickEntry:
    """A line read: the group to add, and a question to ask first when the size is in the largest band.

    ``confirm`` is empty when nothing needs asking; otherwise the window asks it (yes adds the group,
    no leaves the line to be corrected).
    """

    group: LesionGroup
    confirm: str = ""

    @property
    def needs_confirmation(self) -> bool:
        """True when the window should ask ``confirm`` before adding the group."""
        return bool(self.confirm)


@cache
def known_sites() -> tuple[str, ...]:
    """The contract's site names (the lesion coding table's), in the table's order."""
    text = resources.files("resources.codes").joinpath("lesion_coding.json").read_text(encoding="utf-8")
    return tuple(row["site"] for row in json.loads(text)["sites"])


@cache
def known_methods() -> tuple[str, ...]:
    """The method names of the lesion coding table."""
    text = resources.files("resources.codes").joinpath("lesion_coding.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["methods"])


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
    """The words to suggest: ``a kind (pre, ben… or mal) or a lesion type (ak, wart, sk… or scc)``."""
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
    """One lesion group from a quick-entry line, or ``InputError`` naming every word that is wrong.

    Examples: ``12 ak face cryo``, ``3 plantar wart left sole``, ``1 bcc nose electro C44.311 8mm``.
    A size is a diameter (``8mm``, ``0.8 cm``, ``8x6 mm``) for malignant lesions, an area (``12cm2``)
    for vascular ones. Only COUNT and KIND are required: a missing size, or a missing diagnosis of a
    kind or type without a default, is left for the coding engine to report (``diagnosis`` is then
    empty). :func:`read_quick_entry` also says when the size should be confirmed.
    """
    return read_quick_entry(text, defaults).group


def read_quick_entry(text: str, defaults: QuickEntryDefaults) -> QuickEntry:
    """Like :func:`parse_quick_entry`, with the question to ask when the size is in the largest band."""
    group = _read(text, defaults)
    return QuickEntry(group, size_question(group))


@dataclass
class _Line:
    """What the optional words of one line said, and every problem found, by word position."""

    typed: list[str]
    site: sites.SiteReading | None = None
    method: str | None = None
    diagnosis: str | None = None
    size: Size | None = None
    size_typed: str = ""
    size_at: tuple[int, int] = (0, 1)
    unitless: list[tuple[int, int, Size]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)

    def where(self, position: int, end: int | None = None) -> str:
        words = " ".join(self.typed[position : end or position + 1])
        return (
            f"The {_ordinal(position)} word “{words}”"
            if end in (None, position + 1)
            else f"The phrase “{words}” (from the {_ordinal(position)} word)"
        )

    def problem(self, position: int, text: str) -> None:
        self.problems.append((position, text))


def _read(text: str, defaults: QuickEntryDefaults) -> LesionGroup:
    typed = text.split()  # messages quote each word as it was typed; it is read in lower case
    if not typed:
        raise _error("Type the lesions, for example: 12 ak face cryo.")
    count = _parse_count(typed[0])
    line = _Line(typed)
    declared_kind: kinds.Kind | None
    lesion_type: kinds.LesionType | None = None
    try:
        declared_kind, lesion_type, kind_size = _parse_kind(typed)
    except InputError as error:
        if len(typed) < 2:
            raise
        declared_kind, kind_size = None, 1  # read the other words too: every problem is said at once
        line.problem(1, error.text)
        parts = {part for words in kinds.declaration().words() for part in words.split()}
        while 1 + kind_size < len(typed) and typed[1 + kind_size].lower() in parts:
            kind_size += 1  # "plantr wart": the rest of the mistyped kind, which its suggestion covers
    _read_words(line, 1 + kind_size)
    if declared_kind is not None:
        _check_size(line, declared_kind, defaults)
    else:
        for position, end, size in line.unitless:
            line.problem(position, f"{line.where(position, end)} needs a unit: {_units_for(size)}.")
    _raise_problems(line)
    assert declared_kind is not None  # a kind that could not be read is a problem, raised above
    kind = LesionKind(declared_kind.name)

    diameter = area = None
    typed_size = ""
    if line.size is not None:
        value = float(line.size.in_cm())
        measurement = line.size.measurement or ""
        diameter, area = (value, None) if measurement == "diameter_cm" else (None, value)
        typed_size = _kept_size(line.size, value, measurement)
    site = line.site.site if line.site is not None else defaults.site
    return LesionGroup(
        kind=kind,
        count=count,
        site=site,
        method=line.method or defaults.methods.get(kind) or defaults.method,
        diagnosis=line.diagnosis or _default_diagnosis(declared_kind, lesion_type, defaults),
        diameter_cm=diameter,
        area_sq_cm=area,
        typed_size=typed_size,
        typed_site=line.site.words if line.site is not None and line.site.says_more else "",
    )


def word_slot(word: str) -> str | None:
    """Which optional slot one word can fill on its own: ``site`` (a site word or a modifier such as
    ``left``), ``method``, ``size`` (with its unit) or ``diagnosis``; ``None`` for any other word."""
    lower = word.lower()
    if sites.lookup(lower) is not None or sites.is_modifier(lower):
        return "site"
    if _method(lower):
        return "method"
    size = sizes.read_size(lower)
    if size is not None and size.unit:
        return "size"
    return "diagnosis" if _diagnosis(lower) else None


def _kept_size(size: Size, value: float, measurement: str) -> str:
    """The size as typed, kept only when it reads otherwise than the value (``8 mm``, not ``0.8 cm``)."""
    text = sizes.as_typed(size)
    return "" if text == sizes.shown_value(value, measurement) else text


def _size_at(typed: list[str], start: int) -> tuple[Size | None, int, bool]:
    """A size typed in one to four words from ``start`` (``8``, ``8 mm``, ``8 x 6 mm``): the size, the
    position after it, and whether it was written with a decimal comma (then the size is ``None``)."""
    for end in range(min(len(typed), start + sizes.MOST_WORDS), start, -1):
        pieces = typed[start:end]
        if any(_runs_on(a, b) for a, b in itertools.pairwise(pieces)):
            continue  # "2 3mm" is two words, never 23 mm
        joined = "".join(pieces)
        size = sizes.read_size(joined)
        if size is not None:
            return size, end, False
        if sizes.has_decimal_comma(joined):
            return None, end, True
    return None, start, False


def _runs_on(first: str, second: str) -> bool:
    """True when two words would join into one number (``2`` then ``3mm``)."""
    return first[-1:].isdigit() and (second[:1].isdigit() or second[:1] in ".,")


def _read_words(line: _Line, start: int) -> None:
    """Read the optional words from ``start`` on into ``line``, noting every problem."""
    typed = line.typed
    position = start
    while position < len(typed):
        size, end, comma = _size_at(typed, position)
        if comma:
            shown = " ".join(typed[position:end])
            line.problem(
                position,
                f"{line.where(position, end)} has a decimal comma; write {shown.replace(',', '.')} "
                "with a decimal point.",
            )
            position = end
            continue
        if size is not None:
            if not size.unit:
                line.unitless.append((position, end, size))
            elif line.size is not None:
                line.problem(
                    position, f"{line.where(position, end)} is a second size; type one size per line."
                )
            else:
                line.size, line.size_typed = size, " ".join(typed[position:end])
                line.size_at = (position, end)
            position = end
            continue
        phrase = sites.phrase_at(typed, position)
        if phrase is not None:
            _note_site(line, phrase)
            position = phrase.end
            continue
        word = typed[position].lower()
        if method := _method(word):
            if line.method is not None:
                line.problem(
                    position, f"{line.where(position)} is a second method; type one method per line."
                )
            line.method = line.method or method
        elif diagnosis := _diagnosis(word):
            if line.diagnosis is not None:
                line.problem(
                    position, f"{line.where(position)} is a second diagnosis; type one diagnosis per line."
                )
            line.diagnosis = line.diagnosis or diagnosis
        elif _is_unit(word):
            line.problem(
                position, f"{line.where(position)} is a unit without a number; type the size as 8mm."
            )
        else:
            line.unknown.append(position)
            hint = _suggestion(
                word, [*(w.word for w in sites.table().words), *METHOD_WORDS, *known_methods()]
            )
            line.problem(
                position, f"{line.where(position)} is not a site, method, diagnosis code or size.{hint}"
            )
        position += 1
    # a side or position word just before a word that could not be read belongs to it: one problem
    line.problems = [
        (p, text) for p, text in line.problems if not (text.endswith(_NO_SITE) and p + 1 in line.unknown)
    ]


_NO_SITE = "but no site word goes with it; type it with the site, for example left cheek."


def _note_site(line: _Line, phrase: sites.Phrase) -> None:
    where = line.where(phrase.start, phrase.end)
    if phrase.reading is None and not phrase.sites:
        line.problem(phrase.start, f"{where} says where on the body, {_NO_SITE}")
    elif phrase.reading is None:
        named = "; ".join(f"{w.word} is {sites.site_label(w.site)}" for w in phrase.sites)
        line.problem(phrase.start, f"{where} names two sites ({named}); type one site per line.")
    elif line.site is not None:
        line.problem(phrase.start, f"{where} is a second site; type one site per line.")
    else:
        line.site = phrase.reading


def _is_unit(word: str) -> bool:
    return word in sizes.UNITS or word in ("sq", "x", "×")


def _units_for(size: Size) -> str:
    """``type 8mm or 8cm for a diameter, or 8cm2 for an area`` (the typed numbers, never others)."""
    if size.several:
        return f"type {size.compact('mm')} or {size.compact('cm')} for a diameter"
    diameter = f"type {size.compact('mm')} or {size.compact('cm')} for a diameter"
    return f"{diameter}, or {size.compact('cm²')} for an area"


def _check_size(line: _Line, kind: kinds.Kind, defaults: QuickEntryDefaults) -> None:
    """The size (or the number without a unit) against what ``kind`` measures."""
    needs = kind.measurement
    site = line.site.site if line.site is not None else defaults.site
    for position, end, size in line.unitless:
        line.problem(position, _unitless(line.where(position, end), size, needs, site))
    if line.size is None:
        return
    where = line.where(*line.size_at)
    if line.size.measurement == "diameter_cm" and needs != "diameter_cm":
        line.problem(
            line.size_at[0],
            f"{where} is a diameter, which only {_needing('diameter_cm')} lesions need; remove it"
            + (" or type the area with cm2, for example 12cm2." if needs == "area_sq_cm" else "."),
        )
    elif line.size.measurement == "area_sq_cm" and needs != "area_sq_cm":
        line.problem(
            line.size_at[0],
            f"{where} is an area, which only {_needing('area_sq_cm')} lesions need; remove it.",
        )
    elif line.size.in_cm() <= 0:
        what = "diameter" if needs == "diameter_cm" else "area"
        line.problem(line.size_at[0], f"The {what} {line.size_typed} must be more than zero.")


def _unitless(where: str, size: Size, needs: str | None, site: str) -> str:
    """The problem of a number typed without a unit: each reading with the code it would give."""
    if needs == "diameter_cm":
        readings = [_diameter_reading(size, unit, site) for unit in ("mm", "cm")]
        return (
            f"{where} needs a unit: read as {size.text('mm')} {readings[0]}; read as {size.text('cm')} "
            f"{readings[1]}. Type {size.compact('mm')} or {size.compact('cm')}."
        )
    if needs == "area_sq_cm" and not size.several:
        band = families.area_band(size.in_cm("cm²"))
        zero = size.in_cm("cm²") <= 0
        reading = "it is not an area (it must be more than zero)" if zero else f"it is coded {band.code}"
        return f"{where} needs a unit: read as {size.text('cm²')} {reading}. Type {size.compact('cm²')}."
    if needs == "area_sq_cm":
        return f"{where} is a diameter without a unit; vascular lesions need the area treated, such as 12cm2."
    return f"{where} is a number without a unit, and these lesions need no size; remove it."


def _diameter_reading(size: Size, unit: str, site: str) -> str:
    value = size.in_cm(unit)
    limit = tables.lesion_coding().limits.max_diameter_cm
    if value <= 0:
        return "it is not a diameter (it must be more than zero)"
    if value > limit:
        return "it is too large for a lesion's diameter"
    return f"it is coded {malignant_code(site, value)}"


def malignant_code(site: str, diameter_cm: Decimal) -> str:
    """The malignant destruction code of one lesion of ``diameter_cm`` at the contract ``site``."""
    coding = tables.lesion_coding()
    group = coding.malignant_groups[coding.sites[site].malignant_group]
    return group.codes[families.diameter_band(diameter_cm)]


def size_question(group: LesionGroup) -> str:
    """The question to ask before a size in the largest band is kept, or ``""``.

    A malignant diameter over 4.0 cm, or a vascular area over 50.0 sq cm, is the largest (best paid)
    band; a size in mm typed with cm lands there, so the window asks. The question repeats the size
    as typed and, for cm, what the same number in mm would be coded (never another number).
    """
    coding = tables.lesion_coding()
    needs = kinds.kind(group.kind).measurement
    if needs == "diameter_cm" and group.diameter_cm is not None and group.site in coding.sites:
        value = Decimal(repr(float(group.diameter_cm)))
        if families.diameter_band(value) != len(coding.diameter_bands) - 1:
            return ""
        shown = size_text(group)
        typed = sizes.typed_matches(group.typed_size, group.diameter_cm, needs) or sizes.read_size(
            sizes.shown_value(group.diameter_cm, needs)
        )
        other = ""
        if typed is not None and typed.unit == "cm":
            as_mm = malignant_code(group.site, typed.in_cm("mm"))
            other = f" If the chart says {typed.text('mm')}, type {typed.compact('mm')} ({as_mm})."
        return (
            f"{shown} is {coding.diameter_bands[-1].label}, the largest size band: it is coded "
            f"{malignant_code(group.site, value)}. Is that the diameter in the chart?{other}"
        )
    if needs == "area_sq_cm" and group.area_sq_cm is not None:
        band = families.area_band(Decimal(repr(float(group.area_sq_cm))))
        if band != coding.vascular_bands[-1]:
            return ""
        return (
            f"{size_text(group)} is {band.label}, the largest area band: it is coded {band.code}. "
            "Is that the area treated in the chart?"
        )
    return ""


def _raise_problems(line: _Line) -> None:
    if not line.problems:
        return
    texts = [text for _, text in sorted(line.problems, key=lambda p: p[0])]
    tail = f" {_EXPECTED}" if line.unknown else ""
    if len(texts) == 1:
        raise _error(texts[0] + tail)
    raise _error(f"{len(texts)} things in this line need fixing. " + " ".join(texts) + tail)


def _needing(measurement: str) -> str:
    """``malignant`` (or ``a or b``): the kinds that need ``measurement``."""
    return " or ".join(kinds.names_measuring(measurement))


def format_quick_entry(group: LesionGroup) -> str:
    """The line that reads back as ``group`` (used to show a stored group in quick-entry words)."""
    short_kind = kinds.kind(group.kind).short_word  # a kind word, never a type's: it sets no diagnosis
    reading = sites.read_site(group.typed_site) if group.typed_site else None
    site = group.typed_site if reading is not None and reading.site == group.site else group.site
    words = [str(group.count), short_kind, site, group.method]
    if group.diagnosis:
        words.append(group.diagnosis)
    for value, measurement in ((group.diameter_cm, "diameter_cm"), (group.area_sq_cm, "area_sq_cm")):
        if value is not None:
            typed = sizes.typed_matches(group.typed_size, value, measurement)
            words.append(typed.compact() if typed else sizes.shown_value(value, measurement).replace(" ", ""))
    return " ".join(words).replace("cm²", "cm2")


#: the fields of a lesion group a person can change in the lesion table
EDITABLE_FIELDS = ("kind", "count", "site", "method", "size", "diagnosis")


def edit_group(group: LesionGroup, field_name: str, text: str) -> LesionGroup:
    """``group`` with one field changed from typed ``text`` (the lesion table's in-place edit).

    The site takes site words (``left cheek``, from the site picker or typed): the words are kept and
    the site they name is coded; the site's own name (a drop-down of the contract sites) for the site
    the group already has keeps the words. The size takes ``8mm``, ``0.8 cm``, ``8x6 mm``, ``12cm2``; a
    diameter without a unit is refused with both readings. After a size edit, :func:`size_question`
    says whether to ask before keeping it. Raises ``InputError`` that names the field and what is
    expected; ``group`` is never changed.
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
        keeps = new_kind.measurement == kinds.kind(group.kind).measurement
        return replace(
            group,
            kind=LesionKind(new_kind.name),
            diameter_cm=group.diameter_cm if new_kind.measurement == "diameter_cm" else None,
            area_sq_cm=group.area_sq_cm if new_kind.measurement == "area_sq_cm" else None,
            typed_size=group.typed_size if keeps else "",
        )
    if field_name == "site":
        return _edit_site(group, text)
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
            example = kinds.example_diagnosis(group.kind)
            raise _error(f"Diagnosis: “{text.strip()}” is not an ICD-10-CM code; type one such as {example}.")
        return replace(group, diagnosis=diagnosis)
    if field_name == "size":
        return _edit_size(group, word, text.strip())
    raise ValueError(f"{label} cannot be edited")


def _edit_site(group: LesionGroup, text: str) -> LesionGroup:
    typed = " ".join(text.split())
    reading = sites.read_site(typed)
    if reading is None:
        hint = ""
        unknown = [w for w in typed.split() if sites.lookup(w) is None and not sites.is_modifier(w)]
        close = sites.suggestion(unknown[0]) if unknown else None
        if close:
            hint = f" Did you mean “{close}”?"
        raise _error(
            f"Site: “{typed}” is not a site; type site words such as left cheek, upper back or nose "
            f"(each is coded as one of {', '.join(sites.site_label(s) for s in known_sites())}).{hint}"
        )
    if reading.site == group.site and not reading.says_more:
        return group  # the same site picked again keeps the words typed for it
    return replace(group, site=reading.site, typed_site=reading.words if reading.says_more else "")


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
        return replace(group, diameter_cm=None, area_sq_cm=None, typed_size="")
    size = sizes.read_size(word)
    if needs == "diameter_cm":
        if size is not None and not size.unit:
            raise _error("Size: " + _unitless(f"“{typed}”", size, needs, group.site))
        if size is None or size.measurement != "diameter_cm" or size.in_cm() <= 0:
            comma = " Write the decimal with a point." if sizes.has_decimal_comma(word) else ""
            raise _error(
                f"Size: “{typed}” is not a diameter; type it with its unit, for example 8mm or 0.8cm.{comma}"
            )
        value = float(size.in_cm())
        return replace(group, diameter_cm=value, typed_size=_kept_size(size, value, needs))
    if size is not None and not size.unit and not size.several:
        size = Size(size.numbers, "cm²")  # an area has one unit: a bare number is square cm
    if size is None or size.measurement != "area_sq_cm" or size.in_cm() <= 0:
        raise _error(f"Size: “{typed}” is not an area; type it in square cm, for example 12cm2.")
    value = float(size.in_cm())
    return replace(group, area_sq_cm=value, typed_size=_kept_size(size, value, needs))


def size_text(group: LesionGroup) -> str:
    """``8 mm``, ``8 × 6 mm``, ``0.8 cm`` or ``12 cm²``: the size as typed while it still says the
    coded value, else the value; empty when the group has no size."""
    for value, measurement in ((group.diameter_cm, "diameter_cm"), (group.area_sq_cm, "area_sq_cm")):
        if value is not None:
            typed = sizes.typed_matches(group.typed_size, value, measurement)
            return typed.text() if typed is not None else sizes.shown_value(value, measurement)
    return ""


def site_text(group: LesionGroup) -> str:
    """``left cheek (face)``: the site words as typed with the site they are coded as; the site alone
    (``face``, ``mucous membrane``) when no words were typed or they no longer name that site."""
    label = sites.site_label(group.site)
    reading = sites.read_site(group.typed_site) if group.typed_site else None
    if reading is None or reading.site != group.site or not reading.says_more:
        return label
    return f"{reading.words} ({label})"
