"""The compact ICD-10-CM index file: one format for the shipped index and for a user-loaded release.

The file is gzip-compressed UTF-8 text. The first line is a header::

    #superbill-icd10cm<TAB>1<TAB><release><TAB><source>

and every other line is one code of the code set, **sorted by code**::

    <code without dot><TAB><1 if billable, 0 if a heading><TAB><description>

Only real codes are listed (categories, subcategories and billable codes); chapters and blocks such
as ``A00-A09`` are not codes and are left out. Writing is deterministic (no timestamp in the gzip
header) so rebuilding from the same data gives the same bytes.

Reading keeps the decompressed text as one string and finds a code by bisection over its lines,
so opening the ~98,000-code set costs one decompression (tens of milliseconds, ~8 MB) and makes no
per-code Python objects; records are made only for the codes asked about. The gzip checksum
catches a damaged file.
"""

from __future__ import annotations

import bisect
import codecs
import gzip
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


def encode(release: str, source: str, rows: Iterable[IndexRow]) -> bytes:
    """The compressed file content for ``rows`` (written sorted by code)."""
    header = f"{MAGIC}\t{FORMAT_VERSION}\t{_clean_field(release)}\t{_clean_field(source)}"
    body = [
        f"{row.code}\t{int(row.billable)}\t{_clean_field(row.description)}"
        for row in sorted(rows, key=lambda row: row.code)
    ]
    text = "\n".join([header, *body]) + "\n"
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def decode(data: bytes) -> IndexData:
    """Parse file content written by :func:`encode`; raises :class:`IndexFormatError` if it is not one."""
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

    The lines are sorted by code, so the row of a code is known once the text decompressed so far
    reaches a line whose code sorts at or after it: a few codes near the start of the code set cost a
    fraction of a full :func:`decode`. Reading to the end checks the gzip checksum like :func:`decode`;
    a damaged or foreign file raises :class:`IndexFormatError`.
    """

    _CHUNK = 1 << 15  # compressed bytes fed per step

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._fed = 0
        self._inflate = zlib.decompressobj(wbits=31)  # gzip wrapper: header and checksum checked
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._pending = ""  # decompressed text not yet split into the header and the lines
        self._header: list[str] | None = None
        self._blocks: list[IndexData] = []  # complete code lines read so far, in file order
        self._lasts: list[str] = []  # the code of each block's last line
        self._done = False

    def find(self, code: str) -> IndexRow | None:
        """The row of ``code`` (no dot, upper case), or None; reads no further than needed."""
        while not self._done and (not self._lasts or self._lasts[-1] < code):
            self._read_more()
        at = bisect.bisect_left(self._lasts, code)
        return self._blocks[at].find(code) if at < len(self._blocks) else None

    def _read_more(self) -> None:
        try:
            if self._fed < len(self._data):
                chunk = self._data[self._fed : self._fed + self._CHUNK]
                self._fed += len(chunk)
                raw = self._inflate.decompress(chunk)
            else:
                raw = self._inflate.flush()
                self._done = True
            text = self._utf8.decode(raw, final=self._done)
        except (zlib.error, UnicodeDecodeError) as err:
            raise IndexFormatError(f"it is not a compressed ICD-10-CM index ({err})") from err
        if self._done and not self._inflate.eof:
            raise IndexFormatError("it is not a compressed ICD-10-CM index (the file is cut off)")
        pending = self._pending + text
        if self._header is None:
            header, newline, pending = pending.partition("\n")
            if not newline:
                self._pending = header
                if self._done:
                    raise IndexFormatError("its first line is not an ICD-10-CM index header")
                return
            self._header = _checked_header(header)
        cut = pending.rfind("\n") + 1
        if cut:
            start = pending.rfind("\n", 0, cut - 1) + 1
            self._lasts.append(pending[start : pending.find("\t", start)])
            self._blocks.append(IndexData("", "", pending[:cut]))
        self._pending = pending[cut:]
        if self._done and (self._pending or not self._blocks or self._blocks[0].text.count("\t", 0, 200) < 2):
            raise IndexFormatError("it holds no codes or its last line is cut off")


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
