"""``superbill code [FILE|-] [--benchmark]``: one encounter as JSON in, one coding result as JSON out.

Exit status: 0 coded (warnings allowed), 2 rejected (the result's messages hold an error and there are
no lines), 1 only for a bug. Standard output carries the JSON result and nothing else; each error is
also written to standard error in plain words. Imports stay small so the answer comes quickly.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from core.commands.common import EXIT_OK, EXIT_REJECTED, guarded, write_json
from core.json_input import JsonInputError, load_json, lone_surrogate

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    import argparse
    from typing import Any

_REIMBURSEMENT = "core.coding.reimbursement"


class _RejectedInputError(Exception):
    """The input could not be read as JSON; ``text`` says why in plain words."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def run(args: argparse.Namespace) -> int:
    """Entry point called by main.py (which may pass a ``SimpleNamespace`` with the same attributes)."""
    return guarded(lambda: code_json(args.file, benchmark=args.benchmark, today=date.today()))


def code_json(source: str, *, benchmark: bool, today: date) -> int:
    """Code the encounter in ``source`` (a path, or ``-`` for standard input) and print the result."""
    from core.coding import rules
    from core.coding.model import CodingResult, Message, Severity

    def reject(rule: str, text: str) -> int:
        return _emit(CodingResult(messages=(Message(Severity.ERROR, rule, None, text),)), None, EXIT_REJECTED)

    benchmark_json = None
    if benchmark:
        benchmark_json = _benchmark_function()
        if benchmark_json is None:
            return reject(
                rules.BENCHMARK_UNAVAILABLE,
                "The payment benchmark (--benchmark) is not installed in this version of the program. "
                "Run the command without --benchmark.",
            )
    try:
        data = _read_json(source)
    except _RejectedInputError as err:
        return reject(rules.INVALID_INPUT, err.text)

    from core.coding import CodingSettings, code_encounter
    from core.coding.parse import encounter_from_json

    encounter, problems = encounter_from_json(data, today=today)
    if encounter is None:
        return _emit(CodingResult(messages=problems), None, EXIT_REJECTED)
    result = code_encounter(encounter, CodingSettings.for_payer(encounter.payer, today=today))
    if result.has_errors:
        return _emit(result, None, EXIT_REJECTED)
    extra = {"benchmark": benchmark_json(encounter, result)} if benchmark_json is not None else None
    return _emit(result, extra, EXIT_OK)


def _benchmark_function() -> Any:
    """``benchmark_json`` of the reimbursement module, or None when that module is not installed."""
    import importlib

    try:
        module = importlib.import_module(_REIMBURSEMENT)
    except ModuleNotFoundError as err:
        if err.name == _REIMBURSEMENT:
            return None
        raise
    return module.benchmark_json


def _read_json(source: str) -> object:
    """The parsed JSON of a file or of standard input; ``_RejectedInputError`` with a plain reason if not."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise _RejectedInputError(
            f"The file {source} does not exist. Check the name and the folder."
        ) from None
    except IsADirectoryError:
        raise _RejectedInputError(
            f"{source} is a folder, not a file. Give the path of the JSON file."
        ) from None
    except OSError as err:
        raise _RejectedInputError(f"The file {source} cannot be read ({err.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _RejectedInputError(
            "The input is not UTF-8 text. Save the file as UTF-8 and try again."
        ) from None
    try:
        data = load_json(text, subject="The input")
    except JsonInputError as err:
        raise _RejectedInputError(err.text) from None
    broken = lone_surrogate(data)
    if broken is not None:
        raise _RejectedInputError(
            f"{broken} holds a broken character (half of a UTF-16 pair, such as \\ud800), which is not "
            "text. Fix the value in the other program and try again."
        )
    return data


def _emit(result: Any, extra: dict[str, Any] | None, status: int) -> int:
    """Write the result as UTF-8 JSON to standard output and each error to standard error."""
    from core.coding.output import result_to_json

    payload = result_to_json(result)
    if extra:
        payload.update(extra)
    for message in payload["messages"]:
        if message["severity"] == "error":
            where = f"{message['field']}: " if message["field"] else ""
            print(f"superbill: {where}{message['text']}", file=sys.stderr)
    write_json(payload, indent=2)
    return status
