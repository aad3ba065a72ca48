"""Lesion kinds and lesion types, declared once in ``resources/codes/lesion_kinds.json``.

A *kind* is the contract's word (``premalignant``, ``benign``…): it picks the CPT family, the one
measurement the kind needs, the labels on the screen and on paper, the diagnoses that support it and
a default diagnosis where one code is sensible. A *type* is a lesion the front desk names (a plantar
wart, an irritated seborrheic keratosis): its words set the kind and the diagnosis together.

The quick-entry parser, the coding engine, the window and the superbill read this module; nothing
else lists kinds. ``core.coding.model.LesionKind`` stays an enum for type checking, and this module
refuses to load when the enum and the file disagree (adding a kind is the data file plus that enum).
Tests can read another declaration with :func:`load` and make it the active one with :func:`using`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache

from core.coding import tables
from core.coding.model import LesionKind
from core.record import Record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any

FILE = "lesion_kinds.json"

#: the measurements a kind may need (the LesionGroup fields)
MEASUREMENTS = ("diameter_cm", "area_sq_cm")


class KindDeclarationError(ValueError):
    """The lesion-kind declaration is inconsistent (a programming or packaging error, not user input)."""


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class UncertainDiagnosis(Record):
    """A diagnosis prefix whose fit is debated (or always worth a caution), with why."""

    prefix: str
    note: str


class SiteRule(Record):
    """Diagnosis prefixes whose fit depends on the site: with ``supports`` true they support the kind
    only at ``sites``; with false they do not support it at ``sites`` (an ICD-10-CM exclusion)."""

    prefixes: tuple[str, ...]
    sites: tuple[str, ...]
    supports: bool
    note: str
    source: str
    confidence: str

    def covers(self, code: str) -> bool:
        return any(code.startswith(p) for p in self.prefixes)


class DiagnosisSupport(Record):
    """Which dotted-code prefixes support one kind, which are debated, and which depend on the site."""

    supports: tuple[str, ...]
    uncertain: tuple[UncertainDiagnosis, ...]
    by_site: tuple[SiteRule, ...] = ()

    def site_rule(self, code: str) -> SiteRule | None:
        """The site-dependent rule ``code`` falls under, if any."""
        return next((r for r in self.by_site if r.covers(code)), None)

    def supported(self, code: str) -> bool:
        """True when ``code`` starts with one of the supporting prefixes."""
        return any(code.startswith(p) for p in self.supports)

    def debated(self, code: str) -> UncertainDiagnosis | None:
        """The debated prefix ``code`` falls under, if any."""
        return next((u for u in self.uncertain if code.startswith(u.prefix)), None)


class ExampleDiagnosis(Record):
    """The code a message gives as an example for one kind (``C44.311``, ``a basal cell carcinoma of
    the nose``), with its ICD-10-CM source."""

    code: str
    what: str
    source: str

    @property
    def phrase(self) -> str:
        """``C44.311 for a basal cell carcinoma of the nose``."""
        return f"{self.code} for {self.what}"


class Kind(Record):
    """One lesion kind of the contract."""

    name: str
    words: tuple[str, ...]
    screen_label: str
    count_labels: tuple[str, str]
    paper_label: str
    plural: str
    example: str | None
    family: str
    measurement: str | None
    coverage_reminder: bool
    default_diagnosis: str | None
    diagnoses: DiagnosisSupport
    example_diagnosis: ExampleDiagnosis

    @property
    def short_word(self) -> str:
        """The quick-entry word a stored group of this kind is written back with."""
        return self.words[0]

    def counted(self, count: int) -> str:
        """``4 skin tags``, ``1 skin tag``, ``12 premalignant``: the day sheet's short count."""
        return f"{count} {self.count_labels[0] if count == 1 else self.count_labels[1]}"

    @property
    def described(self) -> str:
        """``premalignant lesions (such as actinic keratoses)``: how messages name the kind."""
        return f"{self.plural} (such as {self.example})" if self.example else self.plural


