"""The quick-entry line: the contract's examples, every word kind, and clear errors for bad words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.coding import kinds
from core.coding.model import LesionGroup, LesionKind
from core.errors import InputError
from core.quick_entry import (
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
        # a wart is a common wart (B07.8), never the practice's benign default (an SK code here)
        ("  4   Wart  HAND  curette ", LesionGroup(LesionKind.BENIGN, 4, "hand", "curettement", "B07.8")),
        (
            "1 scc lip chemosurgery c44.02 8mm",
            LesionGroup(
                LesionKind.MALIGNANT, 1, "lip", "chemosurgery", "C44.02", diameter_cm=0.8, typed_size="8 mm"
            ),
        ),
        ("5 pre l570", LesionGroup(LesionKind.PREMALIGNANT, 5, "trunk", "cryosurgery", "L57.0")),
        (
            "1 premalignant mucosa",
            LesionGroup(
                LesionKind.PREMALIGNANT, 1, "mucous_membrane", "cryosurgery", "L57.0", typed_site="mucosa"
            ),
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
    # a kind word alone (no type named): the practice's defaults for the kind
    assert parse_quick_entry("2 pre", defaults) == LesionGroup(
        LesionKind.PREMALIGNANT, 2, "face", "laser", "L57.8"
    )
    assert parse_quick_entry("2 premalignant", defaults).diagnosis == "L57.8"
    assert parse_quick_entry("2 sk", defaults).method == "electrosurgery"
    # a lesion type brings its own code: the practice's default for the kind is not used. `ak` is the
    # type actinic keratosis (as `sk` is seborrheic keratosis), so it takes L57.0, never another
    # premalignant code the practice set as its default; the method default is the kind's all the same
    for word in ("ak", "aks", "actinic keratosis", "AK"):
        assert parse_quick_entry(f"2 {word}", defaults) == LesionGroup(
            LesionKind.PREMALIGNANT, 2, "face", "laser", "L57.0"
        ), word
    assert parse_quick_entry("2 sk", defaults).diagnosis == "L82.1"


@pytest.mark.parametrize("kind", list(LesionKind))
def test_a_type_word_never_takes_the_practice_default_and_a_kind_word_always_does(kind: LesionKind) -> None:
    """The one rule, for every kind and every word of the declaration: a type word gives its own
    diagnosis (even none), a kind word the practice's default for that kind."""
    from core.coding import kinds

    defaults = QuickEntryDefaults(site="trunk", diagnoses={kind: "Z99.89"})  # a code no type declares
    declared = kinds.declaration()
    size = " 1cm" if kinds.kind(kind.value).measurement == "diameter_cm" else ""
    size = " 2cm2" if kinds.kind(kind.value).measurement == "area_sq_cm" else size
    for word in kinds.kind(kind.value).words:
        assert parse_quick_entry(f"1 {word}{size}", defaults).diagnosis == "Z99.89", word
    for lesion_type in (t for t in declared.types if t.kind == kind.value):
        for word in lesion_type.words:
            group = parse_quick_entry(f"1 {word}{size}", defaults)
            assert group.diagnosis == (lesion_type.diagnosis or ""), word


