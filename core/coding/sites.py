"""Site words: what staff and provider notes call a body site, mapped to one of the contract's sites.

The table is ``resources/codes/site_words.json`` (read through ``core.coding.tables.read_table``): each
word (``cheek``, ``back``, ``shoulder``…) names one contract site (``face``, ``trunk``, ``arm``…) with
its source and confidence; the contract site's malignant group (``lesion_coding.json``) drives the
code. Modifiers (``left``, ``upper``, ``tip``, ``of``…) say where on the site and are kept in the typed
words, never changing the site.

A *site phrase* is a run of site words and modifiers: ``left cheek``, ``upper back``, ``nasal tip``,
``back of the hand``. Its site words must name one site, except that after ``of`` the last site word
wins (``back of hand`` is the hand). :func:`read_site` reads a whole phrase; :func:`phrase_at` finds
one inside a longer line (the quick-entry parser); :func:`find_sites` is the searchable list a site
picker shows. Pure: no Qt, no database.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from core.coding import tables

FILE = "site_words.json"
#: the word after which the last site word names the site (``back of hand``)
OF = "of"


@dataclass(frozen=True)
class SiteWord:
    """One row of the table: ``word`` (lower case, maybe several words) is coded as ``site``."""

    word: str
    site: str
    confidence: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class SiteReading:
    """A site phrase read: the contract ``site`` and the ``words`` as typed (spaces tidied)."""

    site: str
    words: str

    @property
    def says_more(self) -> bool:
        """True when the words say more than the site's own name (``left cheek``, not ``face``)."""
        return self.words.lower() not in (self.site, site_label(self.site))


@dataclass(frozen=True)
class SiteChoice:
    """One entry of the site picker: the words to show and keep, the site they are coded as, and the
    site's malignant group in words (``face, ears, eyelids, nose, lips or mucous membrane``)."""

    words: str
    site: str
    group: str
    note: str = ""


@dataclass(frozen=True)
class SiteTable:
    """The whole table: every word, the modifiers, and each contract site's group source."""

    words: tuple[SiteWord, ...]
    modifiers: frozenset[str]
    group_sources: dict[str, str]
    #: each word's row
    by_word: dict[str, SiteWord]
    #: how many space-separated words the longest table word has
    longest: int


class SiteTableError(ValueError):
    """The site-word table is inconsistent (a packaging error, not user input)."""


@cache
def table() -> SiteTable:
    """The shipped table, checked against the contract's sites once."""
    data = tables.read_table(FILE)
    words = tuple(
        SiteWord(
            word=" ".join(str(row["word"]).lower().split()),
            site=str(row["site"]),
            confidence=str(row["confidence"]),
            source=str(row["source"]),
            note=str(row.get("note", "")),
        )
        for row in data["words"]
    )
    found = SiteTable(
        words=words,
        modifiers=frozenset(str(m).lower() for m in data["modifiers"]),
        group_sources={site: str(row["source"]) for site, row in data["sites"].items()},
        by_word={w.word: w for w in words},
        longest=max(len(w.word.split()) for w in words),
    )
    _check(found)
    return found


def _check(found: SiteTable) -> None:
    contract = set(tables.lesion_coding().sites)
    if set(found.group_sources) != contract:
        raise SiteTableError(f"{FILE}: 'sites' must list exactly the contract's sites {sorted(contract)}")
    names = [w.word for w in found.words]
    if len(names) != len(found.by_word):
        raise SiteTableError(f"{FILE}: a word is listed twice")
    for word in found.words:
        if word.site not in contract:
            raise SiteTableError(f"{FILE}: “{word.word}” names “{word.site}”, which is not a contract site")
        if word.word in found.modifiers:
            raise SiteTableError(f"{FILE}: “{word.word}” is both a site word and a modifier")
    missing = contract - set(names)
    if missing:
        raise SiteTableError(f"{FILE}: the contract's own words must be listed: {sorted(missing)}")


def site_label(site: str) -> str:
    """``mucous_membrane`` → ``mucous membrane``: a contract site as words."""
    return site.replace("_", " ")


def group_label(site: str) -> str:
    """The malignant site group of a contract site, in words (``trunk, arms or legs``)."""
    coding = tables.lesion_coding()
    return coding.malignant_groups[coding.sites[site].malignant_group].name


def lookup(word: str) -> SiteWord | None:
    """The table row of one site word (any case, spaces tidied), else ``None``."""
    return table().by_word.get(" ".join(word.lower().split()))


