"""The visit typed before its patient is chosen, kept on disk so a crash does not lose it.

The store only holds visits of a patient, so the pending visit (day, provider, place of service,
office visit code and lesion groups) is written as a small JSON file in the data folder, one per
database file: ``pending-visit-<hash of the database path>.json``. It is rewritten (temporary file,
then ``os.replace``) at every edit and removed once the visit is given to a patient or dropped. The
business settings in the database are declared in ``core.store.settings`` and cannot hold it.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path

from core.coding.model import LesionGroup, LesionKind
from core.paths import data_dir
from core.store.records import EncounterRecord

#: the layout of the file; a file with another version is treated as unreadable
FORMAT_VERSION = 1


class UnreadablePendingVisitError(Exception):
    """The pending-visit file exists but cannot be read back (cut short, edited, another format)."""


def pending_file_for(db_path: Path | None) -> Path | None:
    """Where the pending visit of the database ``db_path`` is kept; ``None`` for a database in memory."""
    if db_path is None:
        return None
    key = os.path.normcase(str(Path(db_path).resolve()))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return data_dir() / f"pending-visit-{digest}.json"


def _lesion_data(group: LesionGroup) -> dict[str, object]:
    return {
        "kind": group.kind.value,
        "count": group.count,
        "site": group.site,
        "method": group.method,
        "diagnosis": group.diagnosis,
        "diameter_cm": group.diameter_cm,
        "area_sq_cm": group.area_sq_cm,
        "typed_size": group.typed_size,
        "typed_site": group.typed_site,
    }


def to_json(record: EncounterRecord) -> str:
    """The pending visit as the file holds it."""
    return json.dumps(
        {
            "version": FORMAT_VERSION,
            "day": record.date_of_service.isoformat(),
            "provider_id": record.provider_id,
            "place_of_service": record.place_of_service,
            "em_code": record.em_code,
            "decision_for_surgery": record.decision_for_surgery,
            "lesions": [_lesion_data(g) for g in record.lesions],
        },
        indent=1,
    )


def _text(data: dict[str, object], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise UnreadablePendingVisitError(f"{key} is not text")
    return value


def _number(data: dict[str, object], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnreadablePendingVisitError(f"{key} is not a number")
    return float(value)


def _lesion(data: object) -> LesionGroup:
    if not isinstance(data, dict):
        raise UnreadablePendingVisitError("a lesion entry is not a record")
    count = data["count"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise UnreadablePendingVisitError("a lesion count is not a whole number")
    return LesionGroup(
        kind=LesionKind(data["kind"]),
        count=count,
        site=_text(data, "site"),
        method=_text(data, "method"),
        diagnosis=_text(data, "diagnosis"),
        diameter_cm=_number(data, "diameter_cm"),
        area_sq_cm=_number(data, "area_sq_cm"),
        # a file written before these were kept has neither
        typed_size=_text(data, "typed_size") if "typed_size" in data else "",
        typed_site=_text(data, "typed_site") if "typed_site" in data else "",
    )


def from_json(text: str) -> EncounterRecord:
    """The pending visit in ``text`` (patient id 0: not chosen yet), else ``UnreadablePendingVisitError``."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise UnreadablePendingVisitError("not a pending visit of this program version")
        provider_id = data["provider_id"]
        if isinstance(provider_id, bool) or not isinstance(provider_id, int):
            raise UnreadablePendingVisitError("provider_id is not a whole number")
        em_code = data["em_code"]
        if em_code is not None and not isinstance(em_code, str):
            raise UnreadablePendingVisitError("em_code is not text")
        decision = data.get("decision_for_surgery", False)  # absent in files written before it
        if not isinstance(decision, bool):
            raise UnreadablePendingVisitError("decision_for_surgery is not true or false")
        lesions = data["lesions"]
        if not isinstance(lesions, list):
            raise UnreadablePendingVisitError("lesions is not a list")
        return EncounterRecord(
            patient_id=0,
            provider_id=provider_id,
            date_of_service=date.fromisoformat(_text(data, "day")),
            place_of_service=_text(data, "place_of_service"),
            em_code=em_code,
            decision_for_surgery=decision,
            lesions=tuple(_lesion(g) for g in lesions),
        )
    except UnreadablePendingVisitError:
        raise
    except (ValueError, KeyError, TypeError) as error:  # JSONDecodeError is a ValueError
        raise UnreadablePendingVisitError(str(error)) from error


def write(path: Path, record: EncounterRecord) -> None:
    """Replace the file at ``path`` with ``record`` in one step (a crash leaves the old or the new one)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private to the user
    with open(fd, "w", encoding="utf-8") as out:
        out.write(to_json(record))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def read(path: Path) -> EncounterRecord | None:
    """The pending visit kept at ``path``: ``None`` when there is none; ``UnreadablePendingVisitError``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadablePendingVisitError("not text") from error
    return from_json(text)


def remove(path: Path) -> None:
    """Forget the pending visit (the visit was given to a patient, or dropped on purpose)."""
    path.unlink(missing_ok=True)


def set_aside(path: Path) -> Path:
    """Rename an unreadable file to ``….damaged`` (replacing an older one) and return the new name."""
    aside = path.with_name(path.name + ".damaged")
    os.replace(path, aside)
    return aside
