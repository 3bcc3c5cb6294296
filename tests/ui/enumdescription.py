"""Everything one can see of an enum class, as plain JSON-able data, to compare two builds of it.

    python tests/ui/enumdescription.py plain|quick OUT.json

writes the description of every enum of PySide6's QtCore, QtGui and QtWidgets (the `Qt`
namespace's included), made the original way ("plain") or with coprod_desktop.ui.quickenums
installed first ("quick"). tests/ui/test_quickenums.py runs it in two fresh processes and
compares. `describe_class` is also used in-process on enums made by hand.

What is described: the class's dict (every key in order, every value), its MRO, names, flags,
repr, len, iteration, members and aliases; for each member its own dict, repr, str, format,
hash, value, pickling, copying, lookups by value and name, and for flags the operators; then
values that are not members (the `_missing_` path), and the maps again after those lookups.
"""

from __future__ import annotations

import copy
import enum
import functools
import json
import pickle
import sys
import types
from collections.abc import Callable
from typing import Any

_CALLABLES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.WrapperDescriptorType,
    types.MethodWrapperType,
    types.MethodDescriptorType,
    classmethod,
    staticmethod,
    type,
    types.DynamicClassAttribute,
    property,
)


def name_of(obj: Any) -> str:
    if isinstance(obj, enum.Enum):
        return f"member:{type(obj).__qualname__}.{obj._name_}"
    if isinstance(obj, type):
        return f"type:{obj.__module__}.{obj.__qualname__}"
    function = getattr(obj, "__func__", obj)
    owner = getattr(obj, "__self__", None)
    bound_to = name_of(owner) if isinstance(owner, type) else type(owner).__name__
    where = f"{getattr(function, '__module__', None)}.{getattr(function, '__qualname__', None)}"
    return f"{type(obj).__name__}:{where}@{bound_to}"


def describe(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return ["member", type(value).__qualname__, value._name_, describe(value._value_)]
    if isinstance(value, (bool, int, str, float, type(None))):
        return [type(value).__name__, value]
    if isinstance(value, dict):
        return ["dict", [[describe(k), describe(v)] for k, v in value.items()]]
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [describe(v) for v in value]]
    if isinstance(value, functools.partial):
        return ["partial", describe(value.func), describe(value.args), describe(value.keywords)]
    if isinstance(value, _CALLABLES):
        parts = []
        if isinstance(value, (property, types.DynamicClassAttribute)):
            parts = [describe(getattr(value, a, None)) for a in ("fget", "fset", "fdel", "member", "name")]
        return ["callable", name_of(value), parts]
    return ["other", type(value).__name__, repr(value)]


def attempt(action: Callable[[], Any]) -> Any:
    try:
        return describe(action())
    except Exception as exc:  # the same failure is part of the same behaviour
        return ["raises", type(exc).__name__, str(exc)]


def describe_member(cls: Any, member: Any, first: Any, full: bool) -> dict[str, Any]:
    found: dict[str, Any] = {
        "vars": [[k, describe(v)] for k, v in vars(member).items()],
        "repr": repr(member),
        "str": str(member),
        "format": attempt(lambda: format(member)),
        "hash": hash(member),
        "bool": bool(member),
        "name": member.name,
        "value": describe(member.value),
        "int": int(member) if isinstance(member, int) else None,
        "pickle": attempt(lambda: pickle.loads(pickle.dumps(member)) is member),
        "copy": copy.copy(member) is member and copy.deepcopy(member) is member,
        "by_value": attempt(lambda: cls(member._value_)),
        "by_name": attempt(lambda: cls[member._name_]),
        "equals_first": attempt(lambda: member == first),
    }
    if full:
        found["dir"] = dir(member)
    if issubclass(cls, enum.Flag):
        found["invert"] = attempt(lambda: repr(~member))
        found["or"] = attempt(lambda: repr(member | first))
        found["and"] = attempt(lambda: repr(member & first))
        found["xor"] = attempt(lambda: repr(member ^ first))
        found["bits"] = attempt(lambda: [m._name_ for m in member])
        found["len"] = attempt(lambda: len(member))
        found["contains"] = attempt(lambda: first in member)
    return found


