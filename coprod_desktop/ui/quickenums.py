"""The enum classes PySide6 makes, made the same way with less work (CPython 3.11).

PySide6 turns every Qt enum into a Python enum through the functional API,
`IntEnum("AlignmentFlag", [("AlignLeft", 1), ...], boundary=KEEP)` (shiboken's
sbkenum.cpp), the first time its class is touched: all 93 of the `Qt` namespace at
once, and some 100 more (QFont.Weight, QEvent.Type, QPalette.ColorRole...) on the way
to the first frame, about 2,600 members. CPython 3.11 builds each member through
`_EnumDict.__setitem__` and `_proto_member.__set_name__`, generic code that checks
for auto(), descriptors, private and reserved names, and sets each class attribute
through `EnumType.__setattr__`: some 12 µs a member, 30-40 ms of start-up.

`install()` puts a new `EnumType.__call__` in place. A value lookup (`Qt.Key(65)`) and
every functional-API call it does not recognise run the original code, unchanged. The
calls shiboken makes (a list of `(str, int)` pairs, no module, qualname or type, one of
Enum, IntEnum, Flag, IntFlag as the base, no member name that starts with "_" or that a
base class defines) are built by `_plain_enum`: the same steps, in the same order, as
`EnumType._create_`, `EnumType.__new__` and `_proto_member.__set_name__`, without the
checks that cannot apply to such input. The class has the same dict (same keys, same
order, same values), the same members with the same attributes, the same maps and masks,
so repr, pickling, flag operations and lookups behave as before.

It relies on those functions being the ones it was checked against, so `install()`
first compares a fingerprint of their bytecode with the one recorded here (CPython
3.11.7) and does nothing if any differs: another Python keeps its own enum code.
tests/ui/test_quickenums.py builds every enum of QtCore, QtGui and QtWidgets in a fresh
process with and without it and compares them member by member.
"""

from __future__ import annotations

import enum
import sys
from typing import Any

from coprod_desktop.codecache import code_fingerprint

# The enum code that _plain_enum and _call stand for, and its fingerprint (CPython 3.11.7).
_CHECKED_AGAINST = 0xE5353C14
_original_call: Any = None


def _checked_functions() -> list[Any]:
    meta: Any = enum.EnumType  # typeshed knows nothing of its private methods
    return [
        _original_call or meta.__call__,
        meta._create_,
        meta.__new__,
        meta.__prepare__,
        meta.__setattr__,
        meta._get_mixins_,
        meta._find_new_,
        meta._find_data_repr_,
        meta._find_data_type_,
        meta._check_for_existing_members_,
        enum._proto_member.__set_name__,  # type: ignore[attr-defined]
        enum._EnumDict.__setitem__,
        enum._make_class_unpicklable,  # type: ignore[attr-defined]
        enum._is_single_bit,  # type: ignore[attr-defined]
        enum.Enum.__init__,
    ]


def fingerprint() -> int:
    """A checksum of the bytecode, names and constants of the enum functions replaced here."""
    return code_fingerprint(*(getattr(f, "__func__", f).__code__ for f in _checked_functions()))


def installed() -> bool:
    return _original_call is not None


def install() -> bool:
    """Use the quicker way from now on, if this Python's enum code is the one checked; True if in use."""
    global _original_call
    if _original_call is not None:
        return True
    original = enum.EnumType.__dict__.get("__call__")
    if sys.implementation.name != "cpython" or getattr(original, "__module__", None) != "enum":
        return False  # not CPython's, or someone else has replaced it
    if fingerprint() != _CHECKED_AGAINST:
        return False
    _original_call = original
    enum.EnumType.__call__ = _call  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    """Put the original back (for tests)."""
    global _original_call
    if _original_call is not None:
        enum.EnumType.__call__ = _original_call  # type: ignore[method-assign]
        _original_call = None


_PLAIN_BASES = (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag)


class _Recipe:
    """What EnumType._create_ and EnumType.__new__ work out from the base class alone, worked
    out once per base with their own helpers (the same for every class made on that base)."""

    def __init__(self, cls: Any) -> None:
        metacls: Any = enum.EnumType
        bases = (cls,)
        self.prepared = dict(metacls.__prepare__(cls.__name__, bases).items())  # _generate_next_value_
        member_type, first_enum = metacls._get_mixins_(cls.__name__, bases)
        new_member, save_new, use_args = metacls._find_new_(dict(self.prepared), member_type, first_enum)
        self.member_type: Any = member_type
        self.new_member: Any = new_member
        self.use_args: bool = use_args
        self.value_repr = metacls._find_data_repr_(cls.__name__, bases)
        self.boundary = getattr(first_enum, "_boundary_", None)
        self.is_flag = issubclass(cls, enum.Flag)
        # A member named as something a base class defines gets a redirecting property.
        self.taken = frozenset(name for base in cls.__mro__ for name in vars(base))
        self.usable = (
            not save_new
            and (
                (member_type is int and new_member is int.__new__ and use_args)
                or (member_type is object and new_member is object.__new__ and not use_args)
            )
            and cls.__init__ is enum.Enum.__init__  # __set_name__ calls it: a no-op
            and "_value_" not in self.taken  # else __set_name__ would not set _value_ itself
        )
        # The methods EnumType.__new__ puts on the new class after its members, in order: those
        # of repr, str, format and reduce_ex the class would otherwise take from its data type
        # or from object, then a Flag's operators. The new class has none of its own yet, so
        # it finds what its base finds.
        self.methods: list[tuple[str, Any]] = []
        for name in ("__repr__", "__str__", "__format__", "__reduce_ex__"):
            if getattr(cls, name) in (getattr(member_type, name), getattr(object, name)):
                self.methods.append((name, getattr(first_enum, name)))
        if self.is_flag:
            for name in ("__or__", "__and__", "__xor__", "__ror__", "__rand__", "__rxor__", "__invert__"):
                self.methods.append((name, getattr(enum.Flag, name)))


