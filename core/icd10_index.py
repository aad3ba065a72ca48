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

import gzip
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAGIC = "#superbill-icd10cm"
FORMAT_VERSION = "1"


class IndexFormatError(ValueError):
    """The bytes are not an ICD-10-CM index file this version of the program can read."""


@dataclass(frozen=True)
class IndexRow:
    """One code as stored: ``code`` without its dot, ``billable`` False for a heading."""

    code: str
    billable: bool
    description: str


def _clean_field(text: str) -> str:
    """Tabs and line breaks would break the format; descriptions never need them."""
    return " ".join(text.split())


@dataclass(frozen=True)
class IndexData:
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
    parts = header.split("\t")
    if len(parts) != 4 or parts[0] != MAGIC:
        raise IndexFormatError("its first line is not an ICD-10-CM index header")
    if parts[1] != FORMAT_VERSION:
        raise IndexFormatError(f"index format {parts[1]!r} is not supported (expected {FORMAT_VERSION})")
    if not body.endswith("\n") or body.count("\t", 0, 200) < 2:
        raise IndexFormatError("it holds no codes or its last line is cut off")
    return IndexData(release=parts[2], source=parts[3], text=body)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees either the old file or the whole new one."""
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
