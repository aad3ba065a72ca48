"""The lesion-kind declaration (resources/codes/lesion_kinds.json), walked kind by kind and type by type.

Every kind parses from each of its words, codes to its own family's CPT codes, has its labels, and its
default diagnosis is a billable code of the shipped ICD-10-CM code set that supports it. Every type
parses to its kind and code, and its code is billable and named as the source says. Adding a type is
the data file alone; adding a kind is the data file and the ``LesionKind`` enum.
"""

from __future__ import annotations

import ast
import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core import icd10
from core.coding import Encounter, LesionGroup, LesionKind, code_encounter, families, kinds, rules, tables
from core.errors import InputError
from core.quick_entry import QuickEntryDefaults, edit_group, format_quick_entry, parse_quick_entry

ROOT = Path(__file__).resolve().parents[3]
DECLARED = kinds.shipped()
CONFIDENCE = {"HIGH", "MED", "LOW", "UNCONFIRMED"}
SIZE = {"diameter_cm": " 0.8cm", "area_sq_cm": " 5cm2", None: ""}


def _billable(code: str) -> bool:
    found = icd10.lookup(code)
    return found is not None and found.billable and found.code == code


def _a_supporting_code(kind: kinds.Kind) -> str:
    """The kind's default, else the first billable code of the shipped set under a supporting prefix."""
    if kind.default_diagnosis:
        return kind.default_diagnosis
    for prefix in kind.diagnoses.supports:
        for found in icd10.search(prefix.rstrip("."), limit=50):
            if found.billable and found.code.startswith(prefix):
                return found.code
    raise AssertionError(f"no billable code supports {kind.name}")


def _code_one(kind_name: str, line: str, diagnosis: str | None = None) -> Any:
    group = parse_quick_entry(line, QuickEntryDefaults())
    if diagnosis is not None:
        group = LesionGroup(**{**group.__dict__, "diagnosis": diagnosis})
    assert group.kind == kind_name
    return code_encounter(Encounter(date(2026, 11, 27), "11", (group,), payer="commercial"))


def _family_codes(family: str) -> set[str]:
    return {c.code for c in tables.cpt_table().values() if c.family == family}


def test_the_enum_is_the_declaration() -> None:
    assert tuple(k.value for k in LesionKind) == DECLARED.names()
    kinds.check_enum(DECLARED)  # what import does


@pytest.mark.parametrize("kind", DECLARED.kinds, ids=lambda k: k.name)
def test_every_kind_parses_codes_and_has_labels(kind: kinds.Kind) -> None:
    assert kind.screen_label and kind.paper_label and kind.plural
    assert kind.family in families.RULES
    diagnosis = _a_supporting_code(kind)
    for word in kind.words:
        result = _code_one(kind.name, f"3 {word}{SIZE[kind.measurement]}", diagnosis)
        assert not result.has_errors, result.messages
        billed = {line.cpt for line in result.lines}
        assert billed and billed <= _family_codes(kind.family), (word, billed)
        assert rules.DIAGNOSIS_MISMATCH not in {m.rule for m in result.messages}
    line = f"3 {kind.short_word}{SIZE[kind.measurement]} {diagnosis}"
    group = parse_quick_entry(line, QuickEntryDefaults())
    assert parse_quick_entry(format_quick_entry(group), QuickEntryDefaults()) == group


@pytest.mark.parametrize("kind", DECLARED.kinds, ids=lambda k: k.name)
def test_a_default_diagnosis_is_billable_and_supports_its_kind(kind: kinds.Kind) -> None:
    if kind.default_diagnosis is None:  # then the file says why no single code is sensible
        (row,) = [r for r in tables.read_table(kinds.FILE)["kinds"] if r["kind"] == kind.name]
        assert len(row["default_diagnosis_note"]) > 30
        return
    assert _billable(kind.default_diagnosis)
    assert kind.diagnoses.supported(kind.default_diagnosis)


def test_the_kinds_with_a_default_are_the_expected_ones() -> None:
    defaults = {k.name: k.default_diagnosis for k in DECLARED.kinds if k.default_diagnosis}
    assert defaults == {"premalignant": "L57.0", "skin_tag": "L91.8"}


#: types whose code draws the engine's softer, "debated" DIAGNOSIS_MISMATCH note with their kind
#: types whose code draws the softer "may not support" note (none since ICD-10-CM decided L56.8, issue 9.7)
DEBATED: set[str] = set()


