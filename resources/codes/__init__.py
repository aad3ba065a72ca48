"""Code tables for the coding engine (CPT, place of service, modifiers, edits, payers...).

Each file is JSON with ``source``, ``effective_date`` and ``rows``; rows that the research marked
UNCONFIRMED say so in their ``confidence`` and ``notes``. ``core.coding.tables`` is the only reader.
"""
