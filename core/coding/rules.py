"""Every rule identifier the engine can put in a message, with its usual severity and meaning.

The identifiers are a contract (docs/cli.md lists the same table; a test keeps the two in step).
Code refers to them through the constants below, never through string literals.
"""

from __future__ import annotations

from core.record import Record


# Records here are core.record.Record, not dataclasses: `superbill code` imports this module, and
# making a dataclass costs about 1.5 ms in Python 3.11 (issue 14). Same fields, equality, hash,
# repr and immutability as the frozen dataclasses they were.
class Rule(Record):
    """A stable rule identifier, the severities it is reported with, and when it fires."""

    id: str
    severity: str
    when: str


INVALID_INPUT = "INVALID_INPUT"
INVALID_COUNT = "INVALID_COUNT"
INVALID_DATE = "INVALID_DATE"
INVALID_POS = "INVALID_POS"
INVALID_DIAGNOSIS = "INVALID_DIAGNOSIS"
MISSING_MEASUREMENT = "MISSING_MEASUREMENT"
DIAGNOSIS_MISMATCH = "DIAGNOSIS_MISMATCH"
UNITS_OVER_MUE = "UNITS_OVER_MUE"
EM_SAME_DAY = "EM_SAME_DAY"
DISTINCT_PROCEDURE = "DISTINCT_PROCEDURE"
NOTHING_TO_BILL = "NOTHING_TO_BILL"
IN_GLOBAL_PERIOD = "IN_GLOBAL_PERIOD"
COVERAGE_REMINDER = "COVERAGE_REMINDER"
SITE_SPECIFIC_CODE = "SITE_SPECIFIC_CODE"
# Rules of our own (the contract allows the engine to add rules).
TOO_MANY_DIAGNOSES = "TOO_MANY_DIAGNOSES"
TOO_MANY_POINTERS = "TOO_MANY_POINTERS"
EM_WITHOUT_DIAGNOSIS = "EM_WITHOUT_DIAGNOSIS"
EDIT_UNCONFIRMED = "EDIT_UNCONFIRMED"
GLOBAL_PERIOD_UNKNOWN = "GLOBAL_PERIOD_UNKNOWN"
MEASUREMENT_PRECISION = "MEASUREMENT_PRECISION"
MEASUREMENT_IGNORED = "MEASUREMENT_IGNORED"
BENCHMARK_UNAVAILABLE = "BENCHMARK_UNAVAILABLE"
PRIMARY_UNCONFIRMED = "PRIMARY_UNCONFIRMED"
MODIFIER_51_LEFT_OFF = "MODIFIER_51_LEFT_OFF"
IMPLAUSIBLE_COUNT = "IMPLAUSIBLE_COUNT"
IMPLAUSIBLE_MEASUREMENT = "IMPLAUSIBLE_MEASUREMENT"
EDIT_NOT_BYPASSABLE = "EDIT_NOT_BYPASSABLE"
LARGEST_SIZE_BAND = "LARGEST_SIZE_BAND"
EM_DECISION_FOR_SURGERY = "EM_DECISION_FOR_SURGERY"

