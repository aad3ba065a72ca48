"""The index file format: round trip, bisection lookups, damaged files."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.icd10_index import (
    IndexFormatError,
    IndexRow,
    PartialIndex,
    decode,
    encode,
    write_atomically,
)

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=7)
descriptions = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip() != "")


@settings(max_examples=150)
@given(st.dictionaries(codes, st.tuples(st.booleans(), descriptions), min_size=1, max_size=60), codes)
def test_every_stored_code_is_found_and_nothing_else(
    entries: dict[str, tuple[bool, str]], probe: str
) -> None:
    rows = [IndexRow(code, billable, text) for code, (billable, text) in entries.items()]
    data = decode(encode("Release X", "a test", reversed(rows)))
    assert data.release == "Release X"
    assert data.source == "a test"
    for code, (billable, text) in entries.items():
        assert data.find(code) == IndexRow(code, billable, " ".join(text.split()))
    if probe not in entries:
        assert data.find(probe) is None
    assert [row.code for row in data.rows()] == sorted(entries)
    assert [row.code for row in data.rows_with_prefix(probe)] == sorted(
        c for c in entries if c.startswith(probe)
    )
    assert data.counts() == (len(entries), sum(billable for billable, _ in entries.values()))


def test_words_are_searched_in_descriptions_only() -> None:
    rows = [IndexRow("L570", True, "Actinic keratosis"), IndexRow("L821", True, "Other seborrheic keratosis")]
    data = decode(encode("r", "s", rows))
    assert [row.code for row in data.rows_describing(["keratosis"])] == ["L570", "L821"]
    assert [row.code for row in data.rows_describing(["keratosis", "actinic"])] == ["L570"]
    assert list(data.rows_describing(["l570"])) == []


def test_tabs_and_line_breaks_in_text_cannot_break_the_format() -> None:
    data = decode(encode("r\tx", "s\nt", [IndexRow("A00", False, "two\tparts\nand lines")]))
    assert data.release == "r x"
    assert data.find("A00") == IndexRow("A00", False, "two parts and lines")


def test_encoding_is_deterministic() -> None:
    rows = [IndexRow("A00", False, "Cholera"), IndexRow("A000", True, "Cholera due to Vibrio")]
    assert encode("r", "s", rows) == encode("r", "s", list(reversed(rows)))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"plain text, not gzip", "not a compressed"),
        (gzip.compress(b"hello\nA00\t0\tCholera\n"), "header"),
        (gzip.compress(b"#superbill-icd10cm\t9\tr\ts\nA00\t0\tCholera\n"), "not supported"),
        (gzip.compress(b"#superbill-icd10cm\t1\tr\ts\n"), "no codes"),
        (gzip.compress(b"#superbill-icd10cm\t1\tr\ts\nA00\t0\tChol"), "cut off"),
        (encode("r", "s", [IndexRow("A00", False, "Cholera")])[:-6], "not a compressed"),
    ],
)
def test_damaged_files_are_refused(content: bytes, words: str) -> None:
    with pytest.raises(IndexFormatError, match=words):
        decode(content)
    with pytest.raises(IndexFormatError, match=words):
        PartialIndex(content).find("ZZZZZZZ")  # past every code: the whole file is read


def test_a_wrong_checksum_is_refused_once_the_whole_file_is_read() -> None:
    content = bytearray(encode("r", "s", [IndexRow("A00", False, "Cholera")]))
    content[-6] ^= 0xFF  # the last byte of the CRC-32 in the gzip trailer
    with pytest.raises(IndexFormatError, match="not a compressed"):
        decode(bytes(content))
    with pytest.raises(IndexFormatError, match="not a compressed"):
        PartialIndex(bytes(content)).find("ZZZZZZZ")


@settings(max_examples=100)
@given(
    st.dictionaries(codes, st.tuples(st.booleans(), descriptions), min_size=1, max_size=60),
    st.lists(codes, max_size=8),
)
def test_a_partial_read_answers_like_the_whole_index(
    entries: dict[str, tuple[bool, str]], probes: list[str]
) -> None:
    rows = [IndexRow(code, billable, text) for code, (billable, text) in entries.items()]
    content = encode("r", "s", rows)
    whole, partial = decode(content), PartialIndex(content)
    for probe in [*probes, *entries][:20]:
        assert partial.find(probe) == whole.find(probe)


def test_a_partial_read_of_the_shipped_index_stops_early() -> None:
    from importlib import resources

    content = resources.files("resources.icd10cm").joinpath("icd10cm_index.tsv.gz").read_bytes()
    whole, partial = decode(content), PartialIndex(content)
    for probe in ["C44311", "L570", "L57", "L5700", "A000", "I781"]:
        assert partial.find(probe) == whole.find(probe)
    read = sum(len(block.text) for block in partial._blocks)
    assert read < len(whole.text) / 2


def test_write_atomically_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "index.gz"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["index.gz"]


def test_word_search_survives_letters_whose_lower_case_is_longer() -> None:
    rows = [IndexRow("A00", True, "İzmir fever"), IndexRow("B00", True, "Other fever")]
    data = decode(encode("r", "s", rows))
    assert [row.code for row in data.rows_describing(["fever"])] == ["A00", "B00"]
    assert [row.code for row in data.rows_describing(["other", "fever"])] == ["B00"]


@settings(max_examples=100)
@given(
    st.dictionaries(codes, st.tuples(st.booleans(), descriptions), min_size=1, max_size=60),
    st.lists(codes, max_size=8),
    st.integers(min_value=1, max_value=200),
)
def test_a_file_of_many_members_reads_like_one(
    entries: dict[str, tuple[bool, str]], probes: list[str], member_text: int
) -> None:
    """Small members (a few lines each): every lookup reads one member and answers as the whole."""
    rows = [IndexRow(code, billable, text) for code, (billable, text) in entries.items()]
    content = encode("r", "s", rows, member_text=member_text)
    assert gzip.decompress(content) == gzip.decompress(encode("r", "s", rows, member_text=10**9))
    whole, partial = decode(content), PartialIndex(content)
    for probe in [*probes, *entries, "", "0", "ZZZZZZZZ"][:24]:
        assert partial.find(probe) == whole.find(probe)


def test_a_damaged_member_is_refused_when_read() -> None:
    rows = [IndexRow(f"A{n:03}", True, f"Code number {n}") for n in range(300)]
    content = bytearray(encode("r", "s", rows, member_text=500))
    partial = PartialIndex(bytes(content))
    assert len(partial._starts) > 10
    middle = partial._starts[5]
    content[partial._starts[6] - 6] ^= 0xFF  # the CRC-32 of the sixth member
    damaged = PartialIndex(bytes(content))
    assert damaged._starts == partial._starts
    assert damaged.find("A000") == IndexRow("A000", True, "Code number 0")
    first_of_sixth = damaged._first(5)
    with pytest.raises(IndexFormatError, match="not a compressed"):
        damaged.find(first_of_sixth)
    assert middle > 0


def test_the_shipped_index_is_written_as_encode_writes_it() -> None:
    """The shipped file is its own rows written by ``encode`` (members of MEMBER_TEXT characters, which
    PartialIndex reads one by one); a file rebuilt by ``python -m core.icd10_build`` is the same."""
    from importlib import resources

    content = resources.files("resources.icd10cm").joinpath("icd10cm_index.tsv.gz").read_bytes()
    whole = decode(content)
    assert encode(whole.release, whole.source, whole.rows()) == content
    starts, at = [], 0
    while at < len(content):  # the members, one after the other, as any gzip reader finds them
        starts.append(at)
        inflate = zlib.decompressobj(wbits=31)
        inflate.decompress(content[at:])
        at = len(content) - len(inflate.unused_data)
    assert PartialIndex(content)._starts == starts and len(starts) > 100
    # every member says "written on an unknown system": the same bytes from Linux, macOS and Windows
    assert {content[start + 9] for start in starts} == {0xFF}
