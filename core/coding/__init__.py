"""The coding engine: lesions in, CPT lines with units, modifiers and diagnosis pointers out.

Public surface: ``code_encounter(encounter, settings) -> CodingResult`` and the dataclasses in
``core.coding.model``. Pure: no I/O beyond the packaged code tables, no clock.
"""
