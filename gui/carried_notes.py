"""Which stored messages of a draft the window must carry: what the import could not take in.

``superbill import`` stores a draft with messages only the import knows — a lesion entry it had to
leave out (quoted as the other system sent it), an unknown provider, a payer or patient that differs,
an encounter it could not finalise. The window recodes a draft with the engine when it opens it, so
those messages would otherwise never be shown, and the next draft save would replace them with the
engine's. The editor shows them as *carried notes* until the front desk marks them dealt with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields

from core.coding.model import Encounter, Message
from core.coding.rules import RULE_IDS

#: the names of the engine's input; a message on any other field (``patient.payer``, ``provider_npi``)
#: cannot come from the engine
_ENGINE_FIELDS = frozenset(f.name for f in fields(Encounter))
_TOP_FIELD = re.compile(r"[A-Za-z_]\w*")


def is_import_only(message: Message) -> bool:
    """True when ``message`` cannot be one the coding engine produces, whatever the draft holds.

    Three marks, each stable however the draft is edited later:

    * its rule is not one of the engine's (``UNKNOWN_PROVIDER``, ``PAYER_DIFFERS``, ``PATIENT_DIFFERS``,
      ``CANNOT_FINALIZE``… — the importer's own identifiers, docs/import.md);
    * it quotes a value the draft had to leave out (``core.importer.left_out_keys`` reads it back, the
      same reading the importer uses to recognise a second import) — such messages borrow the engine's
      rule and field (``INVALID_INPUT`` on ``lesions[1].kind``), so the rule alone does not tell;
    * its field is not part of the engine's input (``patient.sex``, ``provider_npi``).

    Comparing only with what the engine produces now would not do: an engine message can go stale
    without any edit (a date that was in the future no longer is; the patient's insurance changed), and
    it would then be mistaken for an import note that blocks saving as final.
    """
    if message.rule not in RULE_IDS:
        return True
    from core.importer import left_out_keys  # late: the importer is not needed to show the window

    if left_out_keys([message]):
        return True
    if message.field is None:
        return False
    top = _TOP_FIELD.match(message.field)
    return top is None or top.group(0) not in _ENGINE_FIELDS


def carried_notes(stored: Iterable[Message], produced: Iterable[Message]) -> tuple[Message, ...]:
    """The stored messages of a draft to carry: import-only ones the engine does not produce itself
    (same severity, rule, field and text), each once, in stored order."""
    engine = set(produced)
    notes: list[Message] = []
    for message in stored:
        if message not in engine and message not in notes and is_import_only(message):
            notes.append(message)
    return tuple(notes)
