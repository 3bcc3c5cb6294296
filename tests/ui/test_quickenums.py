"""The quick enums (coprod_desktop/ui/quickenums.py) make the very classes the original code makes."""

from __future__ import annotations

import contextlib
import enum
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coprod_desktop.ui import quickenums

from .enumdescription import describe_class

REPO = Path(__file__).resolve().parents[2]
CHECKED_PYTHON = (3, 11, 7)


@pytest.fixture
def quick_and_plain() -> Iterator[Callable[[Callable[[], Any]], tuple[Any, Any]]]:
    """`both(make)`: the description of what `make()` gives (or raises) with the quick enums
    and with the original code; the quick ones are in place again afterwards, if they were."""
    was_installed = quickenums.installed()

    def describe_result(make: Callable[[], Any]) -> Any:
        try:
            made = make()
        except Exception as exc:
            return ["raises", type(exc).__name__, str(exc)]
        return describe_class(made)

    def both(make: Callable[[], Any]) -> tuple[Any, Any]:
        assert quickenums.install()
        quick = describe_result(make)
        quickenums.uninstall()
        plain = describe_result(make)
        return quick, plain

    yield both
    if was_installed:
        quickenums.install()
    else:
        quickenums.uninstall()


def test_installed_with_the_ui_on_the_python_it_was_checked_against() -> None:
    if sys.version_info[:3] != CHECKED_PYTHON:
        pytest.skip(f"checked against CPython {CHECKED_PYTHON}; this Python keeps its own enum code")
    assert quickenums.fingerprint() == quickenums._CHECKED_AGAINST
    assert quickenums.installed()  # by importing coprod_desktop.ui
    assert enum.EnumType.__call__ is quickenums._call


def test_an_enum_class_shows_the_same_signature() -> None:
    assert quickenums.install()
    quick = str(inspect.signature(enum.IntEnum)), enum.EnumType.__call__.__name__
    quickenums.uninstall()
    try:
        assert quick == (str(inspect.signature(enum.IntEnum)), enum.EnumType.__call__.__name__)
    finally:
        assert quickenums.install()


def test_enum_code_that_differs_keeps_the_original(monkeypatch: pytest.MonkeyPatch) -> None:
    was_installed = quickenums.installed()
    quickenums.uninstall()
    original = enum.EnumType.__call__
    try:
        monkeypatch.setattr(quickenums, "_CHECKED_AGAINST", quickenums.fingerprint() ^ 1)
        assert not quickenums.install()
        assert enum.EnumType.__call__ is original
        assert not quickenums.installed()
    finally:
        monkeypatch.undo()
        if was_installed:
            assert quickenums.install()


# Calls of the functional API as shiboken makes them, and others the quick way must leave to the
# original code (string names, reserved or taken names, a module or qualname given, other types).
CASES: dict[str, Callable[[], Any]] = {
    "IntEnum with an alias": lambda: enum.IntEnum("Shape", [("Square", 1), ("Round", 2), ("Box", 1)]),
    "Enum, negative value": lambda: enum.Enum("Mood", [("Up", 5), ("Down", -3)], boundary=enum.KEEP),
    "Flag, multi-bit alias, zero, gap": lambda: enum.Flag(
        "Sides", [("Left", 1), ("Right", 2), ("Both", 3), ("Top", 8), ("NoSide", 0)], boundary=enum.KEEP
    ),
    "IntFlag out of order": lambda: enum.IntFlag("Order", [("Four", 4), ("One", 1)], boundary=enum.KEEP),
    "IntFlag with -1 and a 64-bit value": lambda: enum.IntFlag(
        "Wide", [("All", -1), ("One", 1), ("High", 1 << 63)], boundary=enum.KEEP
    ),
    "empty IntEnum": lambda: enum.IntEnum("Nothing", []),
    "no boundary given": lambda: enum.IntFlag("Plain", [("A", 1), ("B", 2)]),
    "member called value": lambda: enum.IntEnum("Named", [("value", 1), ("name", 2)]),
    "member named as an int attribute": lambda: enum.IntEnum("Parts", [("real", 1), ("Other", 2)]),
    "underscore name": lambda: enum.IntEnum("Hidden", [("_secret", 1), ("Shown", 2)]),
    "string of names": lambda: enum.Enum("Colour", "RED GREEN BLUE"),
    "module and qualname given": lambda: enum.IntEnum(
        "Placed", [("A", 1)], module="elsewhere", qualname="X.Placed"
    ),
    "float value": lambda: enum.Enum("Ratio", [("Half", 0.5)]),
    "StrEnum": lambda: enum.StrEnum("Word", [("Yes", "yes")]),
    "duplicate name": lambda: enum.Enum("Twice", [("A", 1), ("A", 2)]),
    "reserved name mro": lambda: enum.Enum("Reserved", [("mro", 1)]),
    "names as a tuple": lambda: enum.IntEnum("Tupled", (("A", 1), ("B", 2))),
}


