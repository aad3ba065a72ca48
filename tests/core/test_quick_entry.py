"""The quick-entry line: the contract's examples, every word kind, and clear errors for bad words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.coding.model import LesionGroup, LesionKind
from core.errors import InputError
from core.quick_entry import (
    KIND_WORDS,
    METHOD_WORDS,
    QuickEntryDefaults,
    edit_group,
    format_quick_entry,
    known_methods,
    known_sites,
    parse_quick_entry,
    size_text,
)

DEFAULTS = QuickEntryDefaults(
    diagnoses={
        LesionKind.PREMALIGNANT: "L57.0",
        LesionKind.BENIGN: "L82.1",
        LesionKind.SKIN_TAG: "L91.8",
        LesionKind.VASCULAR: "I78.1",
    }
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("12 ak face cryo", LesionGroup(LesionKind.PREMALIGNANT, 12, "face", "cryosurgery", "L57.0")),
        ("3 sk trunk cryo L82.1", LesionGroup(LesionKind.BENIGN, 3, "trunk", "cryosurgery", "L82.1")),
        (
            "1 bcc nose electro C44.311 0.8cm",
            LesionGroup(LesionKind.MALIGNANT, 1, "nose", "electrosurgery", "C44.311", diameter_cm=0.8),
        ),
        (
            "1 vasc face laser I78.1 12cm2",
            LesionGroup(LesionKind.VASCULAR, 1, "face", "laser", "I78.1", area_sq_cm=12.0),
        ),
        ("20 tag neck electro", LesionGroup(LesionKind.SKIN_TAG, 20, "neck", "electrosurgery", "L91.8")),
        ("2 AK", LesionGroup(LesionKind.PREMALIGNANT, 2, "trunk", "cryosurgery", "L57.0")),
        ("  4   Wart  HAND  curette ", LesionGroup(LesionKind.BENIGN, 4, "hand", "curettement", "L82.1")),
        (
            "1 scc lip chemosurgery c44.02 8mm",
            LesionGroup(LesionKind.MALIGNANT, 1, "lip", "chemosurgery", "C44.02", diameter_cm=0.8),
        ),
        ("5 pre l570", LesionGroup(LesionKind.PREMALIGNANT, 5, "trunk", "cryosurgery", "L57.0")),
        (
            "1 premalignant mucosa",
            LesionGroup(LesionKind.PREMALIGNANT, 1, "mucous_membrane", "cryosurgery", "L57.0"),
        ),
        # the optional words are recognised by their shape, so their order is forgiven
        ("3 sk L82.0 laser arm", LesionGroup(LesionKind.BENIGN, 3, "arm", "laser", "L82.0")),
    ],
)
def test_lines_that_read(line: str, expected: LesionGroup) -> None:
    assert parse_quick_entry(line, DEFAULTS) == expected


def test_defaults_come_from_the_practice() -> None:
    defaults = QuickEntryDefaults(
        site="face",
        method="laser",
        methods={LesionKind.BENIGN: "electrosurgery"},
        diagnoses={LesionKind.PREMALIGNANT: "L57.8", LesionKind.BENIGN: "L82.1"},
    )
    assert parse_quick_entry("2 ak", defaults) == LesionGroup(
        LesionKind.PREMALIGNANT, 2, "face", "laser", "L57.8"
    )
    assert parse_quick_entry("2 sk", defaults).method == "electrosurgery"


@pytest.mark.parametrize("word", ["mal", "bcc", "scc", "malignant"])
def test_only_count_and_kind_are_required_even_without_a_default_diagnosis(word: str) -> None:
    """Malignant lesions have no default code: the group is read with an empty diagnosis and the
    coding engine reports it (as it reports a missing size); the line is not refused."""
    group = parse_quick_entry(f"1 {word.upper()}", DEFAULTS)
    assert (group.kind, group.count, group.site, group.diagnosis, group.diameter_cm) == (
        LesionKind.MALIGNANT, 1, "trunk", "", None
    )
    assert parse_quick_entry(format_quick_entry(group), DEFAULTS) == group


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("", ["Type the lesions"]),
        ("ak 12 face", ["first word", "“ak”", "number of lesions"]),
        ("0 ak", ["1 or more"]),
        ("-3 ak", ["first word", "“-3”"]),
        ("2.5 ak", ["first word", "whole number"]),
        ("12", ["kind of lesion"]),
        ("12 akk face", ["second word", "“akk”", "Did you mean “ak”?"]),
        ("12 ak fcae cryo", ["third word", "“fcae”", "site", "Did you mean “face”?"]),
        ("12 ak face cyro", ["fourth word", "“cyro”", "method"]),
        ("12 ak face face", ["fourth word", "second site"]),
        ("12 ak face cryo laser", ["fifth word", "second method"]),
        ("1 bcc nose C44.311 0.8", ["fifth word", "unit", "0.8cm"]),
        ("2 ak face 0.8cm", ["“0.8cm”", "diameter", "only malignant"]),
        ("1 bcc nose 2cm2", ["“2cm2”", "area", "only vascular"]),
        ("1 vasc face 3cm", ["diameter", "12cm2"]),
        ("1 bcc nose 0cm", ["more than zero"]),
        ("3 ak face ???", ["fourth word", "“???”"]),
        # a wrong word is quoted as it was typed, whatever its case
        ("12 AK FCAE CRYO", ["third word", "“FCAE”", "Did you mean “face”?"]),
        ("12 Zebra", ["second word", "“Zebra”"]),
        ("3 SK Trunk Banana", ["fourth word", "“Banana”"]),
        ("1 BCC nose C44.311 0CM", ["more than zero", "0CM"]),
    ],
)
def test_bad_lines_say_which_word_and_what_is_expected(line: str, words: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry(line, DEFAULTS)
    for word in words:
        assert word in caught.value.text
    assert caught.value.field == "quick_entry"


def test_every_short_word_maps_to_a_contract_value() -> None:
    assert set(METHOD_WORDS.values()) <= set(known_methods())
    assert set(KIND_WORDS.values()) == set(LesionKind)
    assert "trunk" in known_sites() and "mucous_membrane" in known_sites()


groups = st.builds(
    LesionGroup,
    kind=st.sampled_from(list(LesionKind)),
    count=st.integers(min_value=1, max_value=500),
    site=st.sampled_from(known_sites()),
    method=st.sampled_from(known_methods()),
    diagnosis=st.sampled_from(["L57.0", "L82.1", "C44.311", "I78.1", "L91.8", "D23.9"]),
)


@settings(max_examples=60)
@given(groups, st.sampled_from([0.3, 0.8, 1.5, 4.1]), st.sampled_from([2.0, 12.5, 60.0]))
def test_formatted_group_reads_back(group: LesionGroup, diameter: float, area: float) -> None:
    if group.kind is LesionKind.MALIGNANT:
        group = LesionGroup(**{**group.__dict__, "diameter_cm": diameter})
    if group.kind is LesionKind.VASCULAR:
        group = LesionGroup(**{**group.__dict__, "area_sq_cm": area})
    assert parse_quick_entry(format_quick_entry(group), QuickEntryDefaults()) == group


@settings(max_examples=80)
@given(st.text(max_size=40))
def test_any_text_reads_or_raises_input_error(text: str) -> None:
    try:
        group = parse_quick_entry(text, DEFAULTS)
    except InputError as error:
        assert error.text
    else:
        assert group.count >= 1


AK = LesionGroup(LesionKind.PREMALIGNANT, 12, "face", "cryosurgery", "L57.0")
BCC = LesionGroup(LesionKind.MALIGNANT, 1, "nose", "electrosurgery", "C44.311", diameter_cm=0.8)


@pytest.mark.parametrize(
    ("group", "field", "text", "changed"),
    [
        (AK, "count", " 15 ", {"count": 15}),
        (AK, "site", "Scalp", {"site": "scalp"}),
        (AK, "site", "mucous membrane", {"site": "mucous_membrane"}),
        (AK, "method", "laser", {"method": "laser"}),
        (AK, "diagnosis", "l578", {"diagnosis": "L57.8"}),
        (AK, "kind", "sk", {"kind": LesionKind.BENIGN}),
        (AK, "size", "", {}),
        (BCC, "size", "1.2", {"diameter_cm": 1.2}),
        (BCC, "size", "5mm", {"diameter_cm": 0.5}),
        (BCC, "size", "", {"diameter_cm": None}),
        (BCC, "kind", "ak", {"kind": LesionKind.PREMALIGNANT, "diameter_cm": None}),
    ],
)
def test_edit_group_changes_one_field(group: LesionGroup, field: str, text: str, changed: dict) -> None:
    assert edit_group(group, field, text) == LesionGroup(**{**group.__dict__, **changed})


@pytest.mark.parametrize(
    ("group", "field", "text", "words"),
    [
        (AK, "count", "0", ["Count", "“0”"]),
        (AK, "count", "many", ["Count", "whole number"]),
        (AK, "site", "fcae", ["Site", "Did you mean “face”?"]),
        (AK, "method", "glue", ["Method", "“glue”"]),
        (AK, "diagnosis", "57", ["Diagnosis", "ICD-10-CM"]),
        (AK, "kind", "mole", ["Kind", "“mole”"]),
        (AK, "size", "1cm", ["Size", "only malignant"]),
        (BCC, "size", "-1", ["Size", "diameter"]),
    ],
)
def test_edit_group_rejects_bad_text(group: LesionGroup, field: str, text: str, words: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        edit_group(group, field, text)
    for word in words:
        assert word in caught.value.text


def test_size_text() -> None:
    assert size_text(BCC) == "0.8 cm"
    assert (
        size_text(LesionGroup(LesionKind.VASCULAR, 1, "face", "laser", "I78.1", area_sq_cm=12.0)) == "12 cm²"
    )
    assert size_text(AK) == ""


def test_only_plain_digits_count() -> None:
    for line in ("¹ ak", "١٢ ak"):
        with pytest.raises(InputError):
            parse_quick_entry(line, DEFAULTS)
    with pytest.raises(InputError):
        edit_group(AK, "count", "²")
