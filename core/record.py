"""``Record``: a frozen record class, as ``@dataclass(frozen=True)`` makes one, for the modules that
``superbill code`` imports.

Python 3.11 takes about 1.5 ms to make each dataclass (it compiles every generated method with
``exec``); the coding engine's tables declared some forty of them, a quarter of a ``superbill code``
call (issue 14). A ``Record`` subclass is made in a few microseconds: its methods are the same for
every subclass, written once here. Elsewhere, dataclasses remain the habit for domain records.

What a subclass gets, as a frozen dataclass does: the fields are the class's annotations in order,
a class attribute is the field's default; ``__init__`` takes them by position or keyword (and
then calls ``__post_init__`` when the class defines one); fields
cannot be set or deleted afterwards (``AttributeError``); ``repr`` is ``Name(field=value, ...)``;
two records are equal when they are of the same class with equal fields, and hash alike. With
``eq=False`` in the class statement, records are compared and hashed by identity instead. Unlike a
dataclass there is no ``dataclasses.replace``/``fields``: use :func:`replace` and ``FIELDS``. Type
checkers read subclasses as dataclasses (``dataclass_transform``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar, dataclass_transform

    _R = TypeVar("_R", bound="Record")
else:

    def dataclass_transform(**_: object) -> object:
        """At run time the marker for type checkers does nothing."""
        return lambda cls: cls


@dataclass_transform(eq_default=True, frozen_default=True)
class Record:
    """Base of frozen record classes (see the module's description)."""

    __slots__ = ()
    #: the field names, in declaration order
    FIELDS: ClassVar[tuple[str, ...]] = ()
    _DEFAULTS: ClassVar[dict[str, Any]] = {}
    _FIELD_SET: ClassVar[frozenset[str]] = frozenset()
    _CHECKED: ClassVar[bool] = False  # the class has a __post_init__

    def __init_subclass__(cls, *, eq: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.FIELDS:
            raise TypeError(f"{cls.__name__}: a record's fields are declared in one class, not inherited")
        # the class's own annotations (inspect.get_annotations would import inspect: slower)
        annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
        cls.FIELDS = tuple(name for name, kind in annotations.items() if not _is_class_variable(kind))
        cls._DEFAULTS = {name: cls.__dict__[name] for name in cls.FIELDS if name in cls.__dict__}
        cls._FIELD_SET = frozenset(cls.FIELDS)
        cls._CHECKED = "__post_init__" in cls.__dict__
        if not eq:
            cls.__eq__ = object.__eq__  # type: ignore[method-assign]
            cls.__hash__ = object.__hash__  # type: ignore[method-assign]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self.FIELDS
        # the usual calls, every field by position or every field by name: the instance's __dict__ is
        # filled directly (as quick as a dataclass's __init__; __setattr__ refuses every change)
        if len(args) == len(fields) and not kwargs:
            self.__dict__.update(zip(fields, args, strict=True))
        elif not args and kwargs.keys() == self._FIELD_SET:
            self.__dict__.update(kwargs)
        else:
            self._set_fields(args, kwargs)
        if self._CHECKED:
            self.__post_init__()  # type: ignore[attr-defined]

    def _set_fields(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        fields = self.FIELDS
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments, {len(args)} were given")
        values = dict(zip(fields, args, strict=False))
        for name, value in kwargs.items():
            if name not in fields:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
            if name in values:
                raise TypeError(f"{type(self).__name__}() got multiple values for argument {name!r}")
            values[name] = value
        for name in fields:
            if name in values:
                value = values[name]
            elif name in self._DEFAULTS:
                value = self._DEFAULTS[name]
            else:
                raise TypeError(f"{type(self).__name__}() missing required argument: {name!r}")
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{type(self).__qualname__}({values})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())


def _is_class_variable(annotation: object) -> bool:
    """``ClassVar[...]``, written as text (``from __future__ import annotations``) or not."""
    return str(annotation).split("[", 1)[0] in ("ClassVar", "typing.ClassVar")


def replace(record: _R, **changes: Any) -> _R:
    """A copy of ``record`` with ``changes`` (as ``dataclasses.replace`` does for a dataclass)."""
    values = {name: getattr(record, name) for name in record.FIELDS}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(record)(**values)
