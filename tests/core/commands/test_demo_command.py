"""`superbill demo remove`: removes the demo patients, says so, and refuses a damaged file untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from main import main
from tests.signing_in import open_signed_in


def test_demo_remove_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    open_signed_in(db).close()
    assert main(["--db", str(db), "demo", "remove"]) == 0
    assert "Removed 5 demo patients and 0 encounters" in capsys.readouterr().out
    assert main(["--db", str(db), "demo", "remove"]) == 0
    assert "nothing was changed" in capsys.readouterr().out


def test_demo_remove_command_on_a_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    db.write_text("not a database")
    assert main(["--db", str(db), "demo", "remove"]) == 2
    assert "not a database file at all" in capsys.readouterr().err
    assert db.read_text() == "not a database"