class LesionType(Record):
    """A lesion the front desk names: its words set ``kind`` and ``diagnosis`` together.

    ``diagnosis`` is ``None`` when no single code fits (the code depends on the site): then no default
    applies and the code must be typed.
    """

    name: str
    kind: str
    label: str
    words: tuple[str, ...]
    diagnosis: str | None
    confidence: str
    source: str


class Declaration(Record):
    """Every kind (in coding order), every type, and the cautions that apply to any kind."""

    kinds: tuple[Kind, ...]
    types: tuple[LesionType, ...]
    cautions: tuple[UncertainDiagnosis, ...]

    def names(self) -> tuple[str, ...]:
        """The contract words of the kinds, in declaration order."""
        return tuple(k.name for k in self.kinds)

    def kind(self, name: str) -> Kind:
        """The kind called ``name`` (a ``LesionKind`` or its value); ``KeyError`` when unknown."""
        for kind in self.kinds:
            if kind.name == name:
                return kind
        raise KeyError(name)

    def lookup(self, phrase: str) -> tuple[Kind, LesionType | None] | None:
        """The kind (and type, for a type word) that a quick-entry phrase names, else ``None``.

        ``phrase`` is matched ignoring case and extra spaces (``Plantar  Wart`` = ``plantar wart``).
        """
        return _word_table(self).get(normal_phrase(phrase))

    def words(self) -> tuple[str, ...]:
        """Every kind and type word, kind words first."""
        return tuple(_word_table(self))

    @property
    def longest_phrase(self) -> int:
        """The most words one kind or type phrase has."""
        return max(len(w.split()) for w in _word_table(self))


def normal_phrase(phrase: str) -> str:
    """Lower case, single spaces."""
    return " ".join(phrase.lower().split())


@cache
def _word_table(declaration: Declaration) -> dict[str, tuple[Kind, LesionType | None]]:
    table: dict[str, tuple[Kind, LesionType | None]] = {}
    for kind in declaration.kinds:
        for word in kind.words:
            table[normal_phrase(word)] = (kind, None)
    for lesion_type in declaration.types:
        for word in lesion_type.words:
            table[normal_phrase(word)] = (declaration.kind(lesion_type.kind), lesion_type)
    return table


def _uncertain(rows: list[Mapping[str, str]]) -> tuple[UncertainDiagnosis, ...]:
    return tuple(UncertainDiagnosis(r["prefix"], r["note"]) for r in rows)


def _site_rules(rows: Sequence[Mapping[str, Any]]) -> tuple[SiteRule, ...]:
    return tuple(
        SiteRule(
            prefixes=tuple(r["prefixes"]),
            sites=tuple(r["sites"]),
            supports=bool(r["supports"]),
            note=r["note"],
            source=r["source"],
            confidence=r["confidence"],
        )
        for r in rows
    )


def load(data: Mapping[str, Any]) -> Declaration:
    """A declaration from the parsed JSON, checked; ``KindDeclarationError`` says what is wrong."""
    kinds = []
    for row in data["kinds"]:
        default = row["default_diagnosis"]
        kinds.append(
            Kind(
                name=row["kind"],
                words=tuple(row["words"]),
                screen_label=row["screen_label"],
                count_labels=(row["count_labels"][0], row["count_labels"][1]),
                paper_label=row["paper_label"],
                plural=row["plural"],
                example=row.get("example"),
                family=row["family"],
                measurement=row["measurement"],
                coverage_reminder=row["coverage_reminder"],
                default_diagnosis=default["code"] if default else None,
                diagnoses=DiagnosisSupport(
                    tuple(row["diagnoses"]["supports"]),
                    _uncertain(row["diagnoses"]["uncertain"]),
                    _site_rules(row["diagnoses"].get("by_site", ())),
                ),
                example_diagnosis=ExampleDiagnosis(**row["example_diagnosis"]),
            )
        )
    types = tuple(
        LesionType(
            name=row["type"],
            kind=row["kind"],
            label=row["label"],
            words=tuple(row["words"]),
            diagnosis=row["diagnosis"],
            confidence=row["confidence"],
            source=row["source"],
        )
        for row in data["types"]
    )
    declaration = Declaration(tuple(kinds), types, _uncertain(data["cautions"]))
    _check(declaration)
    return declaration


