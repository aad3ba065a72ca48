"""The site-word table: every word maps to a contract site with a source, modifiers are kept."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.coding import sites, tables

TABLE = sites.table()
WORDS = TABLE.words
CONFIDENCE = {"HIGH", "MED", "LOW", "UNCONFIRMED"}

#: the words of the issue, and what each must be coded as
EVERYDAY = {
    "cheek": "face",
    "forehead": "face",
    "temple": "face",
    "chin": "face",
    "ear": "ear",
    "eyelid": "eyelid",
    "nose": "nose",
    "lip": "lip",
    "scalp": "scalp",
    "neck": "neck",
    "back": "trunk",
    "chest": "trunk",
    "abdomen": "trunk",
    "flank": "trunk",
    "shoulder": "arm",
    "axilla": "trunk",
    "buttock": "trunk",
    "arm": "arm",
    "forearm": "arm",
    "elbow": "arm",
    "wrist": "arm",
    "thigh": "leg",
    "knee": "leg",
    "leg": "leg",
    "shin": "leg",
    "calf": "leg",
    "ankle": "leg",
    "hand": "hand",
    "palm": "hand",
    "finger": "hand",
    "foot": "foot",
    "sole": "foot",
    "toe": "foot",
    "genitalia": "genitalia",
}


def test_the_file_has_its_source_and_date() -> None:
    data = tables.read_table(sites.FILE)
    assert isinstance(data["source"], str) and len(data["source"]) > 30
    date.fromisoformat(data["effective_date"])
    assert set(TABLE.group_sources) == set(tables.lesion_coding().sites)
    for source in TABLE.group_sources.values():
        assert "coding-rules.md" in source and len(source) > 30


@pytest.mark.parametrize("row", WORDS, ids=[w.word for w in WORDS])
def test_every_row_names_a_contract_site_with_a_source(row: sites.SiteWord) -> None:
    assert row.site in tables.lesion_coding().sites
    assert row.confidence in CONFIDENCE
    assert len(row.source) > 20
    if row.confidence == "LOW":
        assert row.note, "a LOW row says what to type instead"
    assert "AMA" not in row.source  # our own words, never descriptor text


def test_every_contract_site_is_its_own_word() -> None:
    for site in tables.lesion_coding().sites:
        assert sites.lookup(site) is not None and sites.lookup(site).site == site  # type: ignore[union-attr]


@pytest.mark.parametrize(("word", "site"), sorted(EVERYDAY.items()))
def test_the_everyday_words_of_the_issue(word: str, site: str) -> None:
    found = sites.lookup(word)
    assert found is not None and found.site == site


@pytest.mark.parametrize("row", WORDS, ids=[w.word for w in WORDS])
@pytest.mark.parametrize("side", ["left", "right", "L", "Rt", "upper", "posterior"])
def test_every_word_with_a_side_keeps_the_side_and_maps_to_its_site(row: sites.SiteWord, side: str) -> None:
    typed = f"{side} {row.word.title()}"
    reading = sites.read_site(typed)
    assert reading == sites.SiteReading(row.site, typed)
    assert reading.says_more


@pytest.mark.parametrize(
    ("typed", "site"),
    [
        ("upper back", "trunk"),
        ("back of the hand", "hand"),
        ("back of hand", "hand"),
        ("tip of nose", "nose"),
        ("nasal tip", "nose"),
        ("left nasal ala", "nose"),
        ("scalp vertex", "scalp"),
        ("mucous membrane", "mucous_membrane"),
        ("oral mucosa", "mucous_membrane"),
        ("right lower eyelid", "eyelid"),
        ("left medial canthus", "eyelid"),
    ],
)
def test_phrases(typed: str, site: str) -> None:
    reading = sites.read_site(typed)
    assert reading is not None and (reading.site, reading.words) == (site, typed)


@pytest.mark.parametrize("typed", ["", "left", "cheek nose", "zebra", "left zebra", "back hand"])
def test_what_is_not_one_site(typed: str) -> None:
    assert sites.read_site(typed) is None


def test_a_site_word_alone_says_no_more_than_its_site() -> None:
    assert not sites.SiteReading("face", "Face").says_more
    assert not sites.SiteReading("mucous_membrane", "mucous membrane").says_more
    assert sites.SiteReading("face", "cheek").says_more


def test_modifiers_are_never_site_words() -> None:
    assert not TABLE.modifiers & set(TABLE.by_word)


def test_the_picker_list() -> None:
    everything = sites.find_sites("")
    assert [c.site for c in everything] == list(tables.lesion_coding().sites)
    found = sites.find_sites("left ch")
    assert {c.words for c in found} >= {"left cheek", "left chest", "left chin"}
    assert all(c.words.startswith("left ") for c in found)
    cheek = next(c for c in found if c.words == "left cheek")
    assert (cheek.site, cheek.group) == ("face", "face, ears, eyelids, nose, lips or mucous membrane")
    wrist = sites.find_sites("wrist")[0]
    assert wrist.site == "arm" and "hand" in wrist.note
    assert sites.find_sites("zzz") == ()
    assert sites.find_sites("bac")[0].words == "back"  # starts first, then anywhere


@settings(max_examples=100)
@given(st.text(max_size=30))
def test_any_query_gives_choices_that_read_back(query: str) -> None:
    for choice in sites.find_sites(query, limit=5):
        reading = sites.read_site(choice.words)
        assert reading is not None and reading.site == choice.site


def test_suggestions_and_the_site_of_a_word_that_is_not_a_contract_site() -> None:
    assert sites.suggestion("chek") == "cheek"
    assert sites.suggestion("zzzzzz") is None
    back = sites.site_of_unknown("back")
    assert back is not None and back.site == "trunk"
    assert sites.site_of_unknown("face") is None


def test_the_window_guide_lists_table_words_under_their_sites() -> None:
    """docs/gui.md's site-word table says what the file says: each listed word names that site."""
    import re
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[3] / "docs" / "gui.md").read_text(encoding="utf-8")
    table = guide.split("| site (group) | words |", 1)[1].split("\n\n", 1)[0]
    listed = 0
    for line in table.splitlines()[2:]:
        first, words = (cell.strip() for cell in line.strip("|").split("|"))
        site = first.split(" (")[0].replace(" ", "_")
        for word in re.findall(r"`([^`]+)`", words):
            row = sites.lookup(word)
            assert row is not None and row.site == site, word
            listed += 1
    assert listed > 100


