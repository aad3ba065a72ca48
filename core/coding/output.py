"""JSON out: the coding result as the plain dict of the contract (docs/cli.md)."""

from __future__ import annotations

from core.coding.model import CodedLine, CodingResult, Message

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any


def line_to_json(line: CodedLine) -> dict[str, Any]:
    """One claim line: cpt, units, modifiers, diagnosis_pointers, description, why."""
    return {
        "cpt": line.cpt,
        "units": line.units,
        "modifiers": list(line.modifiers),
        "diagnosis_pointers": list(line.diagnosis_pointers),
        "description": line.description,
        "why": line.why,
    }


def message_to_json(message: Message) -> dict[str, Any]:
    """One finding: severity, rule, field (or null), text."""
    return {
        "severity": message.severity.value,
        "rule": message.rule,
        "field": message.field,
        "text": message.text,
    }


def result_to_json(result: CodingResult) -> dict[str, Any]:
    """The whole result; ``lines`` and ``diagnoses`` are empty when any message is an error."""
    return {
        "lines": [line_to_json(line) for line in result.lines],
        "diagnoses": list(result.diagnoses),
        "messages": [message_to_json(m) for m in result.messages],
    }
