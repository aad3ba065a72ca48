"""The compact ICD-10-CM index file: one format for the shipped index and for a user-loaded release.

The file is gzip-compressed UTF-8 text. The first line is a header::

    #superbill-icd10cm<TAB>1<TAB><release><TAB><source>

and every other line is one code of the code set, **sorted by code**::

    <code without dot><TAB><1 if billable, 0 if a heading><TAB><description>

Only real codes are listed (categories, subcategories and billable codes); chapters and blocks such
as ``A00-A09`` are not codes and are left out. Writing is deterministic (no timestamp in the gzip
header) so rebuilding from the same data gives the same bytes. The text is written as a series of
gzip members of about 32 kB of text each, cut at line ends (a gzip reader reads them as one text), so
that a few lookups (one ``superbill code`` call) decompress a few members instead of every code
before the last one asked about (:class:`PartialIndex`).

Reading keeps the decompressed text as one string and finds a code by bisection over its lines,
so opening the ~98,000-code set costs one decompression (tens of milliseconds, ~8 MB) and makes no
per-code Python objects; records are made only for the codes asked about. The gzip checksum
catches a damaged file.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from core.record import Record

MAGIC = "#superbill-icd10cm"
FORMAT_VERSION = "1"


class IndexFormatError(ValueError):
    """The bytes are not an ICD-10-CM index file this version of the program can read."""


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class IndexRow(Record):
    """One code as stored: ``code`` without its dot, ``billable`` False for a heading."""

    code: str
    billable: bool
    description: str


def _clean_field(text: str) -> str:
    """Tabs and line breaks would break the format; descriptions never need them."""
    return " ".join(text.split())


class IndexData(Record):
    """A parsed index: release name, where it came from, and the sorted code lines as one string."""

    release: str
    source: str
    text: str

    def _line_at(self, start: int) -> IndexRow:
        end = self.text.find("\n", start)
        code, flag, description = self.text[start:end].split("\t", 2)
        return IndexRow(code, flag == "1", description)

    def find(self, code: str) -> IndexRow | None:
        """The row of ``code`` (no dot, upper case), or None; bisection over the sorted lines."""
        text = self.text
        lo, hi = 0, len(text)
        while lo < hi:
            start = text.rfind("\n", 0, (lo + hi) // 2) + 1  # >= lo: lo is a line start
            key = text[start : text.find("\t", start)]
            if key == code:
                return self._line_at(start)
            if key < code:
                lo = text.find("\n", start) + 1
            else:
                hi = start
        return None

    def counts(self) -> tuple[int, int]:
        """How many codes the index holds, and how many of them are billable."""
        return self.text.count("\n"), self.text.count("\t1\t")

    def rows(self) -> Iterator[IndexRow]:
        """Every row in code order."""
        for line in self.text.splitlines():
            code, flag, description = line.split("\t", 2)
            yield IndexRow(code, flag == "1", description)

    def rows_with_prefix(self, prefix: str) -> Iterator[IndexRow]:
        """Rows whose code starts with ``prefix`` (no dot, upper case), in code order."""
        text = self.text
        lo, hi = 0, len(text)
        while lo < hi:  # first line whose code is >= prefix
            start = text.rfind("\n", 0, (lo + hi) // 2) + 1
            if text[start : text.find("\t", start)] < prefix:
                lo = text.find("\n", start) + 1
            else:
                hi = start
        while lo < len(text) and text.startswith(prefix, lo):
            yield self._line_at(lo)
            lo = text.find("\n", lo) + 1

    def rows_describing(self, words: list[str]) -> Iterator[IndexRow]:
        """Rows whose description holds every one of ``words`` (lower case), in code order."""
        if not words:
            return
        lowered = self.text.lower()
        if len(lowered) != len(self.text):  # a letter whose lower case is longer: slow path
            yield from (row for row in self.rows() if all(w in row.description.lower() for w in words))
            return
        first = words[0]
        pos = lowered.find(first)
        while pos != -1:
            start = lowered.rfind("\n", 0, pos) + 1
            end = lowered.find("\n", pos)
            description = lowered[start:end].split("\t", 2)[2]
            if all(word in description for word in words):
                yield self._line_at(start)
            pos = lowered.find(first, end)


#: how much text each gzip member of a written index holds, at most (plus the rest of its last line)
MEMBER_TEXT = 1 << 15

#: how every gzip member :func:`encode` writes starts (magic, deflate, no file name, no time, best
#: compression; the system byte that follows depends on zlib's build): where :class:`PartialIndex`
#: finds the members
_MEMBER_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02"


def encode(release: str, source: str, rows: Iterable[IndexRow], *, member_text: int = MEMBER_TEXT) -> bytes:
    """The compressed file content for ``rows`` (written sorted by code).

    The text is written as consecutive gzip members of about ``member_text`` characters, each ending
    at a line end: any gzip reader reads them as one text, and :class:`PartialIndex` can decompress
    one member alone (a lookup in the shipped index reads one 32 kB piece, not all codes before it).
    """
    header = f"{MAGIC}\t{FORMAT_VERSION}\t{_clean_field(release)}\t{_clean_field(source)}"
    body = [
        f"{row.code}\t{int(row.billable)}\t{_clean_field(row.description)}"
        for row in sorted(rows, key=lambda row: row.code)
    ]
    text = "\n".join([header, *body]) + "\n"
    import gzip  # here: lookups (superbill code) need only zlib

    members = []
    start = 0
    while start < len(text):
        # the first member holds the header and at least one code
        search_from = max(start + member_text - 1, len(header) + 1 if start == 0 else 0)
        end = text.find("\n", search_from) + 1 or len(text)
        member = gzip.compress(text[start:end].encode("utf-8"), compresslevel=9, mtime=0)
        # byte 9 of a gzip header names the system that wrote it, and zlib fills it in per platform
        # (3 on Linux, 19 on macOS, 10 on Windows): "unknown" makes the file the same everywhere
        members.append(member[:9] + _ANY_SYSTEM + member[10:])
        start = end
    return b"".join(members)


_ANY_SYSTEM = b"\xff"  # RFC 1952 OS field: unknown


def decode(data: bytes) -> IndexData:
    """Parse file content written by :func:`encode`; raises :class:`IndexFormatError` if it is not one."""
    import gzip  # here: lookups (superbill code) need only zlib

    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise IndexFormatError(f"it is not a compressed ICD-10-CM index ({err})") from err
    header, _, body = text.partition("\n")
    parts = _checked_header(header)
    if not body.endswith("\n") or body.count("\t", 0, 200) < 2:
        raise IndexFormatError("it holds no codes or its last line is cut off")
    return IndexData(release=parts[2], source=parts[3], text=body)


class PartialIndex:
    """A compressed index read only as far as the questions asked so far need.

    The file is a series of gzip members (see :func:`encode`), each holding whole lines in code order.
    A lookup finds the member that must hold the code by bisection over the members' first codes
    (a few bytes decompressed each) and decompresses that member alone, checking its gzip checksum;
    a damaged or foreign file raises :class:`IndexFormatError`. A file written as one member (an
    older program) is read whole at the first lookup.
    """

    def __init__(self, data: bytes) -> None:
        self._data = bytes(data)
        self._starts = [0]  # where each member starts
        at = self._data.find(_MEMBER_HEADER, 1)
        while at != -1:
            self._starts.append(at)
            at = self._data.find(_MEMBER_HEADER, at + 1)
        self._firsts: dict[int, str] = {}  # member number -> the code of its first line
        self._members: dict[int, IndexData] = {}  # member number -> its lines (read so far)
        self._blocks: list[IndexData] = []  # the members read so far, in reading order

    def find(self, code: str) -> IndexRow | None:
        """The row of ``code`` (no dot, upper case), or None; reads one member of the file."""
        lo, hi = 1, len(self._starts)  # the member is the last one whose first code is <= code
        while lo < hi:
            middle = (lo + hi) // 2
            if code < self._first(middle):
                hi = middle
            else:
                lo = middle + 1
        return self._member(lo - 1).find(code)

    def _slice(self, number: int) -> bytes:
        end = self._starts[number + 1] if number + 1 < len(self._starts) else len(self._data)
        return self._data[self._starts[number] : end]

    def _first(self, number: int) -> str:
        """The first code of member ``number`` (> 0), from the first bytes of the member."""
        if number in self._members:
            return self._members[number].text[: self._members[number].text.find("\t")]
        if number not in self._firsts:
            inflate = zlib.decompressobj(wbits=31)
            try:
                start = inflate.decompress(self._slice(number), 64)
            except zlib.error as err:
                raise IndexFormatError(f"it is not a compressed ICD-10-CM index ({err})") from err
            tab = start.find(b"\t")
            if tab <= 0:
                raise IndexFormatError(
                    "it is not a compressed ICD-10-CM index (a piece does not start a line)"
                )
            self._firsts[number] = start[:tab].decode("ascii", "replace")
        return self._firsts[number]

    def _member(self, number: int) -> IndexData:
        """The lines of member ``number``, decompressed and checked (the first member's header too)."""
        if number in self._members:
            return self._members[number]
        inflate = zlib.decompressobj(wbits=31)  # gzip wrapper: header and checksum checked
        try:
            text = inflate.decompress(self._slice(number)).decode("utf-8")
        except (zlib.error, UnicodeDecodeError) as err:
            raise IndexFormatError(f"it is not a compressed ICD-10-CM index ({err})") from err
        if not inflate.eof or inflate.unused_data:
            raise IndexFormatError("it is not a compressed ICD-10-CM index (the file is cut off)")
        if number == 0:
            header, newline, text = text.partition("\n")
            if not newline:
                raise IndexFormatError("its first line is not an ICD-10-CM index header")
            _checked_header(header)
        if not text.endswith("\n") or text.count("\t", 0, 200) < 2:
            raise IndexFormatError("it holds no codes or its last line is cut off")
        block = IndexData("", "", text)
        self._members[number] = block
        self._blocks.append(block)
        return block


def _checked_header(header: str) -> list[str]:
    parts = header.split("\t")
    if len(parts) != 4 or parts[0] != MAGIC:
        raise IndexFormatError("its first line is not an ICD-10-CM index header")
    if parts[1] != FORMAT_VERSION:
        raise IndexFormatError(f"index format {parts[1]!r} is not supported (expected {FORMAT_VERSION})")
    return parts


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees either the old file or the whole new one."""
    import tempfile  # only a load writes; lookups should not import it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
