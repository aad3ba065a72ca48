"""The table models without widgets: columns, roles, targeted dataChanged, and Qt's model checker."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.coding.model import CodedLine, LesionGroup, LesionKind
from core.store.records import BilledLine, EncounterRecord, EncounterStatus, Patient, PricedLine
from gui.coded_lines_model import CodedLinesModel
from gui.day_model import DayModel, DayRow, lesion_summary
from gui.lesion_model import LesionTableModel
from gui.patient_model import PatientResultsModel, PatientRow
from gui.table_model import RECORD_ROLE, SORT_ROLE

AK = LesionGroup(LesionKind.PREMALIGNANT, 12, "face", "cryosurgery", "L57.0")
BCC = LesionGroup(LesionKind.MALIGNANT, 1, "mucous_membrane", "electrosurgery", "C44.311", diameter_cm=0.8)


def test_lesion_model_columns_roles_and_checker(qtmodeltester: ModelTester) -> None:
    model = LesionTableModel()
    model.set_lesions((AK, BCC))
    qtmodeltester.check(model)
    assert model.columnCount() == len(LesionTableModel.COLUMNS) == 6
    assert model.index(1, LesionTableModel.COL_SITE).data() == "mucous membrane"
    assert model.index(1, LesionTableModel.COL_SIZE).data() == "0.8 cm"
    assert model.index(0, 0).data(RECORD_ROLE) == AK
    assert model.index(0, LesionTableModel.COL_COUNT).data(SORT_ROLE) == 12
    assert model.index(1, LesionTableModel.COL_SIZE).data(Qt.ItemDataRole.EditRole) == "0.8cm"
    assert model.headerData(LesionTableModel.COL_DIAGNOSIS, Qt.Orientation.Horizontal) == "Diagnosis"


def test_lesion_edit_changes_only_its_row(qtbot: QtBot) -> None:
    model = LesionTableModel()
    model.set_lesions((AK, BCC))
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changes.append((a.row(), a.column(), b.row(), b.column())))
    with qtbot.waitSignal(model.lesions_changed):
        assert model.setData(model.index(1, LesionTableModel.COL_SIZE), "1.5cm")
    assert changes == [(1, 0, 1, 5)]
    assert model.lesions()[1].diameter_cm == 1.5
    with qtbot.waitSignal(model.problem) as problem:  # a diameter without a unit: both readings
        assert not model.setData(model.index(1, LesionTableModel.COL_SIZE), "15")
    assert "read as 15 mm" in problem.args[0] and "read as 15 cm" in problem.args[0]
    with qtbot.waitSignal(model.lesions_changed):
        assert model.setData(model.index(1, LesionTableModel.COL_SIZE), "15 mm")
    assert model.index(1, LesionTableModel.COL_SIZE).data() == "15 mm"
    assert model.lesions()[1].diameter_cm == 1.5
    with qtbot.waitSignal(model.lesions_changed):
        assert model.setData(model.index(1, LesionTableModel.COL_SITE), "left buccal mucosa")
    assert model.index(1, LesionTableModel.COL_SITE).data() == "left buccal mucosa (mucous membrane)"
    with qtbot.waitSignal(model.problem) as problem:
        assert not model.setData(model.index(0, LesionTableModel.COL_COUNT), "0")
    assert "Count" in problem.args[0]
    assert model.lesions()[0] == AK


def test_read_only_lesion_model_refuses_edits() -> None:
    model = LesionTableModel()
    model.set_lesions((AK,))
    model.read_only = True
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 1), "3")


def _priced(
    cpt: str,
    what: str,
    modifiers: tuple[str, ...],
    units: int,
    pointers: tuple[str, ...],
    fee: int | None,
    why: str = "",
) -> PricedLine:
    return PricedLine.of(CodedLine(cpt, units, modifiers, pointers, what, why), fee)


def test_coded_lines_model(qtmodeltester: ModelTester) -> None:
    model = CodedLinesModel()
    model.set_records(
        [
            _priced("17000", "Destroy first", (), 1, ("A",), 15000, "one lesion"),
            _priced("17003", "Destroy 2nd-14th", (), 11, ("A",), 2000),
            _priced("17281", "Malignant", ("59",), 1, ("B",), None),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(1, CodedLinesModel.COL_CHARGE).data() == "$220.00"
    assert model.index(2, CodedLinesModel.COL_CHARGE).data() == "no fee set"
    assert model.index(2, CodedLinesModel.COL_MODIFIERS).data() == "59"
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "one lesion"
    assert model.index(1, CodedLinesModel.COL_UNITS).data(SORT_ROLE) == 11
    assert model.total_cents() == 37000
    assert model.missing_fees() == ["17281"]


def test_patient_results_model(qtmodeltester: ModelTester) -> None:
    ada = Patient("Ada", "Lovelace", date(1960, 12, 10), chart_number="1001", id=1)
    model = PatientResultsModel()
    model.set_records([PatientRow(ada, "Medicare"), PatientRow(Patient("B", "C", date(2001, 1, 1), id=2))])
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(4)] == ["Lovelace, Ada", "12/10/1960", "1001", "Medicare"]
    assert model.index(1, PatientResultsModel.COL_PAYER).data() == "no insurance"
    assert model.index(0, PatientResultsModel.COL_DOB).data(SORT_ROLE) == "1960-12-10"


def test_day_model(qtmodeltester: ModelTester) -> None:
    draft = EncounterRecord(1, 1, date(2026, 11, 27), lesions=(AK, AK, BCC), em_code="99213", id=7)
    line = BilledLine("17000", 1, (), ("A",), "first", 15000, 15000)
    final = EncounterRecord(
        2, 1, date(2026, 11, 27), lesions=(AK,), status=EncounterStatus.FINAL, lines=(line,), id=8
    )
    model = DayModel()
    model.set_records(
        [
            DayRow(draft, "Lovelace, Ada", "Dana Demo, MD", ("17004",), 25000),
            DayRow(final, "Sample, Avery", "Dana Demo, MD", ("17000",), 15000),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, DayModel.COL_LESIONS).data() == "24 premalignant, 1 malignant, visit 99213"
    assert model.index(1, DayModel.COL_STATUS).data() == "Final"
    assert model.index(0, DayModel.COL_CHARGES).data(SORT_ROLE) == 25000
    assert model.row_of(8) == 1 and model.row_of(99) is None
    assert model.total_cents() == 40000
    changes: list[int] = []
    model.dataChanged.connect(lambda a, b, *_: changes.extend([a.row(), b.row()]))
    model.replace_record(1, DayRow(final, "Sample, Avery", "Dana Demo, MD", ("17000",), 16000))
    assert changes == [1, 1]
    assert lesion_summary(EncounterRecord(1, 1, date(2026, 11, 27))) == "nothing entered yet"


def test_skin_tags_are_counted_as_things_and_the_other_kinds_as_adjectives() -> None:
    one_tag = LesionGroup(LesionKind.SKIN_TAG, 1, "neck", "electrosurgery", "L91.8")
    four_tags = LesionGroup(LesionKind.SKIN_TAG, 4, "neck", "electrosurgery", "L91.8")
    assert lesion_summary(EncounterRecord(1, 1, date(2026, 12, 2), lesions=(four_tags,))) == "4 skin tags"
    assert lesion_summary(EncounterRecord(1, 1, date(2026, 12, 2), lesions=(one_tag, AK))) == (
        "1 skin tag, 12 premalignant"
    )


@settings(max_examples=60, deadline=None)
@given(column=st.integers(min_value=0, max_value=5), text=st.text(max_size=12))
def test_any_typed_cell_text_is_taken_or_refused_whole(column: int, text: str) -> None:
    model = LesionTableModel()
    model.set_lesions((AK, BCC))
    problems: list[str] = []
    model.problem.connect(problems.append)
    for row in (0, 1):
        before = model.lesions()[row]
        accepted = model.setData(model.index(row, column), text)
        after = model.lesions()[row]
        if accepted:
            changed = [f for f in before.__dataclass_fields__ if getattr(before, f) != getattr(after, f)]
            assert len(changed) <= 2  # one field (a new kind also drops a size that no longer applies)
        else:
            assert after == before and problems
