"""Diagnoses: is each lesion's ICD-10-CM code billable, does it fit the lesion kind, and the claim list.

The code set itself lives in ``core.icd10``; it is reached through the small ``Icd10Source`` protocol so
tests can hand in a tiny fake. The claim holds at most 12 diagnoses (A–L) and each line points at
most at 4 of them, the most relevant first.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.coding import kinds, rules
from core.coding.model import LesionGroup, Message, Severity

MAX_DIAGNOSES = 12
MAX_POINTERS = 4
#: CMS-1500 item 21 holds at most twelve diagnoses, lettered A–L; lines point at them by letter (the one
#: declaration: the engine, the store and the superbill read it here)
LETTERS = "ABCDEFGHIJKL"


TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:  # the protocols serve type checking only (no code asks isinstance of them)
    from typing import Protocol

    class Icd10Record(Protocol):
        """What the engine reads from an ICD-10-CM record."""

        @property
        def code(self) -> str: ...

        @property
        def description(self) -> str: ...

        @property
        def billable(self) -> bool: ...

    class Icd10Source(Protocol):
        """The ICD-10-CM questions the engine asks (``core.icd10`` answers them)."""

        def normalize(self, code: str) -> str: ...

        def lookup(self, code: str) -> Icd10Record | None: ...

        def search(self, query: str, limit: int = 20) -> Sequence[Icd10Record]: ...


class _CoreIcd10:
    """``core.icd10``, imported on the first question (an E/M-only visit never loads the code set)."""

    def normalize(self, code: str) -> str:
        from core import icd10

        return icd10.normalize(code)

    def lookup(self, code: str) -> Icd10Record | None:
        from core import icd10

        return icd10.lookup(code)

    def search(self, query: str, limit: int = 20) -> Sequence[Icd10Record]:
        from core import icd10

        return icd10.search(query, limit)


class Remembering:
    """An ``Icd10Source`` that answers each lookup once (one encounter asks about a code twice)."""

    def __init__(self, source: Icd10Source) -> None:
        self._source = source
        self._found: dict[str, Icd10Record | None] = {}

    def normalize(self, code: str) -> str:
        return self._source.normalize(code)

    def lookup(self, code: str) -> Icd10Record | None:
        if code not in self._found:
            self._found[code] = self._source.lookup(code)
        return self._found[code]

    def search(self, query: str, limit: int = 20) -> Sequence[Icd10Record]:
        return self._source.search(query, limit)


def default_source() -> Icd10Source:
    """The full ICD-10-CM code set of ``core.icd10``."""
    return _CoreIcd10()


def check_diagnosis(
    value: str, field: str, icd: Icd10Source, kind: str | None = None
) -> tuple[str | None, tuple[Message, ...]]:
    """The dotted code when ``value`` is a billable ICD-10-CM code, else ``None`` and an error whose
    example code fits ``kind`` (``C44.311`` for a malignant lesion, never an actinic keratosis's)."""
    example = kinds.example_diagnosis(kind if kind in kinds.declaration().names() else None)
    if not value.strip():
        return None, (
            _invalid(
                field,
                f"The diagnosis is empty. Enter the ICD-10-CM code from the chart, for example {example}.",
            ),
        )
    written = icd.normalize(value)
    record = icd.lookup(written)
    if record is None:
        return None, (
            _invalid(
                field,
                f"“{value.strip()}” is not an ICD-10-CM code. Check the code on the "
                f"chart (for example {example}).",
            ),
        )
    if not record.billable:
        more = [r.code for r in icd.search(record.code, limit=6) if r.billable][:3]
        hint = f", such as {_or_list(more)}" if more else ""
        return None, (
            _invalid(
                field,
                f"{record.code} ({record.description}) is a heading, not a complete "
                f"code, so it cannot be billed. Pick a more specific code under it{hint}.",
            ),
        )
    return record.code, ()


def _or_list(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " or " + codes[-1]


def _invalid(field: str, text: str) -> Message:
    return Message(Severity.ERROR, rules.INVALID_DIAGNOSIS, field, text)


def support_message(lesion: LesionGroup, code: str, field: str) -> Message | None:
    """A ``DIAGNOSIS_MISMATCH`` warning when the dotted ``code`` does not fit the lesion's kind."""
    declared = kinds.declaration()
    for caution in declared.cautions:
        if code.startswith(caution.prefix):
            return _mismatch(field, f"{code} on this entry: {caution.note}")
    kind = declared.kind(lesion.kind)
    by_site = kind.diagnoses.site_rule(code)
    if by_site is not None:
        at_site = lesion.site.strip().lower() in by_site.sites
        if by_site.supports == at_site:
            return None
        return _mismatch(
            field,
            f"{code} does not fit {kind.plural} on the {lesion.site.replace('_', ' ')}: "
            f"{by_site.note} Check the site and the diagnosis on the chart.",
        )
    if kind.diagnoses.supported(code):
        return None
    uncertain = kind.diagnoses.debated(code)
    if uncertain is not None:
        return _mismatch(
            field,
            f"{code} may not support destruction of {kind.described}: "
            f"{uncertain.note} Check that the kind and the diagnosis agree.",
        )
    fits = [k for k in declared.kinds if k.diagnoses.supported(code)]
    where = f" It is a diagnosis for {fits[0].described}." if fits else ""
    return _mismatch(
        field,
        f"{code} does not support destruction of {kind.described}.{where} "
        "Check the kind of lesion and the diagnosis on the chart.",
    )


def _mismatch(field: str, text: str) -> Message:
    return Message(Severity.WARNING, rules.DIAGNOSIS_MISMATCH, field, text)


def claim_order(diagnoses: Sequence[str]) -> tuple[str, ...]:
    """The distinct codes in order of first entry (``A`` is the first lesion's diagnosis)."""
    return tuple(dict.fromkeys(diagnoses))


def pointers(weights: dict[str, int], claim: Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """Pointer letters for one line, heaviest diagnosis first (then claim order); True if cut to 4."""
    ranked = sorted(weights, key=lambda code: (-weights[code], claim.index(code)))
    letters = tuple(LETTERS[claim.index(code)] for code in ranked[:MAX_POINTERS])
    return letters, len(ranked) > MAX_POINTERS