@pytest.mark.parametrize("case", CASES)
def test_made_the_same_way(
    case: str, quick_and_plain: Callable[[Callable[[], Any]], tuple[Any, Any]]
) -> None:
    quick, plain = quick_and_plain(CASES[case])
    assert quick == plain


SHIBOKEN_LIKE = {
    "IntEnum with an alias",
    "Enum, negative value",
    "Flag, multi-bit alias, zero, gap",
    "IntFlag out of order",
    "IntFlag with -1 and a 64-bit value",
    "empty IntEnum",
    "no boundary given",
}


@pytest.mark.parametrize("case", CASES)
def test_the_quick_way_is_taken_for_plain_calls_only(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert quickenums.install()
    original = vars(enum.EnumType)["_create_"]
    by_original: list[str] = []

    def counted(cls: Any, class_name: str, *args: Any, **kwargs: Any) -> Any:
        by_original.append(class_name)
        return original.__get__(cls)(class_name, *args, **kwargs)

    monkeypatch.setattr(enum.EnumType, "_create_", counted)
    with contextlib.suppress(TypeError, ValueError):  # the refused ones: test_made_the_same_way
        CASES[case]()
    assert (not by_original) == (case in SHIBOKEN_LIKE)


@pytest.mark.parametrize(
    "source",
    [
        "made = IntEnum('Lost', [('A', 1), ('B', 2)])",  # quick, with no module to name
        "made = IntEnum('Lost', 'A B')",  # the original's own path
    ],
)
def test_made_where_no_module_is_named(
    source: str, quick_and_plain: Callable[[Callable[[], Any]], tuple[Any, Any]]
) -> None:
    """Called from code whose globals have no __name__, the class cannot be pickled, as before."""

    def make() -> Any:
        scope: dict[str, Any] = {"IntEnum": enum.IntEnum}
        exec(source, scope)
        return scope["made"]

    quick, plain = quick_and_plain(make)
    assert quick == plain
    assert quick["module"] == "<unknown>"


@pytest.mark.timeout(300)
def test_every_qt_enum_is_the_same_as_without(tmp_path: Path) -> None:
    """All enums of QtCore, QtGui and QtWidgets, made in two fresh processes, one each way."""
    if sys.version_info[:3] != CHECKED_PYTHON:
        pytest.skip(f"checked against CPython {CHECKED_PYTHON}")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), PYTHONHASHSEED="0")
    made = {}
    for how in ("plain", "quick"):
        out = tmp_path / f"{how}.json"
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("enumdescription.py")), how, str(out)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=240,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        made[how] = json.loads(out.read_text(encoding="utf-8"))
        if how == "quick":
            assert "made by the original code: 0 " in done.stdout  # all of them the quick way
    plain, quick = made["plain"], made["quick"]
    assert len(plain) > 600  # every enum was reached
    assert list(quick) == list(plain)
    differing = [name for name in plain if quick[name] != plain[name]]
    assert not differing, differing[:10]