def test_wrist_and_ankle_are_low_and_go_to_the_lower_valued_group_as_their_rows_say() -> None:
    """No source places the wrist or ankle for CPT (ICD-10-CM itself is split), so they stay LOW; the
    rows keep them with the arm and leg because 1726x is the lower-valued group in every band, checked
    here against the CMS RVU files so the reason cannot go stale unnoticed."""
    data = tables.read_table("site_words.json")
    rows = {row["word"]: row for row in data["words"]}
    for word, site in (("wrist", "arm"), ("wrists", "arm"), ("ankle", "leg"), ("ankles", "leg")):
        assert (rows[word]["site"], rows[word]["confidence"]) == (site, "LOW")
        assert "lower-valued" in rows[word]["source"] and "ICD-10-CM" in rows[word]["source"]
        assert sites.read_site(word) is not None and sites.read_site(word).site == site  # type: ignore[union-attr]
    groups = tables.lesion_coding().malignant_groups
    arm, hand = tables.lesion_coding().sites["arm"], tables.lesion_coding().sites["hand"]
    assert tables.lesion_coding().sites["leg"].malignant_group == arm.malignant_group
    assert tables.lesion_coding().sites["foot"].malignant_group == hand.malignant_group
    pairs = zip(groups[arm.malignant_group].codes, groups[hand.malignant_group].codes, strict=True)
    for limb, extremity in pairs:
        for year in (2025, 2026):
            for facility in (False, True):
                low = tables.rvu_total(limb, year, facility=facility)
                high = tables.rvu_total(extremity, year, facility=facility)
                assert low is not None and high is not None and low < high, (limb, extremity, year)
