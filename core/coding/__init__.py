"""The coding engine: lesions in, CPT lines with units, modifiers and diagnosis pointers out.

Public surface: ``code_encounter(encounter, settings) -> CodingResult``, ``CodingSettings`` and the
dataclasses in ``core.coding.model``. Pure: no I/O beyond the packaged code tables, no clock.
JSON conversion for the command line lives in ``core.coding.parse`` and ``core.coding.output``.
"""

from __future__ import annotations

from core.coding.model import (
    CodedLine,
    CodingResult,
    Encounter,
    LesionGroup,
    LesionKind,
    Message,
    PriorService,
    Severity,
)

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any

    from core.coding.engine import code_encounter
    from core.coding.settings import CodingSettings


def __getattr__(name: str) -> Any:
    """``code_encounter`` and ``CodingSettings`` load the engine and its code tables when first used:
    a module that needs only the records of ``core.coding.model`` (the store, the window's sign-in
    screen) does not pay for them."""
    if name == "code_encounter":
        from core.coding.engine import code_encounter

        return code_encounter
    if name == "CodingSettings":
        from core.coding.settings import CodingSettings

        return CodingSettings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CodedLine",
    "CodingResult",
    "CodingSettings",
    "Encounter",
    "LesionGroup",
    "LesionKind",
    "Message",
    "PriorService",
    "Severity",
    "code_encounter",
]
