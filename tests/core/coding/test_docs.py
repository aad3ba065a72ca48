"""docs/cli.md and the engine say the same thing: rule table, input fields and allowed words."""

from __future__ import annotations

import json
import re
from pathlib import Path

from core.coding import LesionKind, rules, tables
from core.coding.example import example_encounter
from core.coding.parse import ENCOUNTER_FIELDS, LESION_FIELDS

ROOT = Path(__file__).resolve().parents[3]
CLI = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

#: the contract's own fourteen identifiers (the engine may add more, never drop these)
CONTRACT_RULES = (
    "INVALID_INPUT",
    "INVALID_COUNT",
    "INVALID_DATE",
    "INVALID_POS",
    "INVALID_DIAGNOSIS",
    "MISSING_MEASUREMENT",
    "DIAGNOSIS_MISMATCH",
    "UNITS_OVER_MUE",
    "EM_SAME_DAY",
    "DISTINCT_PROCEDURE",
    "NOTHING_TO_BILL",
    "IN_GLOBAL_PERIOD",
    "COVERAGE_REMINDER",
    "SITE_SPECIFIC_CODE",
)


def _section(title: str) -> str:
    return CLI.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _table_rows(section: str) -> list[list[str]]:
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_rule_table_equals_the_engine_rules() -> None:
    documented = [(cells[0].strip("`"), cells[1]) for cells in _table_rows(_section("Rule identifiers"))]
    assert documented == [(r.id, r.severity) for r in rules.RULES]


def test_every_rule_constant_is_in_the_table() -> None:
    constants = {value for name, value in vars(rules).items() if name.isupper() and isinstance(value, str)}
    assert constants == rules.RULE_IDS


def test_the_contract_rules_keep_their_place() -> None:
    assert tuple(r.id for r in rules.RULES[: len(CONTRACT_RULES)]) == CONTRACT_RULES


def test_input_fields_are_the_parser_fields() -> None:
    names = [cells[0].strip("`") for cells in _table_rows(_section("Input: one encounter"))]
    top = [n for n in names if not n.startswith("lesions[]")]
    assert top == list(ENCOUNTER_FIELDS)
    assert [n.removeprefix("lesions[].") for n in names if n.startswith("lesions[].")] == list(LESION_FIELDS)


def _words_in_row(field: str) -> list[str]:
    rows = {cells[0].strip("`"): cells[2] for cells in _table_rows(_section("Input: one encounter"))}
    return re.findall(r"`([a-z_]+)`", rows[field])


def test_documented_words_are_the_table_words() -> None:
    coding = tables.lesion_coding()
    assert _words_in_row("lesions[].kind") == [k.value for k in LesionKind]
    assert _words_in_row("lesions[].site") == list(coding.sites)
    assert _words_in_row("lesions[].method") == list(coding.methods)
    assert list(dict.fromkeys(_words_in_row("payer"))) == list(tables.payer_table())


def test_the_input_example_is_the_shared_example() -> None:
    block = _section("Input: one encounter").split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(block) == example_encounter()