@pytest.mark.parametrize("lesion_type", DECLARED.types, ids=lambda t: t.name)
def test_every_type_parses_to_its_kind_and_code_and_codes_cleanly(lesion_type: kinds.LesionType) -> None:
    kind = DECLARED.kind(lesion_type.kind)
    assert lesion_type.label and lesion_type.confidence in CONFIDENCE
    for word in lesion_type.words:
        group = parse_quick_entry(f"2 {word} face{SIZE[kind.measurement]}", QuickEntryDefaults())
        assert (group.kind, group.diagnosis) == (kind.name, lesion_type.diagnosis or "")
    if lesion_type.diagnosis is None:
        assert "No single code" in lesion_type.source
        return
    assert _billable(lesion_type.diagnosis), lesion_type.diagnosis
    assert "ICD-10-CM" in lesion_type.source and lesion_type.diagnosis in lesion_type.source
    result = _code_one(kind.name, f"2 {lesion_type.words[0]} face{SIZE[kind.measurement]}")
    assert not result.has_errors, result.messages
    assert result.diagnoses == (lesion_type.diagnosis,)
    assert {line.cpt for line in result.lines} <= _family_codes(kind.family)
    mismatches = [m for m in result.messages if m.rule == rules.DIAGNOSIS_MISMATCH]
    if lesion_type.name in DEBATED:
        assert kind.diagnoses.debated(lesion_type.diagnosis) is not None
        assert len(mismatches) == 1 and "may not support" in mismatches[0].text
    else:
        assert kind.diagnoses.supported(lesion_type.diagnosis) and mismatches == []


def test_every_title_a_source_quotes_is_the_shipped_code_sets_title() -> None:
    """``L91.8 'Other hypertrophic disorders of the skin'`` must be what core.icd10 says of L91.8."""
    data = tables.read_table(kinds.FILE)
    sources = [t["source"] for t in data["types"]]
    sources += [k["default_diagnosis"]["source"] for k in data["kinds"] if k["default_diagnosis"]]
    quoted = [m for s in sources for m in re.findall(r"\b([A-Z]\d\d\.\w{1,4}) '([^']+)'", s)]
    assert len(quoted) >= len([t for t in DECLARED.types if t.diagnosis])
    for code, title in quoted:
        found = icd10.lookup(code)
        assert found is not None and found.description == title, (code, title)


def test_the_case_the_issue_reported() -> None:
    """``3 wart hand cryo`` used to take the practice's benign default, an SK code (L82.1)."""
    practice = QuickEntryDefaults(diagnoses={LesionKind.BENIGN: "L82.1"})
    assert parse_quick_entry("3 wart hand cryo", practice).diagnosis == "B07.8"


# -- the declaration's own checks ------------------------------------------------------------------
def _shipped_data() -> dict[str, Any]:
    return copy.deepcopy(tables.read_table(kinds.FILE))


def test_adding_a_type_needs_only_the_data() -> None:
    data = _shipped_data()
    data["types"].append(
        {
            "type": "pyogenic_granuloma",
            "kind": "benign",
            "label": "Pyogenic granuloma",
            "words": ["pyogenic granuloma", "pg"],
            "diagnosis": "L98.0",
            "confidence": "HIGH",
            "source": "ICD-10-CM FY2026 tabular L98.0 'Pyogenic granuloma'",
        }
    )
    with kinds.using(kinds.load(data)):
        group = parse_quick_entry("2 PG face curette", QuickEntryDefaults())
        assert group == LesionGroup(LesionKind.BENIGN, 2, "face", "curettement", "L98.0")
        result = code_encounter(Encounter(date(2026, 11, 27), "11", (group,)))
        assert [line.cpt for line in result.lines] == ["17110"]
    with pytest.raises(Exception, match="second word"):  # gone again outside the block
        parse_quick_entry("2 pg face", QuickEntryDefaults())


def test_adding_a_kind_is_the_data_and_the_enum() -> None:
    """A kind of an existing family needs no module but the enum, and import names that one."""
    data = _shipped_data()
    extra = copy.deepcopy(data["kinds"][1])
    extra.update(kind="benign_genital", words=["bgen"], screen_label="Benign, genital", paper_label="benign")
    data["kinds"].append(extra)
    declared = kinds.load(data)
    assert declared.lookup("bgen") == (declared.kind("benign_genital"), None)
    with pytest.raises(kinds.KindDeclarationError, match=r"core/coding/model\.py"):
        kinds.check_enum(declared)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["types"][0]["words"].append("wart"), ["wart", "common_wart"]),
        (lambda d: d["types"][0].update(kind="mole"), ["unknown kind", "mole"]),
        (lambda d: d["kinds"][0].update(family="lasers"), ["family", "lasers"]),
        (lambda d: d["kinds"][0].update(measurement="depth_mm"), ["measurement"]),
        (lambda d: d["kinds"][0]["words"].append("Pre  X"), ["lower case"]),
        (lambda d: d["kinds"].append(copy.deepcopy(d["kinds"][0])), ["unique"]),
    ],
)
def test_an_inconsistent_declaration_is_refused(change: Any, words: list[str]) -> None:
    data = _shipped_data()
    change(data)
    with pytest.raises(kinds.KindDeclarationError) as caught:
        kinds.load(data)
    for word in words:
        assert word in str(caught.value)


