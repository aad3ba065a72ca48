"""Medicare Physician Fee Schedule data for the payment benchmark: one JSON file per calendar year.

Each ``mpfs_YYYY.json`` holds that year's conversion factor and the RVUs of the codes the engine can
bill, each value with its source and confidence; values the research could not confirm are ``null``
with a note. ``core.coding.tables.fee_schedule`` is the only reader (used by the payment benchmark in
``core.coding.reimbursement`` and by the engine to rank procedures for modifier 51).
"""
