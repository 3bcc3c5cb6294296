"""Qt widgets, views and the document that owns the open session."""

from __future__ import annotations

import sys
from types import ModuleType


def standard_library_folder() -> str:
    """The folder of Python's own modules (where os.py is), with a separator at its end."""
    import os

    return os.path.join(os.path.dirname(os.__file__), "")


def _quicker_module_scan() -> None:
    """Let PySide6 learn which modules use it without reading each one through `inspect`.

    PySide6 (since 6.4, PYSIDE-2029) asks of every module imported after it whether its
    source names "PySide6", to leave the others out of its `__feature__` switching; it asks
    with inspect.getsource, which tokenises the file: about 20 ms for the 120 modules the app
    imports on its way to the first frame. Here the same question is answered from the
    file's bytes (about 5 ms), and a module of Python's own standard library, whose sources
    never name PySide6 (tests/ui/test_module_scan.py checks this Python's), is not read at
    all (half the modules, 2 ms). Anything that is not a plain .py file, or a file that cannot
    be read, gets PySide's own answer; should a PySide6 release drop the hook, nothing is done.
    """
    import os

    import shiboken6  # noqa: F401 - loads shibokensupport.feature, before any PySide6 module

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original) or getattr(original, "quick", False):
        return
    standard = standard_library_folder()

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            if standard and path.startswith(standard):
                first = path[len(standard) :].split(os.sep, 1)[0]
                if first not in ("site-packages", "dist-packages"):
                    return False
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.quick = True  # type: ignore[attr-defined]
    uses_pyside.original = original  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]


def _quicker_enums() -> None:
    """Qt's enums made as before with less work (quickenums.py says how); before any is made."""
    from . import quickenums

    quickenums.install()


_quicker_enums()
_quicker_module_scan()
