"""`superbill print` through the dispatcher: files written, encounters marked printed, exit statuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

import main
from core.store import EncounterRecord, EncounterStatus
from tests.core.superbill.samples import DOS, finalised
from tests.signing_in import open_signed_in


def _clock() -> datetime:
    return datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A practice with two final encounters on DOS (DEMO-2 entered first), a draft and a void one."""
    path = tmp_path / "practice.db"
    with open_signed_in(path, clock=_clock) as store:
        finalised(store, "DEMO-2")
        finalised(store, "DEMO-1", paid_cents=4000)
        voided = finalised(store, "DEMO-3")
        assert voided.id is not None
        store.void_encounter(voided.id, "entered twice")
        patient = store.patient_by_chart_number("DEMO-4")
        assert patient is not None and patient.id is not None
        store.save_draft(EncounterRecord(patient.id, store.providers()[0].id or 0, DOS))
    return path


def _texts(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(BytesIO(pdf.read_bytes())).pages]


def test_one_encounter_goes_to_the_current_folder_and_is_marked_printed(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main.main(["--db", str(db), "print", "2"]) == 0
    out = capsys.readouterr().out.strip()
    expected = (tmp_path / "superbill-SB-000002.pdf").resolve()
    assert out == str(expected)
    (text,) = _texts(expected)
    assert "Sample, Avery" in text and "SB-000002" in text and "Page 1 of 1" in text
    with open_signed_in(db) as store:
        assert store.get_encounter(2).status is EncounterStatus.PRINTED
        assert store.get_encounter(1).status is EncounterStatus.FINAL


def test_a_day_prints_every_final_encounter_in_day_sheet_order(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "day.pdf"
    target.parent.mkdir()
    assert main.main(["--db", str(db), "print", "--date", DOS.isoformat(), "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target.resolve())
    texts = _texts(target)
    assert len(texts) == 2
    assert "Example, Jordan" in texts[0] and "SB-000001" in texts[0]
    assert "Sample, Avery" in texts[1] and "SB-000002" in texts[1]
    assert all("Page 1 of 1" in t for t in texts)
    assert not any("Testcase, Riley" in t for t in texts)  # the void one
    with open_signed_in(db) as store:
        statuses = [e.status for e in store.encounters_on(DOS)]
    assert statuses == [
        EncounterStatus.PRINTED,
        EncounterStatus.PRINTED,
        EncounterStatus.VOID,
        EncounterStatus.DRAFT,
    ]


def test_reprinting_gives_the_same_bytes(db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert main.main(["--db", str(db), "print", "1", "-o", str(first)]) == 0
    assert main.main(["--db", str(db), "print", "1", "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_folder_as_output_gets_the_default_name(db: Path, tmp_path: Path) -> None:
    assert main.main(["--db", str(db), "print", "--date", DOS.isoformat(), "-o", str(tmp_path)]) == 0
    assert (tmp_path / "superbills-2026-11-27.pdf").is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["print", "3"], "voided (reason: entered twice)"),
        (["print", "4"], "still a draft"),
        (["print", "99"], "no encounter number 99"),
        (["print", "--date", "2026-11-20"], "no encounters on 11/20/2026"),
        (["print", "--date", "27/11/2026"], "Type it as MM/DD/YYYY"),
    ],
)
def test_nothing_printable_exits_2_with_a_message_and_writes_nothing(
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main.main(["--db", str(db), *arguments]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert not list(tmp_path.glob("*.pdf"))


def test_a_day_of_drafts_and_voids_says_so(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_signed_in(db) as store:
        for number in (1, 2):
            store.void_encounter(number, "test")
    assert main.main(["--db", str(db), "print", "--date", DOS.isoformat()]) == 2
    assert "1 still a draft and 3 void" in capsys.readouterr().err


def test_a_missing_database_or_folder_exits_2(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(["--db", str(tmp_path / "none.db"), "print", "1"]) == 2
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    assert main.main(["--db", str(db), "print", "1", "-o", str(tmp_path / "nowhere" / "x.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with open_signed_in(db) as store:
        assert store.get_encounter(1).status is EncounterStatus.FINAL  # nothing written, nothing marked


def test_the_document_number_printed_on_the_superbill_names_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15: `superbill print SB-000001` failed with "invalid int value"."""
    for typed in ("SB-000002", "sb-000002"):
        assert main.main(["--db", str(db), "print", typed, "-o", str(tmp_path)]) == 0
        assert capsys.readouterr().out.strip().endswith("superbill-SB-000002.pdf")
    assert main.main(["--db", str(db), "print", "SB-000099", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no superbill numbered “SB-000099”" in err and "printed at the top" in err
    assert main.main(["--db", str(db), "print", "99", "-o", str(tmp_path)]) == 2
    assert "document number printed at the top" in capsys.readouterr().err


def test_a_day_can_be_typed_as_the_window_writes_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "day.pdf"
    assert main.main(["--db", str(db), "print", "--date", f"{DOS:%m/%d/%Y}", "-o", str(target)]) == 0
    assert len(_texts(target)) == 2
    assert main.main(["--db", str(db), "print", "--date", "13/45/2026", "-o", str(target)]) == 2
    assert "MM/DD/YYYY" in capsys.readouterr().err
