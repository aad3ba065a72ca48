"""The developer build: the shipped index is exactly what the tool makes from the package's data."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pytest

from core.icd10_build import DEFAULT_OUTPUT, find_package_data, main, release_from_file_name

HAS_PACKAGE = importlib.util.find_spec("simple_icd_10_cm") is not None


@pytest.mark.parametrize(
    ("name", "release"),
    [
        ("icd10c-tabular-April-1-2026.xml", "ICD-10-CM FY2026, April 1, 2026 update"),
        ("icd10cm-tabular-October-1-2026.xml", "ICD-10-CM FY2027"),
    ],
)
def test_release_from_file_name(name: str, release: str) -> None:
    assert release_from_file_name(name) == release


def test_default_output_is_the_shipped_file() -> None:
    shipped = resources.files("resources.icd10cm").joinpath("icd10cm_index.tsv.gz")
    assert Path(str(shipped)) == DEFAULT_OUTPUT


@pytest.mark.slow
@pytest.mark.skipif(not HAS_PACKAGE, reason="simple-icd-10-cm not installed")
def test_rebuilding_gives_the_shipped_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert find_package_data().release == "ICD-10-CM FY2026, April 1, 2026 update"
    out = tmp_path / "index.tsv.gz"
    assert main(["-o", str(out)]) == 0
    assert "98186 codes, 74719 billable" in capsys.readouterr().out
    assert out.read_bytes() == DEFAULT_OUTPUT.read_bytes()
