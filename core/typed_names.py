"""What a search typed at the front desk says about a new patient: a name and a date of birth.

The search box finds patients whatever the order of the words, so "sam" or "o'brien-smith tom" does not
say which word is the first name. A new-patient form takes from the search only what is unambiguous —
"Last, First" with a comma, and a date of birth — and says what it took; otherwise it opens empty.
Names keep the capitals typed; a name typed all in lower case gets the usual ones (O'Brien-Smith,
de la Cruz), which the person can still correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.dates import shown_date
from core.store.patients import parse_search_date

#: name particles that stay lower case inside a name typed all in lower case
_PARTICLES = frozenset({"de", "del", "della", "der", "di", "da", "du", "la", "le", "van", "von", "y"})
_PART = re.compile(r"([ \-'’])")


@dataclass(frozen=True)
class TypedPatient:
    """What the search gave: names (empty when not clear) and a date of birth (``None``)."""

    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None

    @property
    def said(self) -> str:
        """A short sentence for the form: what was taken from the search ("" when nothing)."""
        taken = []
        if self.last_name:
            taken.append(f"the name {self.last_name}, {self.first_name}".rstrip(", "))
        if self.date_of_birth is not None:
            taken.append(f"the date of birth {shown_date(self.date_of_birth)}")
        return ("Taken from the search: " + " and ".join(taken) + ".") if taken else ""


def capitalised(name: str) -> str:
    """``name`` as typed when it has any capital; else with the usual capitals (o'brien-smith →
    O'Brien-Smith, de la cruz → de la Cruz, anna maria → Anna Maria)."""
    name = " ".join(name.split())
    if not name or any(c.isupper() for c in name):
        return name
    parts = _PART.split(name)
    words = [p for p in parts if p and not _PART.fullmatch(p)]
    out = []
    for part in parts:
        if not part or _PART.fullmatch(part) or (part in _PARTICLES and part != words[-1]):
            out.append(part)
        else:
            out.append(part[0].upper() + part[1:])
    return "".join(out)


def read_search(text: str) -> TypedPatient:
    """The unambiguous parts of a search text for a new patient's form."""
    dates = [d for d in (parse_search_date(w) for w in text.replace(",", " ").split()) if d is not None]
    born = dates[0] if dates else None
    words = [
        w for w in text.split() if parse_search_date(w.strip(",")) is None and not w.strip(",").isdigit()
    ]
    name = " ".join(words)
    if name.count(",") != 1:
        return TypedPatient(date_of_birth=born)
    last, first = (part.strip() for part in name.split(","))
    if not last:
        return TypedPatient(date_of_birth=born)
    return TypedPatient(capitalised(first), capitalised(last), born)
