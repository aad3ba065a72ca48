"""``Store``: the one object that reads and writes the practice's SQLite database.

Every write verb runs in one transaction together with its audit-log row, so a crash leaves either
the whole change or none of it. The file is opened in write-ahead-log mode with ``synchronous=FULL``:
once a verb returns, its change survives a crash or a power cut. Domain verbs go in, frozen
dataclasses (``core.store.records``) come out; nothing else in the program runs SQL on this file.

The verbs live in ``core.store.verbs``, one module per kind of record; this class only combines them.
"""

from __future__ import annotations

from core.store.verbs.accounts import AccountVerbs
from core.store.verbs.audit import AuditVerbs
from core.store.verbs.base import Clock, default_user, utc_now
from core.store.verbs.encounters import PRIOR_SERVICE_DAYS, EncounterVerbs
from core.store.verbs.icd10 import Icd10Verbs
from core.store.verbs.patients import FIRST_CHART_NUMBER
from core.store.verbs.setup import SetupVerbs

__all__ = ["FIRST_CHART_NUMBER", "PRIOR_SERVICE_DAYS", "Clock", "Store", "default_user", "utc_now"]


class Store(EncounterVerbs, AuditVerbs, SetupVerbs, Icd10Verbs, AccountVerbs):
    """The practice's database. Make one with ``core.store.open_store``; close it (or use ``with``).

    ``clock`` returns the current UTC time (tests pass a fixed one); ``user`` is the name written
    into the audit log (default: the operating-system user). Use a store from the thread that
    opened it.
    """
