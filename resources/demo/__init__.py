"""Demo data for a brand-new database: a made-up practice, provider, payers, patients and fee schedule.

Everything here is invented for trying the program out. ``superbill demo remove`` deletes the demo
patients and their encounters; the practice, provider and fees are meant to be edited into the
practice's own.
"""