#: the whole table, in the order docs/cli.md lists it
RULES: tuple[Rule, ...] = (
    Rule(
        INVALID_INPUT,
        "error",
        "malformed JSON, wrong type, missing required field, unknown field or field value",
    ),
    Rule(INVALID_COUNT, "error", "a count that is not a whole number of 1 or more"),
    Rule(
        INVALID_DATE,
        "error",
        "a date that is not a real YYYY-MM-DD date, lies in the future, or a prior "
        "service dated after the visit",
    ),
    Rule(INVALID_POS, "error", "a place-of-service code that is not a CMS code"),
    Rule(
        INVALID_DIAGNOSIS,
        "error",
        "not a valid, billable ICD-10-CM code (a category heading such as L57 is not billable)",
    ),
    Rule(
        MISSING_MEASUREMENT,
        "error",
        "malignant entry without diameter_cm, vascular entry without area_sq_cm, or a value of 0 or less",
    ),
    Rule(DIAGNOSIS_MISMATCH, "warning", "the diagnosis does not support the kind of lesion"),
    Rule(UNITS_OVER_MUE, "warning", "units of a code exceed its Medically Unlikely Edit for one day"),
    Rule(
        EM_SAME_DAY,
        "warning",
        "an E/M billed with a procedure: it carries modifier 25 and needs "
        "separately identifiable documentation",
    ),
    Rule(
        DISTINCT_PROCEDURE, "info", "a distinct-procedure modifier (59 or XS) was added for separate lesions"
    ),
    Rule(NOTHING_TO_BILL, "error", "no lesions and no E/M"),
    Rule(
        IN_GLOBAL_PERIOD, "warning", "the date of service falls inside the global period of a prior service"
    ),
    Rule(
        COVERAGE_REMINDER,
        "info",
        "benign, skin-tag or vascular destruction: often cosmetic unless a documented indication exists",
    ),
    Rule(
        SITE_SPECIFIC_CODE, "warning", "genitalia or eyelid: other, site-specific destruction codes may apply"
    ),
    Rule(TOO_MANY_DIAGNOSES, "error", "more than 12 different diagnoses (a claim holds A-L)"),
    Rule(
        TOO_MANY_POINTERS,
        "warning",
        "a line has more than 4 diagnoses; only the 4 most relevant are pointed to",
    ),
    Rule(
        EM_WITHOUT_DIAGNOSIS,
        "warning",
        "an E/M with no lesion: the visit's diagnosis must be added on the claim",
    ),
    Rule(
        EDIT_UNCONFIRMED,
        "info",
        "two codes whose NCCI edit is unconfirmed are billed together; no modifier was added",
    ),
    Rule(GLOBAL_PERIOD_UNKNOWN, "info", "a recent prior service whose global period is not known to us"),
    Rule(
        MEASUREMENT_PRECISION,
        "warning",
        "a diameter with more than one decimal place (between printed bands)",
    ),
    Rule(MEASUREMENT_IGNORED, "warning", "a diameter or area on an entry whose kind does not use it"),
    Rule(
        BENCHMARK_UNAVAILABLE, "error", "--benchmark was asked for but the payment benchmark is not installed"
    ),
    Rule(
        PRIMARY_UNCONFIRMED,
        "info",
        "modifier 51 is on, but a procedure's fee-schedule value is unconfirmed, so which procedure is "
        "primary (the one without 51) could not be confirmed; the biller should check",
    ),
    Rule(
        MODIFIER_51_LEFT_OFF,
        "info",
        "a further procedure already carries 59 or XS, so 51 was left off that line (some payers refuse "
        "both on one line)",
    ),
    Rule(
        IMPLAUSIBLE_COUNT,
        "error",
        "a whole-number count above 1000 in one entry: surely a typing mistake, so it is not coded",
    ),
    Rule(
        IMPLAUSIBLE_MEASUREMENT,
        "error",
        "a diameter or area above our sanity bound (tables.py): surely a typing mistake, so it is not coded",
    ),
    Rule(
        EDIT_NOT_BYPASSABLE,
        "warning",
        "two codes billed together form an NCCI PTP edit with modifier indicator 0: the column-2 code is "
        "not paid with the column-1 code whatever the modifier, so none was added",
    ),
    Rule(
        LARGEST_SIZE_BAND,
        "warning",
        "a malignant diameter over 4.0 cm, or vascular areas over 50.0 sq cm in total: the largest band; "
        "check the size in the chart (millimetres entered as centimetres land here)",
    ),
    Rule(
        EM_DECISION_FOR_SURGERY,
        "warning",
        "the visit is marked as the decision for surgery: an E/M billed with a procedure with a 90-day "
        "global period carries 57 instead of 25; without such a procedure today (or without an E/M) no "
        "57 is added and the message says why",
    ),
)

RULE_IDS: frozenset[str] = frozenset(r.id for r in RULES)