_recipes: dict[Any, _Recipe] = {}


def _call(
    cls: Any,
    value: Any,
    names: Any = None,
    *,
    module: Any = None,
    qualname: Any = None,
    type: Any = None,  # noqa: A002 - the original's signature
    start: Any = 1,
    boundary: Any = None,
) -> Any:
    """EnumType.__call__, with shiboken's calls built by _plain_enum."""
    if names is None:  # a value lookup, as the original does it
        return cls.__new__(cls, value)
    if module is None and qualname is None and type is None and start == 1 and cls in _PLAIN_BASES:
        # The module EnumType._create_ would find: its frame 2 is this frame's caller.
        try:
            found = sys._getframe(1).f_globals["__name__"]
        except (AttributeError, ValueError, KeyError):
            found = None
        made = _plain_enum(cls, value, names, found, boundary)
        if made is not None:
            return made
    # The original's own path; _create_ is called from the same depth, so it finds the same module.
    return cls._create_(
        value, names, module=module, qualname=qualname, type=type, start=start, boundary=boundary
    )


# Named, documented and signed as the original (inspect.signature of an enum class shows it).
_call.__name__ = "__call__"
_call.__qualname__ = "EnumType.__call__"
_call.__doc__ = enum.EnumType.__call__.__doc__
_call.__annotations__ = {}


def _plain(recipe: _Recipe, class_name: Any, names: Any) -> bool:
    """Whether `names` is the plain input _plain_enum handles: unique (str, int) pairs whose
    names the original would take as members as they are."""
    if type(class_name) is not str or type(names) is not list or not recipe.usable:
        return False
    taken = recipe.taken
    seen = set()
    for item in names:
        if type(item) is not tuple or len(item) != 2:
            return False
        name, value = item
        if type(name) is not str or type(value) is not int:
            return False
        # "_" starts every sunder, dunder and private name; "mro" and "" are refused.
        if not name or name[0] == "_" or name == "mro" or name in taken or name in seen:
            return False
        seen.add(name)
    return True


def _plain_enum(
    cls: Any, class_name: str, names: list[tuple[str, int]], module: str | None, boundary: Any
) -> Any:
    """What `cls._create_(class_name, names, boundary=boundary)` makes, called from a module
    named `module`; None (nothing made) for input that is not plain."""
    recipe = _recipes.get(cls)
    if recipe is None:
        recipe = _recipes[cls] = _Recipe(cls)
    if not _plain(recipe, class_name, names):
        return None
    is_flag = recipe.is_flag
    single_bit = enum._is_single_bit  # type: ignore[attr-defined]
    # The class dict as EnumType.__new__ hands it to type.__new__, less the members (which
    # __set_name__ takes out and puts back at the end) and, on a class that is no Flag, less
    # the five Flag entries that it deletes again at the end.
    ns: dict[str, Any] = dict(recipe.prepared)
    if module is None:
        enum._make_class_unpicklable(ns)  # type: ignore[attr-defined]
    else:
        ns["__module__"] = module
    ns["_new_member_"] = recipe.new_member
    ns["_use_args_"] = recipe.use_args
    member_names: list[str] = []
    member_map: dict[str, Any] = {}
    value_map: dict[Any, Any] = {}
    ns["_member_names_"] = member_names
    ns["_member_map_"] = member_map
    ns["_value2member_map_"] = value_map
    ns["_unhashable_values_"] = []
    ns["_member_type_"] = recipe.member_type
    ns["_value_repr_"] = recipe.value_repr
    if is_flag:
        # __set_name__ ORs each member's value into these; nothing can see them meanwhile.
        flag_mask = singles_mask = 0
        for _, value in names:
            flag_mask |= value
            if single_bit(value):
                singles_mask |= value
        ns["_boundary_"] = boundary or recipe.boundary
        ns["_flag_mask_"] = flag_mask
        ns["_singles_mask_"] = singles_mask
        ns["_all_bits_"] = 2 ** (flag_mask.bit_length()) - 1 if names else 0
        ns["_inverted_"] = None
    enum_class: Any = type.__new__(enum.EnumType, class_name, (cls,), ns)
    # _proto_member.__set_name__, member by member in definition order.
    make: Any = recipe.new_member  # int.__new__ or object.__new__
    convert: Any = recipe.member_type
    use_args = recipe.use_args
    set_attribute = type.__setattr__  # EnumType.__setattr__ only refuses a name already a member
    member: Any
    for name, given in names:
        if use_args:
            member = make(enum_class, given)
            member._value_ = convert(given)
        else:
            member = make(enum_class)
            member._value_ = given
        value = member._value_
        member._name_ = name
        member.__objclass__ = enum_class
        member._sort_order_ = len(member_names)
        canonical = value_map.get(value)
        if canonical is None:
            if not is_flag or single_bit(value):
                member_names.append(name)
        else:
            member = canonical  # an alias
        set_attribute(enum_class, name, member)
        member_map[name] = member
        value_map.setdefault(value, member)
    # The rest of EnumType.__new__.
    for name, method in recipe.methods:
        if name not in ns:  # __reduce_ex__ is there already on a class that cannot be pickled
            set_attribute(enum_class, name, method)
    set_attribute(enum_class, "__new__", enum.Enum.__new__)
    if is_flag:
        member_list = [member_map[name]._value_ for name in member_names]
        if member_list != sorted(member_list):
            set_attribute(enum_class, "_iter_member_", enum_class._iter_member_by_def_)
    return enum_class