def describe_class(cls: Any) -> dict[str, Any]:
    members = list(cls.__members__.items())
    first = next(iter(cls), members[0][1] if members else None)
    found: dict[str, Any] = {
        "repr": repr(cls),
        "meta": name_of(type(cls)),
        "mro": [name_of(base) for base in cls.__mro__],
        "name": cls.__name__,
        "qualname": cls.__qualname__,
        "module": cls.__module__,
        "flags": cls.__flags__,
        "doc": cls.__doc__,
        "dict": [[k, describe(v)] for k, v in vars(cls).items()],
        "len": len(cls),
        "iter": [m._name_ for m in cls],
        "dir": dir(cls),
        "members": [[name, describe(m)] for name, m in members],
        "pickle": attempt(lambda: pickle.loads(pickle.dumps(cls)) is cls),
    }
    found["each"] = [
        [name, describe_member(cls, m, first, full=number == 0)] for number, (name, m) in enumerate(members)
    ]
    values = [m._value_ for _, m in members if isinstance(m._value_, int)] or [0]
    found["not members"] = [
        attempt(functools.partial(lambda v: repr(cls(v)), v)) for v in (max(values) + 12345, -7, 0, 3)
    ]
    if issubclass(cls, enum.Flag):
        found["all bits"] = attempt(lambda: repr(cls(cls._all_bits_)))
        found["minus one"] = attempt(lambda: repr(cls(-1)))
    found["maps after"] = [describe(cls._member_map_), describe(cls._value2member_map_)]
    return found


def qt_enums() -> list[Any]:
    """Every enum class of QtCore, QtGui and QtWidgets, module-level and nested, in a fixed order."""
    from PySide6 import QtCore, QtGui, QtWidgets

    seen: set[int] = set()
    found: list[Any] = []

    def walk(scope: Any, depth: int) -> None:
        for value in list(vars(scope).values()):
            if id(value) in seen or not isinstance(value, type):
                continue
            seen.add(id(value))
            if isinstance(value, enum.EnumType):
                found.append(value)
            elif depth < 3 and value.__module__.startswith("PySide6"):
                walk(value, depth + 1)

    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, type) and id(value) not in seen:
                seen.add(id(value))
                if isinstance(value, enum.EnumType):
                    found.append(value)
                else:
                    walk(value, 1)
    return found


def main() -> int:
    how, out = sys.argv[1], sys.argv[2]
    by_original: list[str] = []
    if how == "quick":
        from coprod_desktop.ui import quickenums

        if not quickenums.install():
            print("quickenums does not install on this Python", file=sys.stderr)
            return 3
        original_create = vars(enum.EnumType)["_create_"]

        def counted(cls: Any, class_name: str, *args: Any, **kwargs: Any) -> Any:
            by_original.append(class_name)
            return original_create.__get__(cls)(class_name, *args, **kwargs)

        setattr(enum.EnumType, "_create_", counted)  # noqa: B010 - a private name typeshed lacks
    elif how != "plain":
        return 2
    from PySide6.QtCore import Qt

    assert Qt.AlignmentFlag.AlignLeft  # the Qt namespace first, as the app makes it
    made = qt_enums()
    on_making = len(by_original)  # later, a value that is no member makes a class of its own
    described = {f"{cls.__module__}.{cls.__qualname__}": describe_class(cls) for cls in made}
    with open(out, "w", encoding="utf-8") as stream:
        json.dump(described, stream)
    print(f"{len(made)} enums, {sum(len(cls.__members__) for cls in made)} members")
    print(f"made by the original code: {on_making} {by_original[:on_making][:5]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
