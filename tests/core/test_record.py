"""``core.record.Record`` behaves as the frozen dataclasses it replaces on the `superbill code` path."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from typing import ClassVar

import pytest

from core.record import Record, replace


class Point(Record):
    """A record with a default and a method."""

    x: int
    y: int
    label: str = ""
    ORIGIN_NAME: ClassVar[str] = "origin"

    def moved(self, dx: int) -> Point:
        return replace(self, x=self.x + dx)


@dataclass(frozen=True)
class PointDataclass:
    x: int
    y: int
    label: str = ""


class Table(Record, eq=False):
    rows: dict[str, int]


def test_fields_and_defaults() -> None:
    assert Point.FIELDS == ("x", "y", "label")
    assert Point(1, 2).label == "" and Point(1, 2, "a").label == "a"
    assert Point(y=2, x=1) == Point(1, 2) == Point(1, y=2, label="")


def test_same_repr_equality_and_hash_as_a_frozen_dataclass() -> None:
    record, data = Point(1, 2, "a"), PointDataclass(1, 2, "a")
    assert repr(record) == repr(data).replace("PointDataclass", "Point")
    assert record == Point(1, 2, "a") and record != Point(1, 3, "a")
    assert hash(record) == hash(Point(1, 2, "a"))
    assert record != (1, 2, "a") and record != data  # another class is never equal
    assert len({Point(1, 2), Point(1, 2), Point(2, 1)}) == 2


def test_frozen() -> None:
    record = Point(1, 2)
    with pytest.raises(AttributeError):
        record.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del record.x
    assert issubclass(FrozenInstanceError, AttributeError)  # what the dataclass raised


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="missing"):
        Point(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected"):
        Point(1, 2, z=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple"):
        Point(1, 2, x=3)  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes"):
        Point(1, 2, "a", 4)  # type: ignore[call-arg]


def test_replace_and_methods() -> None:
    assert Point(1, 2, "a").moved(2) == Point(3, 2, "a")
    with pytest.raises(TypeError):
        replace(Point(1, 2), z=1)


def test_identity_records() -> None:
    one, two = Table({"a": 1}), Table({"a": 1})
    assert one != two and one == one
    assert len({one, two, one}) == 2  # hashed by identity, though a dict is unhashable
    with pytest.raises(TypeError):
        hash(Point(1, 2, {}))  # type: ignore[arg-type]


def test_fields_are_declared_in_one_class() -> None:
    with pytest.raises(TypeError):

        class Point3(Point):
            z: int  # type: ignore[misc]


class Checked(Record):
    value: int = 0

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


def test_post_init_runs_after_every_kind_of_call() -> None:
    assert Checked().value == 0 and Checked(1).value == 1 and Checked(value=2).value == 2
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)
    with pytest.raises(ValueError, match="negative"):
        Checked(value=-1)
