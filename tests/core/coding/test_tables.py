"""Every code table file validates, and every code a rule can emit exists in the CPT table."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core.coding import kinds, tables

CONFIDENCE = {"HIGH", "MED", "LOW", "UNCONFIRMED", "TEST"}


@pytest.mark.parametrize("name", tables.TABLE_FILES)
def test_every_file_has_source_and_effective_date(name: str) -> None:
    data = tables.read_table(name)
    assert isinstance(data["source"], str) and len(data["source"]) > 30
    date.fromisoformat(data["effective_date"])
    for row in data.get("rows", []):
        if "confidence" in row:
            assert row["confidence"] in CONFIDENCE


def test_cpt_rows() -> None:
    table = tables.cpt_table()
    assert len(table) == len(tables.read_table("cpt.json")["rows"])  # no duplicate codes
    for code, row in table.items():
        assert re.fullmatch(r"\d{5}", code)
        assert row.family in {"em", "premalignant", "benign", "skin_tag", "vascular", "malignant"}
        assert row.description and len(row.description) <= 90
        for year in (2025, 2026):  # the CMS facts the engine asks for, of every code the table holds
            assert tables.global_days(code, date(year, 6, 1)) in {"000", "010", "090", "ZZZ", "XXX"}
        if row.add_on:
            assert row.primary in table and tables.global_days(code, date(2026, 6, 1)) == "ZZZ"
            assert tables.multiple_procedure_exempt(code, 2026)
        else:
            assert row.primary is None
        if row.confidence == "UNCONFIRMED":
            assert "UNCONFIRMED" in row.notes


def test_every_code_a_rule_can_emit_is_in_the_cpt_table() -> None:
    coding = tables.lesion_coding()
    emitted = {
        coding.premalignant.first,
        coding.premalignant.each_additional,
        coding.premalignant.whole_session,
        coding.benign.small,
        coding.benign.large,
        coding.skin_tag.base,
        coding.skin_tag.add_on,
    }
    emitted |= {band.code for band in coding.vascular_bands}
    for group in coding.malignant_groups.values():
        assert len(group.codes) == len(coding.diameter_bands)
        emitted |= set(group.codes)
    emitted |= set(tables.em_codes())
    table = tables.cpt_table()
    assert emitted <= set(table)
    assert set(table) <= emitted  # and the table holds nothing no rule bills
    families = {"premalignant": coding.premalignant.first, "benign": coding.benign.small}
    for family, code in families.items():
        assert table[code].family == family


def test_lesion_coding_bands_are_ordered_and_end_open() -> None:
    coding = tables.lesion_coding()
    uppers = [b.upper for b in coding.diameter_bands]
    assert uppers[-1] is None and all(u is not None for u in uppers[:-1])
    assert uppers[:-1] == sorted(uppers[:-1])  # type: ignore[type-var]
    areas = coding.vascular_bands
    assert areas[-1].upper is None
    assert {s.malignant_group for s in coding.sites.values()} == set(coding.malignant_groups)
    assert [s for s, v in coding.sites.items() if v.site_specific_warning] == ["genitalia", "eyelid"]


def test_pos_table_holds_the_cms_codes_of_the_domain_table() -> None:
    facility = {"19", "21", "22", "23", "24", "26", "31", "34", "41", "42", "51", "52", "53", "56", "61"}
    non_facility = {
        "11",
        "12",
        "13",
        "14",
        "16",
        "32",
        "33",
        "01",
        "03",
        "04",
        "09",
        "15",
        "17",
        "20",
        "25",
        "49",
        "50",
        "54",
        "55",
    }
    for code in facility:
        assert tables.pos(code) is not None and tables.pos(code).facility, code  # type: ignore[union-attr]
    for code in non_facility:
        assert tables.pos(code) is not None and not tables.pos(code).facility, code  # type: ignore[union-attr]
    assert all(re.fullmatch(r"\d\d", code) for code in tables.pos_table())
    assert tables.pos("00") is None and tables.pos("11x") is None


def test_every_code_has_its_mue_from_the_cms_table() -> None:
    for code in tables.cpt_table():
        limit = tables.mue(code)
        assert limit is not None and limit.max_units is not None and limit.max_units >= 1, code
        assert limit.adjudication_indicator in (1, 2, 3) and "MUE" in limit.source
    assert (tables.mue("17000").max_units, tables.mue("17003").max_units) == (1, 13)  # type: ignore[union-attr]
    assert tables.mue("99999") is None


def test_secondary_ptp_edits() -> None:
    codes = tables.cpt_table()
    for edit in tables.secondary_ptp_edits():
        assert edit.column1 in codes and edit.column2 in codes
        if edit.in_effect:
            assert edit.modifier_indicator == "1"
            assert not codes[edit.column2].add_on
        else:
            assert edit.modifier_indicator is None and edit.confidence == "UNCONFIRMED"
    unconfirmed = {(e.column1, e.column2) for e in tables.ptp_edits() if not e.in_effect}
    assert unconfirmed == {("17000", "17110"), ("17000", "17111"), ("17004", "17110"), ("17004", "17111")}


def test_ptp_edits_take_the_cms_pairs_first() -> None:
    codes = tables.cpt_table()
    edits = {(e.column1, e.column2): e for e in tables.ptp_edits(date(2026, 11, 27))}
    assert all(c1 in codes and c2 in codes for c1, c2 in edits)
    assert edits[("17004", "17000")].modifier_indicator == "0"  # never together, whatever the modifier
    assert edits[("17000", "99213")].modifier_indicator == "1"
    assert "v32.2/v32.3" in edits[("17000", "99213")].source
    assert "secondary" in edits[("17000", "17263")].source  # no CMS table covers 17263 yet
    # 99202/99211 was deleted at the end of 2019 and came back on 2020-10-01
    assert ("99202", "99211") not in {(e.column1, e.column2) for e in tables.ptp_edits(date(2020, 5, 1))}
    assert ("99202", "99211") in {(e.column1, e.column2) for e in tables.ptp_edits(date(2019, 5, 1))}


def test_payers() -> None:
    payers = tables.payer_table()
    assert list(payers) == ["medicare", "medicaid", "aetna", "bcbs", "cigna", "uhc", "commercial", "self_pay"]
    for payer in payers.values():
        assert payer.kind in {"medicare", "medicaid", "commercial", "self_pay"}
        assert payer.distinct_modifier in {"59", "XS"}
    assert payers["medicare"].modifier_51 is False


def test_modifiers_named_by_the_engine_exist() -> None:
    for code in ("25", "51", "59", "XS", "24", "58", "78", "79"):
        assert tables.modifier(code) is not None


def test_diagnosis_support_covers_every_kind() -> None:
    declared = kinds.shipped()
    assert declared.names() == ("premalignant", "benign", "skin_tag", "vascular", "malignant")
    assert all(kind.diagnoses.supports for kind in declared.kinds)
    assert [c.prefix for c in declared.cautions] == ["D48.5"]


def test_tables_are_loaded_once() -> None:
    assert tables.cpt_table() is tables.cpt_table()
    assert tables.lesion_coding() is tables.lesion_coding()
