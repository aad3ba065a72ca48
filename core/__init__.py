"""Superbill Desk's domain library: coding rules, validation, storage, superbills and reports.

Nothing under ``core`` imports Qt (a test enforces it), so every command-line verb and every rule can
run and be tested without a display.
"""
