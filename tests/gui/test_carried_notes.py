"""Which stored messages of a draft are carried as notes from the import, and which are the engine's."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from core import visit
from core.coding import code_encounter
from core.coding.model import CodingResult, Encounter, LesionGroup, LesionKind, Message, Severity
from core.coding.settings import CodingSettings
from gui.carried_notes import carried_notes, is_import_only

LEFT_OUT = Message(
    Severity.ERROR,
    "INVALID_INPUT",
    "lesions[1].kind",
    "“wart” is not a kind of lesion this program knows. Lesion entry 2 of this encounter was left out of "
    'the draft; the other system sent lesions[1] = {"kind":"wart","count":1}. Re-enter it as a lesion row '
    "in the window, then finalise the encounter.",
)
PAYER = Message(Severity.WARNING, "PAYER_DIFFERS", "patient.payer", "The file says the payer is “aetna”…")
PROVIDER = Message(Severity.ERROR, "INVALID_INPUT", "provider_npi", "“123” is not a valid NPI…")
#: an engine message that went stale without any edit (the date is no longer in the future)
STALE = Message(Severity.ERROR, "INVALID_DATE", "date_of_service", "The date of service is in the future.")


def test_import_only_messages_are_recognised_by_rule_quote_or_field() -> None:
    assert is_import_only(LEFT_OUT)  # the engine's rule and field, but a quoted left-out value
    assert is_import_only(PAYER)  # the importer's own rule
    assert is_import_only(PROVIDER)  # the engine's rule on a field the engine does not have
    assert not is_import_only(STALE)
    assert not is_import_only(Message(Severity.INFO, "INVALID_INPUT", None, "Something general."))


def test_carried_notes_keep_stored_order_once_and_skip_what_the_engine_says_now() -> None:
    stored = (STALE, PAYER, LEFT_OUT, PAYER, PROVIDER)
    assert carried_notes(stored, produced=(PROVIDER,)) == (PAYER, LEFT_OUT)
    assert visit.check_final(
        visit.CodedVisit(CodingResult(), ()), carried_notes(stored, ())
    ).blocking_notes == (
        LEFT_OUT,
        PROVIDER,
    )


LESIONS = st.builds(
    LesionGroup,
    kind=st.sampled_from(list(LesionKind)),
    count=st.integers(min_value=-1, max_value=30),
    site=st.sampled_from(["face", "trunk", "scalp", "hands", "nowhere"]),
    method=st.sampled_from(["cryosurgery", "laser", "shave", "curettage"]),
    diagnosis=st.sampled_from(["L57.0", "L82.1", "B07.9", "", "Z99.99", "C44.311"]),
)


@settings(max_examples=60, deadline=None)
@given(
    lesions=st.lists(LESIONS, max_size=4),
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    pos=st.sampled_from(["11", "22", "99"]),
    payer=st.sampled_from(["medicare", "commercial", "medicaid"]),
)
def test_nothing_the_engine_says_is_ever_taken_for_an_import_note(
    lesions: list[LesionGroup], day: date, pos: str, payer: str
) -> None:
    """Even an engine message that is stale (the draft changed since) is not carried."""
    encounter = Encounter(date_of_service=day, place_of_service=pos, lesions=tuple(lesions), payer=payer)
    result = code_encounter(encounter, CodingSettings.for_payer(payer, today=date(2026, 11, 27)))
    assert not [m for m in result.messages if is_import_only(m)]
    assert carried_notes(result.messages, ()) == ()