def is_modifier(word: str) -> bool:
    """True for a word that says where on a site (``left``, ``upper``, ``tip``, ``of``)."""
    return word.lower() in table().modifiers


def _site_word_at(words: list[str], start: int) -> tuple[SiteWord, int] | None:
    """The longest table word starting at ``words[start]``, and how many words it takes."""
    found = table()
    for size in range(min(found.longest, len(words) - start), 0, -1):
        row = found.by_word.get(" ".join(words[start : start + size]).lower())
        if row is not None:
            return row, size
    return None


@dataclass(frozen=True)
class Phrase:
    """A site phrase found in a line: words ``start`` to ``end`` (exclusive).

    ``reading`` is ``None`` when the phrase names no site (only modifiers) or two different sites;
    ``sites`` then says which sites it names (empty: only modifiers).
    """

    start: int
    end: int
    reading: SiteReading | None
    sites: tuple[SiteWord, ...] = ()


def phrase_at(words: list[str], start: int) -> Phrase | None:
    """The site phrase (site words and modifiers in a run) starting at ``words[start]``, or ``None``
    when ``words[start]`` is neither a site word nor a modifier. ``words`` are as typed."""
    position = start
    named: list[SiteWord] = []
    after_of: list[SiteWord] = []
    seen_of = False
    while position < len(words):
        hit = _site_word_at(words, position)
        if hit is not None and hit[0] in named:
            break  # the same word again starts another phrase (face face: a second site)
        if hit is not None:
            named.append(hit[0])
            if seen_of:
                after_of.append(hit[0])
            position += hit[1]
        elif is_modifier(words[position]):
            seen_of = seen_of or words[position].lower() == OF
            position += 1
        else:
            break
    if position == start:
        return None
    while position > start + 1 and is_modifier(words[position - 1]) and words[position - 1].lower() == OF:
        position -= 1  # a trailing "of" belongs to nothing; leave it for the caller to report
    typed = " ".join(words[start:position])
    deciding = after_of[-1:] if after_of else named
    sites = {w.site for w in deciding}
    if len(sites) != 1:
        return Phrase(start, position, None, tuple(named))
    return Phrase(start, position, SiteReading(deciding[0].site, typed), tuple(named))


def read_site(text: str) -> SiteReading | None:
    """The site of a whole phrase (``left cheek`` → face), or ``None`` when it is not one site phrase."""
    words = text.split()
    if not words:
        return None
    phrase = phrase_at(words, 0)
    if phrase is None or phrase.end != len(words) or phrase.reading is None:
        return None
    return phrase.reading


def suggestion(word: str) -> str | None:
    """The closest site word to a mistyped one (``chek`` → ``cheek``), if any is close."""
    close = difflib.get_close_matches(word.lower(), [w.word for w in table().words], n=1, cutoff=0.75)
    return close[0] if close else None


def site_of_unknown(word: str) -> SiteWord | None:
    """For a word that is not a contract site: the table row that maps it (``back`` → trunk)."""
    row = lookup(word.replace("_", " "))
    return row if row is not None and row.site != word else None


def find_sites(query: str, limit: int = 20) -> tuple[SiteChoice, ...]:
    """The site picker's searchable list: entries matching ``query``, best first.

    The leading modifiers of ``query`` are kept in front of every entry (``left ch`` offers ``left
    cheek``, ``left chest``, ``left chin``); the last word is matched as the start of a site word, then
    anywhere in one. An empty query lists each contract site once, in the table's order. Choosing an
    entry is ``edit_group(group, "site", choice.words)`` (``core.quick_entry``).
    """
    words = query.lower().split()
    lead: list[str] = []
    while words and is_modifier(words[0]) and (len(words) > 1 or query.endswith(" ")):
        lead.append(words.pop(0))
    rest = " ".join(words)
    rows = table().words
    if not rest:
        chosen = [table().by_word[site] for site in tables.lesion_coding().sites]
    else:
        starts = [w for w in rows if w.word.startswith(rest)]
        inside = [w for w in rows if rest in w.word and w not in starts]
        chosen = sorted(starts, key=lambda w: (len(w.word), w.word)) + sorted(inside, key=lambda w: w.word)
    prefix = " ".join(lead)
    return tuple(
        SiteChoice(
            words=f"{prefix} {site_label(w.word)}".strip() if prefix else site_label(w.word),
            site=w.site,
            group=group_label(w.site),
            note=w.note,
        )
        for w in chosen[:limit]
    )
