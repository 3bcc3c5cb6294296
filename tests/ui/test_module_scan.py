"""PySide's question "does this module use PySide6?", answered quickly (coprod_desktop/ui/__init__.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from coprod_desktop.ui import standard_library_folder


def test_no_module_of_the_standard_library_names_pyside6() -> None:
    """Why the quick scan need not read them: none of this Python's own sources names PySide6."""
    folder = Path(standard_library_folder())
    assert (folder / "os.py").is_file()
    naming = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in ("site-packages", "dist-packages", "__pycache__")]
        for name in files:
            if name.endswith(".py") and b"PySide6" in (Path(root) / name).read_bytes():
                naming.append(str(Path(root) / name))
    assert naming == []


def test_the_quick_answer_is_pysides_own_for_every_module_loaded() -> None:
    feature = sys.modules["shibokensupport.feature"]
    quick = feature._mod_uses_pyside
    assert getattr(quick, "quick", False)  # put in place by importing coprod_desktop.ui
    modules = [m for name, m in sorted(sys.modules.items()) if isinstance(getattr(m, "__file__", None), str)]
    assert len(modules) > 300
    differing = [m.__name__ for m in modules if bool(quick(m)) != bool(quick.original(m))]
    assert differing == []
    ours = [m for m in modules if m.__name__.startswith("coprod_desktop.ui.")]
    assert ours
    assert any(quick(m) for m in ours)
