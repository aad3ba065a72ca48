"""Reading the files shipped inside the packages (without importlib.resources or pkgutil)."""

from __future__ import annotations

from importlib import resources

import pytest

from core import packaged


def test_reads_what_importlib_resources_reads() -> None:
    for package, name in [("resources.codes", "cpt.json"), ("resources.icd10cm", "icd10cm_index.tsv.gz")]:
        assert packaged.read_bytes(package, name) == resources.files(package).joinpath(name).read_bytes()
    assert packaged.read_text("resources.codes", "cpt.json").startswith("{")


def test_a_missing_file_or_package_is_a_missing_file() -> None:
    with pytest.raises(FileNotFoundError):
        packaged.read_bytes("resources.codes", "no-such-table.json")
    with pytest.raises(FileNotFoundError):
        packaged.read_bytes("resources.no_such_package", "cpt.json")
