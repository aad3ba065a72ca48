"""The ``Store``'s verbs, one module per kind of record; ``core.store.store.Store`` combines them.

Each module is a mixin on ``StoreBase`` (``base.py``: the connection, the clock, the audit append and
the few SQL helpers). A module uses only the verbs of the modules below it: settings and fees ←
practice, providers and payers ← patients ← encounters; audit, set-up and ICD-10-CM stand alone.
"""