def _check(declaration: Declaration) -> None:
    problems: list[str] = []
    names = declaration.names()
    if not names or len(set(names)) != len(names):
        problems.append(f"kind names must be unique and not empty: {names}")
    type_names = [t.name for t in declaration.types]
    if len(set(type_names)) != len(type_names):
        problems.append("type names must be unique")
    families = {c.family for c in tables.cpt_table().values()}
    seen: dict[str, str] = {}
    owners = [(k.name, k.words) for k in declaration.kinds] + [(t.name, t.words) for t in declaration.types]
    for owner, words in owners:
        if not words:
            problems.append(f"{owner} has no quick-entry word")
        for word in words:
            phrase = normal_phrase(word)
            if phrase != word or not phrase or phrase[0].isdigit():
                problems.append(f"{owner}: the word {word!r} must be lower case, single-spaced, not a number")
            if phrase in seen:
                problems.append(f"the word {word!r} names both {seen[phrase]} and {owner}")
            seen[phrase] = owner
    for kind in declaration.kinds:
        if kind.family not in families:
            problems.append(f"{kind.name}: no CPT code in cpt.json has the family {kind.family!r}")
        if kind.measurement is not None and kind.measurement not in MEASUREMENTS:
            problems.append(f"{kind.name}: the measurement must be one of {MEASUREMENTS} or null")
        labelled = kind.screen_label and all(kind.count_labels) and kind.paper_label and kind.plural
        if not (labelled and kind.diagnoses.supports):
            problems.append(f"{kind.name}: labels, plural and supporting diagnoses are required")
        if not kind.diagnoses.supported(kind.example_diagnosis.code):
            problems.append(f"{kind.name}: the example diagnosis must be a code that supports the kind")
    for lesion_type in declaration.types:
        if lesion_type.kind not in names:
            problems.append(f"type {lesion_type.name}: unknown kind {lesion_type.kind!r}")
    if problems:
        raise KindDeclarationError("lesion_kinds.json: " + "; ".join(problems))


def check_enum(declaration: Declaration) -> None:
    """``KindDeclarationError`` unless ``LesionKind`` lists exactly the declared kinds, in order."""
    enum = tuple(k.value for k in LesionKind)
    if enum != declaration.names():
        raise KindDeclarationError(
            f"LesionKind in core/coding/model.py lists {enum}, but resources/codes/{FILE} declares "
            f"{declaration.names()}: add or remove the member in core/coding/model.py to match."
        )


@cache
def shipped() -> Declaration:
    """The declaration that ships with the program (read once)."""
    return load(tables.read_table(FILE))


_override: list[Declaration] = []


def declaration() -> Declaration:
    """The active declaration: the shipped one, unless a test made another active with ``using``."""
    return _override[-1] if _override else shipped()


@contextmanager
def using(other: Declaration) -> Iterator[Declaration]:
    """Make ``other`` the active declaration inside the ``with`` block (for tests)."""
    _override.append(other)
    try:
        yield other
    finally:
        _override.pop()


def kind(name: str) -> Kind:
    """The active declaration's kind called ``name``."""
    return declaration().kind(name)


def all_kinds() -> tuple[Kind, ...]:
    """The active declaration's kinds, in coding order."""
    return declaration().kinds


def example_diagnosis(name: str | None = None) -> str:
    """``C44.311 for a basal cell carcinoma of the nose``: the example a message gives for a code of
    the kind ``name`` (the first kind's when the kind is not known)."""
    chosen = declaration().kind(name) if name else declaration().kinds[0]
    return chosen.example_diagnosis.phrase


def names_measuring(measurement: str) -> tuple[str, ...]:
    """The kinds that need ``measurement`` (``diameter_cm`` → ``("malignant",)``)."""
    return tuple(k.name for k in declaration().kinds if k.measurement == measurement)


check_enum(shipped())