@pytest.mark.parametrize("word", ["mal", "bcc", "scc", "malignant"])
def test_only_count_and_kind_are_required_even_without_a_default_diagnosis(word: str) -> None:
    """Malignant lesions have no default code: the group is read with an empty diagnosis and the
    coding engine reports it (as it reports a missing size); the line is not refused."""
    group = parse_quick_entry(f"1 {word.upper()}", DEFAULTS)
    assert (group.kind, group.count, group.site, group.diagnosis, group.diameter_cm) == (
        LesionKind.MALIGNANT,
        1,
        "trunk",
        "",
        None,
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
    assert {kind.name for kind, _ in map(kinds.shipped().lookup, kinds.shipped().words())} == set(LesionKind)
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
        (BCC, "size", "1.2cm", {"diameter_cm": 1.2}),
        (BCC, "size", "5mm", {"diameter_cm": 0.5, "typed_size": "5 mm"}),
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
        # a diameter without a unit is refused with both readings, as on the quick-entry line
        (BCC, "size", "1.2", ["Size", "“1.2”", "1.2 mm", "17280", "1.2 cm", "17282", "1.2mm or 1.2cm"]),
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


# -- lesion types: a type word sets the kind and the diagnosis ------------------------------------
DEMO_DEFAULTS = QuickEntryDefaults(
    diagnoses={
        LesionKind.PREMALIGNANT: "L57.0",
        LesionKind.BENIGN: "L82.1",
        LesionKind.SKIN_TAG: "L91.8",
        LesionKind.VASCULAR: "D18.01",
    }
)


@pytest.mark.parametrize(
    ("line", "kind", "diagnosis"),
    [
        ("3 wart hand cryo", LesionKind.BENIGN, "B07.8"),
        ("3 verruca hand", LesionKind.BENIGN, "B07.8"),
        ("2 plantar wart foot", LesionKind.BENIGN, "B07.0"),
        ("2 Verruca Plantaris foot laser", LesionKind.BENIGN, "B07.0"),
        ("4 flat warts face", LesionKind.BENIGN, "B07.8"),
        ("5 condyloma genitalia", LesionKind.BENIGN, "A63.0"),
        ("6 molluscum trunk curette", LesionKind.BENIGN, "B08.1"),
        ("3 sk trunk", LesionKind.BENIGN, "L82.1"),
        ("3 seb k trunk", LesionKind.BENIGN, "L82.1"),
        ("2 isk neck", LesionKind.BENIGN, "L82.0"),
        ("2 irritated sk neck", LesionKind.BENIGN, "L82.0"),
        ("8 milia face", LesionKind.BENIGN, "L72.0"),
        ("2 lentigo hand laser", LesionKind.BENIGN, "L81.4"),
        ("10 skin tags neck electro", LesionKind.SKIN_TAG, "L91.8"),
        ("10 st neck", LesionKind.SKIN_TAG, "L91.8"),
        ("1 anal skin tag", LesionKind.SKIN_TAG, "K64.4"),
        ("2 ak face", LesionKind.PREMALIGNANT, "L57.0"),
        ("1 actinic cheilitis lip", LesionKind.PREMALIGNANT, "L56.8"),
        ("4 cherry angioma trunk laser 2cm2", LesionKind.VASCULAR, "I78.1"),
        ("1 spider angioma face laser 1cm2", LesionKind.VASCULAR, "I78.1"),
        ("1 port-wine stain face laser 30cm2", LesionKind.VASCULAR, "Q82.5"),
        ("1 basal cell carcinoma nose 0.8cm", LesionKind.MALIGNANT, ""),
        # a typed code still wins over the type's code
        ("3 wart hand B07.9", LesionKind.BENIGN, "B07.9"),
        # kind words (not types) take the practice's default for the kind
        ("3 ben trunk", LesionKind.BENIGN, "L82.1"),
        ("3 vasc face 4cm2", LesionKind.VASCULAR, "D18.01"),
    ],
)
def test_type_words_set_the_kind_and_their_own_diagnosis(line: str, kind: LesionKind, diagnosis: str) -> None:
    group = parse_quick_entry(line, DEMO_DEFAULTS)
    assert (group.kind, group.diagnosis) == (kind, diagnosis)


def test_a_multi_word_type_leaves_the_later_words_in_place() -> None:
    assert parse_quick_entry("2 plantar wart foot laser", DEMO_DEFAULTS) == LesionGroup(
        LesionKind.BENIGN, 2, "foot", "laser", "B07.0"
    )
    with pytest.raises(InputError) as caught:
        parse_quick_entry("2 plantar wart foot ???", DEMO_DEFAULTS)
    assert "fifth word" in caught.value.text and "“???”" in caught.value.text
    with pytest.raises(InputError) as caught:
        parse_quick_entry("2 plantar foot", DEMO_DEFAULTS)
    assert "second word" in caught.value.text and "“plantar”" in caught.value.text


def test_without_a_practice_default_a_kind_word_takes_the_declared_default() -> None:
    none = QuickEntryDefaults()
    assert parse_quick_entry("2 pre", none).diagnosis == "L57.0"
    assert parse_quick_entry("2 tag", none).diagnosis == "L91.8"
    assert parse_quick_entry("2 ben", none).diagnosis == ""  # no single benign code is sensible
    assert parse_quick_entry("1 mal", none).diagnosis == ""


ALL_TYPES = kinds.shipped().types
#: every code a practice might have set as a default: each type's and each kind's
ANY_CODE = sorted({t.diagnosis for t in ALL_TYPES if t.diagnosis} | {"L57.8", "C44.311", "D23.9"})


def _cased(word: str, data: st.DataObject) -> str:
    return "".join(c.upper() if data.draw(st.booleans()) else c for c in word)


@settings(max_examples=150)
@given(
    st.sampled_from(ALL_TYPES),
    st.data(),
    st.dictionaries(st.sampled_from(list(LesionKind)), st.sampled_from(ANY_CODE)),
    st.integers(min_value=1, max_value=200),
    st.sampled_from(["", " face", " hand cryo", " trunk laser", " neck electro"]),
)
def test_a_type_word_never_takes_another_types_diagnosis(
    lesion_type: kinds.LesionType,
    data: st.DataObject,
    practice: dict[LesionKind, str],
    count: int,
    rest: str,
) -> None:
    """Whatever the practice's defaults, a type word gives its own code (or none), and its kind."""
    word = _cased(data.draw(st.sampled_from(lesion_type.words)), data)
    group = parse_quick_entry(f"{count} {word}{rest}", QuickEntryDefaults(diagnoses=practice))
    assert group.kind == lesion_type.kind
    assert group.diagnosis == (lesion_type.diagnosis or "")


@settings(max_examples=80)
@given(
    st.sampled_from(kinds.shipped().kinds),
    st.data(),
    st.dictionaries(st.sampled_from(list(LesionKind)), st.sampled_from(ANY_CODE)),
)
def test_a_kind_word_takes_the_practice_default_else_the_declared_one(
    kind: kinds.Kind, data: st.DataObject, practice: dict[LesionKind, str]
) -> None:
    word = _cased(data.draw(st.sampled_from(kind.words)), data)
    group = parse_quick_entry(f"2 {word}", QuickEntryDefaults(diagnoses=practice))
    assert group.kind == kind.name
    assert group.diagnosis == (practice.get(LesionKind(kind.name)) or kind.default_diagnosis or "")


def test_edit_kind_accepts_type_words_and_changes_only_the_kind() -> None:
    assert edit_group(AK, "kind", "plantar wart") == LesionGroup(
        LesionKind.BENIGN, 12, "face", "cryosurgery", "L57.0"
    )
    assert edit_group(AK, "kind", "Skin tag").kind is LesionKind.SKIN_TAG


def test_the_hint_names_kind_and_type_words() -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry("3 zebra", DEMO_DEFAULTS)
    for word in ("ak", "pre", "ben", "tag", "vasc", "mal", "sk", "wart", "plantar wart", "molluscum", "bcc"):
        assert word in caught.value.text


@pytest.mark.parametrize(
    ("line", "meant"), [("3 plantr wart foot", "plantar wart"), ("3 mollusk face", "molluscum")]
)
def test_a_mistyped_type_gets_a_suggestion(line: str, meant: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_quick_entry(line, DEMO_DEFAULTS)
    assert f"Did you mean “{meant}”?" in caught.value.text
