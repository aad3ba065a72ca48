"""Issue 9, items 1 and 2: sizes in mm or cm as typed, everyday site words, every bad word at once.

Each test here fails on the program before the issue: ``1 bcc nose 8 mm`` was refused with the
advice to type ``8cm`` (17286 instead of 17281), ``back`` was not a site, and only the first bad word
of a line was reported.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.coding import CodingSettings, code_encounter, rules, sites, tables
from core.coding.model import Encounter, LesionGroup, LesionKind, Severity
from core.coding.parse import encounter_from_json
from core.errors import InputError
from core.pending_visit import from_json, to_json
from core.quick_entry import (
    QuickEntryDefaults,
    edit_group,
    format_quick_entry,
    malignant_code,
    parse_quick_entry,
    read_quick_entry,
    site_text,
    size_question,
    size_text,
)
from core.store import EncounterRecord, rows
from tests.signing_in import open_signed_in

DEFAULTS = QuickEntryDefaults()
DOS = date(2026, 11, 27)


def code_lines(*groups: LesionGroup) -> tuple[list[tuple[str, int]], list[str], list[str]]:
    """(code, units) of each line, the why sentences and the rule ids of the messages."""
    result = code_encounter(
        Encounter(DOS, "11", groups, payer="medicare"), CodingSettings.for_payer("medicare")
    )
    assert not result.has_errors, result.messages
    return (
        [(line.cpt, line.units) for line in result.lines],
        [line.why for line in result.lines],
        [m.rule for m in result.messages],
    )


# -- sizes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "diameter", "kept", "shown"),
    [
        ("8mm", 0.8, "8 mm", "8 mm"),
        ("8 mm", 0.8, "8 mm", "8 mm"),
        ("8 MM", 0.8, "8 mm", "8 mm"),
        ("0.8cm", 0.8, "", "0.8 cm"),
        ("0.8 cm", 0.8, "", "0.8 cm"),
        (".8cm", 0.8, "", "0.8 cm"),
        ("8x6 mm", 0.8, "8 × 6 mm", "8 × 6 mm"),
        ("8x6mm", 0.8, "8 × 6 mm", "8 × 6 mm"),
        ("8 x 6 mm", 0.8, "8 × 6 mm", "8 × 6 mm"),
        ("6×8 mm", 0.8, "6 × 8 mm", "6 × 8 mm"),  # the greatest, whichever comes first
        ("1.2x0.9 cm", 1.2, "1.2 × 0.9 cm", "1.2 × 0.9 cm"),
        ("5mm", 0.5, "5 mm", "5 mm"),
        ("5.5 mm", 0.55, "5.5 mm", "5.5 mm"),
        ("45mm", 4.5, "45 mm", "45 mm"),
    ],
)
def test_every_size_form(typed: str, diameter: float, kept: str, shown: str) -> None:
    group = parse_quick_entry(f"1 bcc nose C44.311 {typed}", DEFAULTS)
    assert (group.diameter_cm, group.typed_size, size_text(group)) == (diameter, kept, shown)
    # the same text in the lesion table's size cell
    edited = edit_group(replace_size(group), "size", typed)
    assert (edited.diameter_cm, edited.typed_size) == (diameter, kept)


def replace_size(group: LesionGroup) -> LesionGroup:
    return LesionGroup(group.kind, group.count, group.site, group.method, group.diagnosis, diameter_cm=3.0)


def test_the_issue_line_codes_17281() -> None:
    group = parse_quick_entry("1 bcc nose 8 mm", DEFAULTS)
    assert (group.site, group.diameter_cm, group.typed_size) == ("nose", 0.8, "8 mm")
    lines, whys, _ = code_lines(edit_group(group, "diagnosis", "C44.311"))  # bcc has no default code
    assert lines == [("17281", 1)]
    assert "8 mm is 0.8 cm" in whys[0]


def test_two_dimensions_are_coded_by_the_greatest_and_the_why_says_so() -> None:
    group = parse_quick_entry("1 bcc left cheek C44.319 8x6 mm", DEFAULTS)
    lines, whys, _ = code_lines(group)
    assert lines == [("17281", 1)]
    assert "8 × 6 mm is coded by its greatest diameter, 0.8 cm" in whys[0]
    # 6 mm alone would be the same band; 12x4 mm is the 1.1-2.0 band by its 12 mm
    lines, _, _ = code_lines(parse_quick_entry("1 bcc cheek C44.319 12x4mm", DEFAULTS))
    assert lines == [("17282", 1)]


def test_a_size_in_cm_keeps_the_why_it_always_had() -> None:
    _, whys, _ = code_lines(parse_quick_entry("1 bcc nose C44.311 0.8cm", DEFAULTS))
    assert whys[0].endswith("17281 once per lesion")


@pytest.mark.parametrize(
    ("line", "readings"),
    [
        ("1 bcc nose C44.311 8", [("8 mm", "17281"), ("8 cm", "17286")]),
        ("1 bcc nose C44.311 0.8", [("0.8 mm", "17280"), ("0.8 cm", "17281")]),
        ("1 bcc back C44.519 8", [("8 mm", "17261"), ("8 cm", "17266")]),
        ("1 bcc C44.419 scalp 15", [("15 mm", "17272"), ("15 cm", "17276")]),
        ("1 bcc 8 left hand", [("8 mm", "17271"), ("8 cm", "17276")]),  # the site after the number counts
        ("1 bcc nose 8x6", [("8 × 6 mm", "17281"), ("8 × 6 cm", "17286")]),
        ("1 bcc nose 8 x 6", [("8 × 6 mm", "17281"), ("8 × 6 cm", "17286")]),
    ],
)
def test_a_number_without_a_unit_names_both_readings_with_their_codes(
    line: str, readings: list[tuple[str, str]]
) -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry(line, DEFAULTS)
    text = caught.value.text
    assert "needs a unit" in text
    for shown, code in readings:
        assert f"read as {shown} it is coded {code}" in text


def test_a_bare_number_for_the_other_kinds() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("1 vasc face 12", DEFAULTS)
    assert "read as 12 cm² it is coded 17107" in caught.value.text and "12cm2" in caught.value.text
    with pytest.raises(InputError) as caught:
        parse_quick_entry("3 ak face 2", DEFAULTS)
    assert "“2”" in caught.value.text and "no size" in caught.value.text


#: a size in a message: a number and a unit (``8 mm``, ``8mm``, ``8 × 6 cm``, ``8x6mm``)
SUGGESTED = re.compile(r"(\d+(?:\.\d+)?(?:\s?[x×]\s?\d+(?:\.\d+)?)?)\s?(?:mm|cm)\b")


@settings(max_examples=200)
@given(
    st.one_of(
        st.integers(min_value=1, max_value=999).map(str),
        st.decimals(min_value=Decimal("0.1"), max_value=Decimal("99.9"), places=1).map(str),
        st.tuples(st.integers(1, 60), st.integers(1, 60)).map(lambda p: f"{p[0]}x{p[1]}"),
    ),
    st.sampled_from(sites.table().words),
)
def test_a_bare_number_is_never_answered_with_another_number(number: str, row: sites.SiteWord) -> None:
    """Every size the message shows or suggests is the typed number (in mm or cm), and each reading that
    is a possible diameter comes with the code it would give at that site."""
    with pytest.raises(InputError) as caught:
        parse_quick_entry(f"1 bcc {row.word} {number}", DEFAULTS)
    text = caught.value.text
    typed = number.replace("x", " × ")
    for found in SUGGESTED.findall(text):
        assert found.replace(" ", "").replace("×", "x") == number, text
    limit = tables.lesion_coding().limits.max_diameter_cm
    for unit, scale in (("mm", Decimal(10)), ("cm", Decimal(1))):
        value = max(Decimal(n) for n in number.split("x")) / scale
        if value <= limit:
            assert f"read as {typed} {unit} it is coded {malignant_code(row.site, value)}" in text
    assert f"Type {number}mm or {number}cm." in text


@pytest.mark.parametrize(
    ("line", "asks", "words"),
    [
        ("1 bcc nose 4.1cm", True, ["4.1 cm", "over 4.0 cm", "17286", "4.1 mm", "4.1mm", "17280"]),
        ("1 bcc back 5 cm", True, ["5 cm", "17266", "If the chart says 5 mm, type 5mm (17260)"]),
        ("1 bcc nose 45mm", True, ["45 mm", "17286"]),
        ("1 bcc nose 4cm", False, []),
        ("1 bcc nose 40mm", False, []),
        ("1 vasc face laser 60cm2", True, ["60 cm²", "over 50.0 sq cm", "17108"]),
        ("1 vasc face laser 50cm2", False, []),
        ("3 ak face", False, []),
    ],
)
def test_the_largest_band_asks_for_confirmation(line: str, asks: bool, words: list[str]) -> None:
    read = read_quick_entry(line, DEFAULTS)
    assert read.needs_confirmation is asks
    assert read.confirm == size_question(read.group)
    for word in words:
        assert word in read.confirm
    assert parse_quick_entry(line, DEFAULTS) == read.group  # the group itself is read either way


def test_the_engine_warns_about_the_largest_band() -> None:
    big = LesionGroup(LesionKind.MALIGNANT, 1, "nose", "laser", "C44.311", diameter_cm=4.1)
    lines, _, fired = code_lines(big)
    assert lines == [("17286", 1)] and fired.count(rules.LARGEST_SIZE_BAND) == 1
    _, _, fired = code_lines(
        LesionGroup(LesionKind.MALIGNANT, 1, "nose", "laser", "C44.311", diameter_cm=4.0)
    )
    assert rules.LARGEST_SIZE_BAND not in fired
    halves = [LesionGroup(LesionKind.VASCULAR, 1, "face", "laser", "I78.1", area_sq_cm=30.0)] * 2
    lines, _, fired = code_lines(*halves)
    assert lines == [("17108", 1)] and fired.count(rules.LARGEST_SIZE_BAND) == 1
    _, _, fired = code_lines(halves[0])
    assert rules.LARGEST_SIZE_BAND not in fired


def test_a_comma_is_not_a_decimal_point() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("1 bcc nose 0,8cm", DEFAULTS)
    assert "decimal comma" in caught.value.text and "0.8cm" in caught.value.text


def test_two_numbers_never_run_together() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("1 bcc nose 2 3mm", DEFAULTS)
    assert "“2” needs a unit" in caught.value.text


# -- sites ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", sites.table().words, ids=[w.word for w in sites.table().words])
def test_every_site_word_codes_as_its_group_with_the_side_kept(row: sites.SiteWord) -> None:
    for side in ("left", "Right"):
        group = parse_quick_entry(f"1 bcc {side} {row.word} C44.91 0.8cm", DEFAULTS)
        assert (group.site, group.typed_site) == (row.site, f"{side} {row.word}")
        assert site_text(group) == f"{side} {row.word} ({sites.site_label(row.site)})"
        coding = tables.lesion_coding()
        assert (
            malignant_code(group.site, Decimal("0.8"))
            == (coding.malignant_groups[coding.sites[row.site].malignant_group].codes[1])
        )
    alone = parse_quick_entry(f"3 ak {row.word}", DEFAULTS)
    assert alone.site == row.site


@pytest.mark.parametrize(
    ("line", "site", "words", "code"),
    [
        ("1 bcc back 0.8cm", "trunk", "back", "17261"),
        ("1 bcc left cheek 8mm", "face", "left cheek", "17281"),
        ("1 bcc forehead 8mm", "face", "forehead", "17281"),
        ("1 bcc right temple 8mm", "face", "right temple", "17281"),
        ("1 bcc chest 8mm", "trunk", "chest", "17261"),
        ("1 bcc left shoulder 8mm", "arm", "left shoulder", "17261"),
        ("1 bcc back of the left hand 8mm", "hand", "back of the left hand", "17271"),
        ("1 bcc upper back 8mm", "trunk", "upper back", "17261"),
        ("1 bcc nasal tip 8mm", "nose", "nasal tip", "17281"),
    ],
)
def test_the_issue_sites(line: str, site: str, words: str, code: str) -> None:
    group = parse_quick_entry(line.replace("1 bcc", "1 bcc C44.91"), DEFAULTS)
    assert (group.site, group.typed_site) == (site, words)
    lines, _, _ = code_lines(group)
    assert lines == [(code, 1)]


def test_the_contract_word_alone_keeps_no_words() -> None:
    assert parse_quick_entry("3 ak Face", DEFAULTS).typed_site == ""
    assert parse_quick_entry("3 ak mucous membrane", DEFAULTS).typed_site == ""


def test_three_unknown_words_are_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("12 ak chek cyro zebra", DEFAULTS)
    text = caught.value.text
    assert text.startswith("3 things in this line need fixing.")
    for words in (
        ("third word", "“chek”", "Did you mean “cheek”?"),
        ("fourth word", "“cyro”", "Did you mean “cryo”?"),
        ("fifth word", "“zebra”"),
    ):
        for word in words:
            assert word in text
    assert text.index("“chek”") < text.index("“cyro”") < text.index("“zebra”")


def test_a_bad_kind_and_bad_words_are_reported_together() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("2 akk fcae 8", DEFAULTS)
    text = caught.value.text
    assert "“akk”" in text and "“fcae”" in text and "“8”" in text


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("3 ak left", ["“left”", "no site word"]),
        ("3 ak cheek nose", ["phrase “cheek nose”", "two sites", "cheek is face", "nose is nose"]),
        ("3 ak back cryo face", ["second site"]),
        ("3 ak face mm", ["“mm”", "unit without a number"]),
    ],
)
def test_site_phrases_that_do_not_read(line: str, words: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry(line, DEFAULTS)
    for word in words:
        assert word in caught.value.text


def test_a_side_before_a_mistyped_site_is_one_problem() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("3 ak left chek", DEFAULTS)
    assert "need fixing" not in caught.value.text and "Did you mean “cheek”?" in caught.value.text


# -- the lesion table: the site picker's API and in-place edits -----------------------------------

BCC = LesionGroup(LesionKind.MALIGNANT, 1, "nose", "laser", "C44.311", diameter_cm=0.8)


def test_a_picked_site_is_kept_with_its_words() -> None:
    choice = next(c for c in sites.find_sites("left che") if c.words == "left cheek")
    picked = edit_group(BCC, "site", choice.words)
    assert (picked.site, picked.typed_site) == ("face", "left cheek")
    assert edit_group(picked, "site", "face") == picked  # the drop-down's own site keeps the words
    assert edit_group(picked, "site", "nose") == BCC  # another site drops them
    assert edit_group(picked, "site", "Upper Back").typed_site == "Upper Back"
    with pytest.raises(InputError) as caught:
        edit_group(BCC, "site", "left chek")
    assert "Did you mean “cheek”?" in caught.value.text


def test_a_kind_without_the_size_drops_the_typed_size() -> None:
    typed = edit_group(BCC, "size", "8 mm")
    assert typed.typed_size == "8 mm"
    assert edit_group(typed, "kind", "ak").typed_size == ""
    assert edit_group(typed, "size", "").typed_size == ""


def test_a_typed_size_that_no_longer_says_the_value_is_not_printed() -> None:
    stale = LesionGroup(
        LesionKind.MALIGNANT, 1, "nose", "laser", "C44.311", diameter_cm=1.5, typed_size="8 mm"
    )
    assert size_text(stale) == "1.5 cm"
    wrong_site = LesionGroup(LesionKind.PREMALIGNANT, 1, "trunk", "laser", "L57.0", typed_site="left cheek")
    assert site_text(wrong_site) == "trunk"


typed_lines = st.tuples(
    st.sampled_from(["1 bcc", "2 mal", "1 vasc"]),
    st.sampled_from(["", "left cheek", "upper back", "back of the hand", "nose", "R ankle"]),
    st.sampled_from(["", "laser", "cryo"]),
    st.sampled_from(["", "C44.311"]),
    st.sampled_from(["0.8cm", "8mm", "8 x 6 mm", "1.25 cm", "45 mm", "12cm2", "60 sq cm"]),
)


@settings(max_examples=150)
@given(typed_lines)
def test_a_read_group_writes_back_as_the_same_line(parts: tuple[str, ...]) -> None:
    line = " ".join(p for p in parts if p)
    try:
        group = parse_quick_entry(line, DEFAULTS)
    except InputError:
        return  # a diameter on a vascular entry, an area on a malignant one
    assert parse_quick_entry(format_quick_entry(group), DEFAULTS) == group


# -- kept: the store, the pending visit, the JSON contract ----------------------------------------


def test_the_typed_words_go_into_the_audit_json_only_when_there_are_some() -> None:
    plain = rows.as_json_value(BCC)
    assert "typed_size" not in plain and "typed_site" not in plain  # as logged before schema 7
    typed = rows.as_json_value(edit_group(edit_group(BCC, "size", "8mm"), "site", "left nose"))
    assert (typed["typed_size"], typed["typed_site"]) == ("8 mm", "left nose")


def test_the_pending_visit_keeps_the_typed_words() -> None:
    group = parse_quick_entry("1 bcc left cheek C44.319 8x6 mm", DEFAULTS)
    record = EncounterRecord(0, 1, DOS, lesions=(group,))
    assert from_json(to_json(record)).lesions == (group,)
    older = (
        to_json(EncounterRecord(0, 1, DOS, lesions=(BCC,)))
        .replace('"typed_size": "",', "")
        .replace('"typed_site": ""', '"_": 0')
    )
    assert from_json(older).lesions == (BCC,)


def test_the_json_contract_still_takes_only_its_sites_and_names_the_one_to_use() -> None:
    data = {
        "date_of_service": "2026-11-27",
        "place_of_service": "11",
        "lesions": [
            {"kind": "premalignant", "count": 2, "site": "cheek", "method": "laser", "diagnosis": "L57.0"}
        ],
    }
    encounter, messages = encounter_from_json(data, today=DOS)
    assert encounter is None
    assert [(m.rule, m.field) for m in messages] == [(rules.INVALID_INPUT, "lesions[0].site")]
    assert "“cheek” is coded as face: use face." in messages[0].text
    assert messages[0].severity is Severity.ERROR


def test_store_round_trip_and_superbill(tmp_path: Path) -> None:
    from core.superbill.build import superbill_for
    from tests.core.superbill.samples import finalised

    group = parse_quick_entry("1 bcc left cheek C44.319 8x6 mm", DEFAULTS)
    with open_signed_in(tmp_path / "practice.db") as store:
        final = finalised(store, lesions=(group,))
        assert final.id is not None
        assert store.get_encounter(final.id).lesions == (group,)
        detail = superbill_for(store, final.id).lines[0].lesions[0]
        assert (detail.sites, detail.size) == (("left cheek (face)",), "8 × 6 mm")
        assert store.verify_data().ok


def test_the_rest_of_a_mistyped_kind_is_not_reported_again() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("3 plantr wart left sole zebra", DEFAULTS)
    text = caught.value.text
    assert text.startswith("2 things") and "Did you mean “plantar wart”?" in text and "“zebra”" in text
    assert "“wart” is not" not in text
