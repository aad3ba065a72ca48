"""The coding engine: lesions in, CPT lines with units, modifiers and diagnosis pointers out.

Public surface: ``code_encounter(encounter, settings) -> CodingResult``, ``CodingSettings`` and the
dataclasses in ``core.coding.model``. Pure: no I/O beyond the packaged code tables, no clock.
JSON conversion for the command line lives in ``core.coding.parse`` and ``core.coding.output``.
"""

from core.coding.engine import code_encounter
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
from core.coding.settings import CodingSettings

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