def test_no_word_of_a_kind_or_type_is_also_a_site_method_code_or_size() -> None:
    from core.quick_entry import word_slot

    for word in DECLARED.words():
        for part in word.split():
            if part == word or part in {"tag", "tags", "wart", "warts", "sk"}:
                assert word_slot(part) is None, word


# -- where kind names may appear -------------------------------------------------------------------
#: modules that may name kinds: the enum itself, the contract's worked example (docs/cli.md), and the
#: CPT *families* (their tables and counting rules; a kind of an existing family touches neither)
MAY_NAME_KINDS = {
    "core/coding/model.py",
    "core/coding/example.py",
    "core/coding/families.py",
    "core/coding/tables.py",
}


def _names_a_kind(source: str, names: set[str]) -> bool:
    """A ``LesionKind.MEMBER`` or a string constant that is exactly a kind name (not docs or comments)."""
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "LesionKind"
            and node.attr.isupper()
        ):
            return True
        if isinstance(node, ast.Constant) and node.value in names:
            return True
    return False


def test_only_the_enum_module_names_kinds() -> None:
    names = set(DECLARED.names())
    naming = {
        path.relative_to(ROOT).as_posix()
        for folder in ("core", "gui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if _names_a_kind(path.read_text(encoding="utf-8"), names)
    }
    assert "core/coding/model.py" in naming  # the scan does find the enum
    assert naming <= MAY_NAME_KINDS, sorted(naming - MAY_NAME_KINDS)


def test_the_window_guide_lists_every_type_with_its_code() -> None:
    guide = (ROOT / "docs" / "gui.md").read_text(encoding="utf-8")
    table = guide.split("| type words | kind | diagnosis |", 1)[1].split("\n\n", 1)[0]
    listed = set()
    for row in table.strip().splitlines()[1:]:
        words_cell, kind_cell, code_cell = (c.strip() for c in row.strip("|").split("|"))
        for word in re.findall(r"`([^`]+)`", words_cell):
            kind, lesion_type = DECLARED.lookup(word) or (None, None)
            assert lesion_type is not None and kind is not None, word
            assert kind.screen_label.lower() == kind_cell, word
            assert (lesion_type.diagnosis or "none") == code_cell.split(":")[0], word
            listed.add(lesion_type.name)
    assert listed == {t.name for t in DECLARED.types}


@pytest.mark.parametrize("kind", DECLARED.kinds, ids=lambda k: k.name)
def test_the_example_of_a_missing_diagnosis_fits_the_kind(kind: kinds.Kind) -> None:
    """A basal cell carcinoma with no code is not told to type L57.0 (an actinic keratosis): every
    message that gives an example code gives one of the kind's own, billable and supporting it."""
    example = kind.example_diagnosis
    assert _billable(example.code), example
    assert kind.diagnoses.supported(example.code)
    assert example.source.startswith("ICD-10-CM") and example.code in example.source
    word = kind.words[0]
    missing = _code_one(kind.name, f"1 {word} nose{SIZE[kind.measurement]}", diagnosis="")
    empty = [m.text for m in missing.messages if m.field.endswith(".diagnosis")]
    assert empty and all(example.phrase in text for text in empty), empty
    wrong = _code_one(kind.name, f"1 {word} nose{SIZE[kind.measurement]}", diagnosis="XYZ")
    assert any(example.phrase in m.text for m in wrong.messages), wrong.messages
    fitting = _code_one(kind.name, f"1 {word} nose{SIZE[kind.measurement]}", diagnosis=example.code)
    assert not [m for m in fitting.messages if m.field.endswith(".diagnosis")], fitting.messages
    group = parse_quick_entry(f"1 {word} nose{SIZE[kind.measurement]}", QuickEntryDefaults())
    with pytest.raises(InputError, match=re.escape(example.phrase)):
        edit_group(group, "diagnosis", "not a code")


def test_a_basal_cell_carcinoma_without_a_code_is_given_a_malignant_example() -> None:
    result = _code_one("malignant", "1 bcc nose electro 0.8cm")
    texts = " ".join(m.text for m in result.messages)
    assert "C44.311" in texts and "L57.0" not in texts, texts
