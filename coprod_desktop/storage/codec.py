"""Turning entities into plain values and back, for SQLite rows and JSON objects.

One place decides how each field type is written, so the session file and the
JSON interchange cannot drift apart. Reading is strict: a value of the wrong
type raises `ValueError` naming the field, which callers turn into a plain
sentence about the file.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import itertools
import json
import math
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..domain.limits import check, columns_clear
from ..domain.model import Entity

Decoder = Callable[[Any], Any]
Encoder = Callable[[Any], Any]


def _is_optional(hint: Any) -> tuple[bool, Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return True, args[0]
    return False, hint


INT_RANGE = range(-(2**63), 2**63)  # what SQLite can store as an INTEGER


def _is_text(value: Any) -> bool:
    """A str that UTF-8 can encode (JSON may carry lone surrogates, which it cannot)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decoder(name: str, hint: Any, *, sql: bool) -> Decoder:
    optional, base = _is_optional(hint)

    def wrong(value: Any) -> ValueError:
        return ValueError(f"'{name}' has an unexpected value {value!r:.60}")

    if base is str and sql:
        # Text read from SQLite was decoded from UTF-8 by sqlite3 (which refuses what is not),
        # so it always encodes again: the type is all there is to check.

        def inner(value: Any) -> Any:
            if not isinstance(value, str):
                raise wrong(value)
            return value

    elif base is str:

        def inner(value: Any) -> Any:
            if not _is_text(value):
                raise wrong(value)
            return value

    elif base is bool:

        def inner(value: Any) -> Any:
            if sql and value in (0, 1) and not isinstance(value, float):
                return bool(value)
            if not isinstance(value, bool):
                raise wrong(value)
            return value

    elif base is int:

        def inner(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, int) or value not in INT_RANGE:
                raise wrong(value)
            return value

    elif base is float:

        def inner(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise wrong(value)
            try:
                number = float(value)
            except OverflowError:
                raise wrong(value) from None
            if not math.isfinite(number):
                raise wrong(value)
            return number + 0.0  # -0.0 becomes 0.0, as SQLite would store it

    elif isinstance(base, type) and issubclass(base, enum.Enum):
        enum_type = base

        def inner(value: Any) -> Any:
            try:
                return enum_type(value)
            except ValueError:
                raise wrong(value) from None

    elif typing.get_origin(base) is tuple:

        def inner(value: Any) -> Any:
            if sql:
                if not isinstance(value, str):
                    raise wrong(value)
                try:
                    value = json.loads(value)
                except (ValueError, RecursionError):
                    raise wrong(value) from None
            if not isinstance(value, list) or not all(_is_text(v) for v in value):
                raise wrong(value)
            return tuple(value)

    else:  # pragma: no cover - a new field type must be taught here
        raise TypeError(f"no codec for field {name}: {hint!r}")

    if optional:

        def maybe(value: Any) -> Any:
            return None if value is None else inner(value)

        return maybe
    return inner


def _encoder(hint: Any, *, sql: bool) -> Encoder:
    _, base = _is_optional(hint)
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return lambda value: None if value is None else value.value
    if typing.get_origin(base) is tuple:
        if sql:
            return lambda value: json.dumps(list(value), ensure_ascii=False)
        return list
    if base is bool and sql:
        return int
    if base is float:
        # Always a float, so a position reads back the same from JSON and from SQLite.
        return lambda value: None if value is None else float(value) + 0.0
    return lambda value: value


_CODECS: dict[tuple[type[Entity], bool], tuple[tuple[str, Encoder, Decoder], ...]] = {}
_DEFAULTS: dict[type[Entity], frozenset[str]] = {}


def _codecs(cls: type[Entity], sql: bool) -> tuple[tuple[str, Encoder, Decoder], ...]:
    found = _CODECS.get((cls, sql))
    if found is None:
        hints = {f.name: _hint(cls, f.name, f.type) for f in dataclasses.fields(cls)}
        found = tuple(
            (name, _encoder(hints[name], sql=sql), _decoder(name, hints[name], sql=sql))
            for name in cls.field_names()
        )
        _CODECS[(cls, sql)] = found
    return found


_HINTS: dict[tuple[str, str], Any] = {}


def _hint(cls: type[Entity], name: str, annotation: Any) -> Any:
    """What typing.get_type_hints(cls)[name] is, each distinct annotation text evaluated once
    (the model's twenty kinds share a handful: "str", "int", "float | None"...), as a
    session's first file is read at start-up."""
    if not isinstance(annotation, str):
        return annotation
    owner = next((c for c in cls.__mro__ if name in c.__dict__.get("__annotations__", {})), cls)
    key = (owner.__module__, annotation)
    if key not in _HINTS:
        _HINTS[key] = eval(annotation, vars(sys.modules[owner.__module__]))  # noqa: S307 - our own annotations
    return _HINTS[key]


def encode(entity: Entity, *, sql: bool) -> dict[str, Any]:
    """The entity as a dict of plain values (for a SQLite row, or for JSON)."""
    return {name: enc(getattr(entity, name)) for name, enc, _ in _codecs(type(entity), sql)}


def decode(cls: type[Entity], data: Mapping[str, Any], *, sql: bool) -> Entity:
    """An entity from a row or JSON object. Missing optional fields take their
    defaults; a value of the wrong type, or outside domain.limits, raises ValueError
    (LimitError for the latter) naming the field."""
    values: dict[str, Any] = {}
    defaults = _defaults(cls)
    for name, _, dec in _codecs(cls, sql):
        if name in data:
            values[name] = dec(data[name])
        elif name not in defaults:
            raise ValueError(f"'{name}' is missing")
    return check(cls(**values))


def row_decoder(cls: type[Entity], columns: Sequence[str], *, sql: bool) -> Callable[[Sequence[Any]], Entity]:
    """`decode` for rows whose values come in the order of `columns` (a query's), with the
    work of matching fields to columns done once for all the rows: what `decode(cls,
    dict(zip(columns, row)), sql=sql)` gives, a value error or missing field included."""
    defaults = _defaults(cls)
    at = {name: index for index, name in enumerate(columns)}
    plan: list[tuple[str, int, Decoder]] = []  # in field order; index -1: missing, with no default
    for name, _, dec in _codecs(cls, sql):
        if name in at:
            plan.append((name, at[name], dec))
        elif name not in defaults:
            plan.append((name, -1, dec))
            break  # decode() stops at the first missing field
    complete = all(index >= 0 for _, index, _ in plan)
    every_field = complete and len(plan) == len(_codecs(cls, sql))  # then in the order __init__ takes them
    steps = [(index, dec) for _, index, dec in plan]

    def decode_row(row: Sequence[Any]) -> Entity:
        if every_field:
            return check(cls(*[dec(row[index]) for index, dec in steps]))
        if complete:
            return check(cls(**{name: dec(row[index]) for name, index, dec in plan}))
        values: dict[str, Any] = {}
        for name, index, dec in plan:
            if index < 0:
                raise ValueError(f"'{name}' is missing")
            values[name] = dec(row[index])
        return check(cls(**values))

    return decode_row


def decode_rows(cls: type[Entity], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[Entity]:
    """The entities of SQLite rows whose values come in the order of `columns`: what
    `[row_decoder(cls, columns, sql=True)(row) for row in rows]` gives, the first error in
    row order included, but done a column at a time, with the loops in C. A large session's
    thousands of votes are read at each opening; a column of plain texts or whole numbers
    (most of them) is checked by its values' types at once and taken as it is."""
    plan = _column_plan(cls, tuple(columns))
    if plan is None or not rows:
        decode_row = row_decoder(cls, columns, sql=True)
        return [decode_row(row) for row in rows]
    try:
        by_column = list(zip(*rows, strict=True))
        fields = [decode(by_column[index]) for index, decode in plan]
        entities = _maker(cls)(fields, len(rows))
    except Exception:  # noqa: BLE001 - the rows, one by one, raise the error the first wrong one gives
        decode_row = row_decoder(cls, columns, sql=True)
        return [decode_row(row) for row in rows]
    # Columns within bounds (every text short enough, every coordinate and position in range,
    # asked of each column at once) make entities within bounds: then no row need be asked.
    if not columns_clear(cls, fields):
        for entity in entities:
            check(entity)
    return entities


_IS_FLOAT = float.__instancecheck__
_MAKERS: dict[type[Entity], Callable[[list[Sequence[Any]], int], list[Entity]]] = {}
_NEW = object.__new__
_SET = object.__setattr__


def _maker(cls: type[Entity]) -> Callable[[list[Sequence[Any]], int], list[Entity]]:
    """What makes `count` entities of `cls` from its fields' columns (in field order): the
    entities `cls(*values)` makes, each with every field set in that order, made with their
    loops in C. A frozen data class's __init__ sets each field through object.__setattr__ in
    Python, which for a large session's thousands of votes was most of decoding them; here each
    entity's attributes are its fields in a dict of their own (a little more memory than the
    dict __init__ would fill). For a class whose __init__ does more than set its fields (a
    __post_init__, a field it does not take, slots), that __init__ is called."""
    found = _MAKERS.get(cls)
    if found is not None:
        return found
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    plain = (
        dataclasses.is_dataclass(cls)
        and not hasattr(cls, "__post_init__")
        and not hasattr(cls, "__slots__")
        and all(f.init for f in fields)
    )
    repeat = itertools.repeat

    def by_init(columns: list[Sequence[Any]], _count: int) -> list[Entity]:
        return list(map(cls, *columns))

    def by_dict(columns: list[Sequence[Any]], count: int) -> list[Entity]:
        made: list[Entity] = list(map(_NEW, repeat(cls, count)))
        values = map(dict, map(zip, repeat(names), zip(*columns, strict=True)))
        collections.deque(map(_SET, made, repeat("__dict__"), values), maxlen=0)
        return made

    found = _MAKERS[cls] = by_dict if plain else by_init
    return found


ColumnDecoder = Callable[[Sequence[Any]], Sequence[Any]]
ColumnPlan = tuple[tuple[int, ColumnDecoder], ...]
_COLUMN_PLANS: dict[tuple[type[Entity], tuple[str, ...]], ColumnPlan | None] = {}


def _column_plan(cls: type[Entity], columns: tuple[str, ...]) -> ColumnPlan | None:
    """For each field in order: its column, and what decodes the whole column (what the
    field's decoder gives for each value, or an error). None when a field has no column
    (rows of an older file, decoded row by row with the defaults)."""
    key = (cls, columns)
    if key in _COLUMN_PLANS:
        return _COLUMN_PLANS[key]
    at = {name: index for index, name in enumerate(columns)}
    plan: list[tuple[int, ColumnDecoder]] | None = []
    for item, (name, _, dec) in zip(dataclasses.fields(cls), _codecs(cls, True), strict=True):
        if name not in at:
            plan = None
            break
        plan.append((at[name], _column_decoder(*_is_optional(_hint(cls, name, item.type)), dec)))  # type: ignore[union-attr]
    found = tuple(plan) if plan is not None else None
    _COLUMN_PLANS[key] = found
    return found


def _column_decoder(optional: bool, base: Any, dec: Decoder) -> ColumnDecoder:
    """A column's values decoded as `dec` decodes each (for SQLite's values: exact str, int,
    float, bytes or None), most columns with their loop in C."""
    empty = {type(None)} if optional else set()

    def one_by_one(column: Sequence[Any]) -> Sequence[Any]:
        return list(map(dec, column))

    if base in (str, int):
        # Texts and whole numbers are taken as they are (SQLite's integers are always in range).
        allowed = {base} | empty

        def as_is(column: Sequence[Any]) -> Sequence[Any]:
            return column if set(map(type, column)) <= allowed else one_by_one(column)

        return as_is
    if base is float:
        allowed = {float} | empty

        def numbers(column: Sequence[Any]) -> Sequence[Any]:
            if set(map(type, column)) <= allowed and all(map(math.isfinite, filter(_IS_FLOAT, column))):
                return [None if value is None else value + 0.0 for value in column]  # -0.0 is 0.0
            return one_by_one(column)

        return numbers
    if isinstance(base, type) and issubclass(base, enum.Enum):
        # A dictionary lookup is what enum_type(value) does first; an unknown value is a KeyError
        # here (so the rows are read one by one for the decoder's own error).
        members: dict[Any, Any] = {member.value: member for member in base}
        if optional:
            members[None] = None
        lookup = members.__getitem__

        def choices(column: Sequence[Any]) -> Sequence[Any]:
            return list(map(lookup, column))

        return choices
    return one_by_one


def _defaults(cls: type[Entity]) -> frozenset[str]:
    found = _DEFAULTS.get(cls)
    if found is None:
        found = frozenset(
            f.name
            for f in dataclasses.fields(cls)
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        _DEFAULTS[cls] = found
    return found
