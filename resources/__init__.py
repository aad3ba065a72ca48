"""Data and images that ship with the program, read with ``importlib.resources``.

Every table of codes (CPT, place of service, modifiers, edits, fees, RVUs) lives here as data with its
source and effective date, never as literals scattered in code.
"""
