"""Commands sign in as a person (issue 11): `--user` or SUPERBILL_USER/SUPERBILL_PASSWORD; each verb
checks the role in core; `superbill code` needs nobody. Run as real processes with no terminal, as a
script or another program runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.accounts import Role
from core.store import open_store
from tests.signing_in import PASSWORD, USER, open_signed_in

ROOT = Path(__file__).resolve().parents[3]
DAY = {
    "encounters": [
        {
            "patient": {"first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "1950-12-10"},
            "date_of_service": "2026-11-27",
            "place_of_service": "11",
            "lesions": [
                {
                    "kind": "premalignant",
                    "count": 3,
                    "site": "face",
                    "method": "cryosurgery",
                    "diagnosis": "L57.0",
                }
            ],
        }
    ]
}


def superbill(
    *args: str, user: str | None = None, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SUPERBILL_USER", "SUPERBILL_PASSWORD")}
    if user is not None:
        env["SUPERBILL_USER"] = user
    if password is not None:
        env["SUPERBILL_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    """A database with the tests' administrator, a biller and a front-desk person."""
    path = tmp_path / "practice.db"
    with open_signed_in(path) as store:
        store.add_account("bill", PASSWORD, Role.BILLER)
        store.add_account("desk", PASSWORD, Role.FRONT_DESK)
    return path


def test_a_command_on_patient_data_needs_a_person(practice: Path, tmp_path: Path) -> None:
    done = superbill("--db", str(practice), "print", "--date", "11/27/2026")
    assert done.returncode == 2
    assert "--user NAME" in done.stderr and "SUPERBILL_USER" in done.stderr and "Traceback" not in done.stderr


def test_a_wrong_password_is_refused_and_nothing_is_read(practice: Path) -> None:
    done = superbill("--db", str(practice), "print", "--date", "11/27/2026", user=USER, password="not it")
    assert done.returncode == 2 and "do not match" in done.stderr and done.stdout == ""


def test_the_role_decides_in_core(practice: Path, tmp_path: Path) -> None:
    day = tmp_path / "day.json"
    day.write_text(json.dumps(DAY), encoding="utf-8")
    refused = superbill("--db", str(practice), "import", str(day), user="desk", password=PASSWORD)
    assert refused.returncode == 2
    assert "front desk" in refused.stderr and "biller or administrator" in refused.stderr
    assert json.loads(refused.stdout)["imported"] == 0

    imported = superbill("--db", str(practice), "import", str(day), user="bill", password=PASSWORD)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["final"] == 1

    pdf = str(tmp_path / "d.pdf")
    printed = superbill(
        "--db", str(practice), "--user", "desk", "print", "--date", "2026-11-27", "-o", pdf, password=PASSWORD
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr

    assert superbill("--db", str(practice), "verify", user="bill", password=PASSWORD).returncode == 2
    assert superbill("--db", str(practice), "verify", user=USER, password=PASSWORD).returncode == 0
    backup = tmp_path / "copy.db"
    assert (
        superbill("--db", str(practice), "backup", str(backup), user="desk", password=PASSWORD).returncode
        == 0
    )
    restore = superbill("--db", str(practice), "restore", str(backup), user="desk", password=PASSWORD)
    assert restore.returncode == 2 and "administrator" in restore.stderr

    with open_signed_in(practice) as store:
        rows = [(r.who, r.action) for r in store.audit_entries() if r.action in ("print", "create")]
    assert ("bill", "create") in rows and ("desk", "print") in rows  # the log names who did it


def test_a_new_database_made_by_a_command_gets_its_first_administrator(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    day = tmp_path / "day.json"
    day.write_text(json.dumps(DAY), encoding="utf-8")
    without = superbill("--db", str(path), "import", str(day))
    assert without.returncode == 2 and "no user accounts yet" in without.stderr

    made = superbill("--db", str(path), "import", str(day), user="dana", password=PASSWORD)
    assert made.returncode == 0, made.stderr
    assert "dana is now the first administrator" in made.stderr
    with open_store(path) as store:
        assert store.sign_in("dana", PASSWORD).role is Role.ADMINISTRATOR


def test_code_needs_nobody(tmp_path: Path) -> None:
    encounter = {
        "date_of_service": "2026-11-27",
        "place_of_service": "11",
        "lesions": DAY["encounters"][0]["lesions"],
    }
    path = tmp_path / "e.json"
    path.write_text(json.dumps(encounter), encoding="utf-8")
    done = superbill("code", str(path))
    assert done.returncode == 0, done.stderr
    assert [line["cpt"] for line in json.loads(done.stdout)["lines"]] == ["17000", "17003"]
