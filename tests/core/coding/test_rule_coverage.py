"""Every rule in the table fires for some input: no rule id is dead, none is missing from the table."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.coding import CodingSettings, code_encounter, rules
from core.coding.parse import encounter_from_json
from core.commands.code import code_json
from tests.core.coding.builders import FITTING_DIAGNOSIS, THIRTEEN_DIAGNOSES

TODAY = date(2026, 11, 27)


def entry(kind: str, count: int = 1, **extra: Any) -> dict[str, Any]:
    diagnosis = FITTING_DIAGNOSIS[kind]
    return {"kind": kind, "count": count, "site": "face", "method": "laser", "diagnosis": diagnosis, **extra}


def visit(*lesions: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"date_of_service": "2026-11-27", "place_of_service": "11", "lesions": list(lesions), **top}


SCENARIOS: list[dict[str, Any]] = [
    visit(entry("premalignant", 2), em_code="99213"),
    visit(entry("premalignant", 2), colour="red"),
    visit(entry("premalignant", 0)),
    visit(entry("premalignant"), date_of_service="2026-02-30"),
    visit(entry("premalignant"), place_of_service="00"),
    visit(dict(entry("premalignant"), diagnosis="L57")),
    visit(entry("malignant")),
    visit(dict(entry("premalignant"), diagnosis="L82.1")),
    visit(em_code=None),
    visit(entry("premalignant", 3), prior_services=[{"date_of_service": "2026-11-20", "cpt": "17000"}]),
    visit(entry("premalignant", 3), prior_services=[{"date_of_service": "2026-11-20", "cpt": "11102"}]),
    visit(entry("premalignant", 3), entry("malignant", diameter_cm=0.8)),
    visit(entry("premalignant", 3), entry("benign", 2)),
    visit(dict(entry("benign"), site="eyelid")),
    visit(*[dict(entry("benign"), diagnosis=c) for c in THIRTEEN_DIAGNOSES[:5]]),
    visit(*[dict(entry("benign"), diagnosis=c) for c in THIRTEEN_DIAGNOSES]),
    visit(em_code="99212"),
    visit(entry("malignant", diameter_cm=0.55)),
    visit(entry("premalignant", area_sq_cm=3.0)),
    visit(entry("premalignant", 1001)),
    visit(entry("vascular", area_sq_cm=20000.0)),
    visit(entry("malignant", diameter_cm=8.0)),
    visit(entry("vascular", area_sq_cm=12.0), em_code="99213", decision_for_surgery=True),
]

#: scenarios for a payer that wants modifier 51 (no payer in the shipped table does by default)
WITH_51: list[dict[str, Any]] = [
    # 17110 is the main procedure; 11200 carries 59 (so no 51), 17000 takes 51
    visit(entry("premalignant", 3), entry("skin_tag", 5), entry("benign", 2), payer="aetna"),
    # no fee schedule for 2024: which procedure is primary is not confirmed
    visit(entry("premalignant", 3), entry("benign", 2), payer="aetna", date_of_service="2024-06-03"),
]


def _fired_by_scenarios() -> set[str]:
    fired: set[str] = set()
    with_51 = CodingSettings(modifier_51=True)
    for data, settings in [(d, None) for d in SCENARIOS] + [(d, with_51) for d in WITH_51]:
        encounter, messages = encounter_from_json(data, today=TODAY)
        fired |= {m.rule for m in messages}
        if encounter is not None:
            fired |= {m.rule for m in code_encounter(encounter, settings).messages}
    return fired


def test_every_rule_fires_somewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.coding import tables

    real = tables.mue
    monkeypatch.setattr(
        tables, "mue", lambda code: tables.MueLimit(code, 1, "TEST", "") if code == "17003" else real(code)
    )
    # no shipped CMS pair with modifier indicator 0 is ever billed together: add one
    real_edits = tables.ptp_edits
    never = tables.PtpEdit("17110", "17000", "0", True, "TEST", "", "a test table")
    monkeypatch.setattr(tables, "ptp_edits", lambda on=None: (*real_edits(on), never))
    fired = _fired_by_scenarios()
    monkeypatch.setattr(tables, "mue", real)
    path = tmp_path / "e.json"
    path.write_text(json.dumps(visit(entry("premalignant"))), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "core.coding.reimbursement", None)
    assert code_json(str(path), benchmark=True, today=TODAY) == 2
    fired |= {m["rule"] for m in json.loads(capsys.readouterr().out)["messages"]}
    assert fired == rules.RULE_IDS
