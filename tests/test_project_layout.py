"""Every package and resource folder reaches the wheel: pyproject.toml lists them by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def listed_packages() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(data["tool"]["setuptools"]["packages"])


def test_every_python_package_is_listed() -> None:
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "coprod_desktop").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found <= listed_packages(), f"add to pyproject.toml: {sorted(found - listed_packages())}"


def test_every_resource_folder_is_listed() -> None:
    found = {
        "coprod_desktop.resources." + ".".join(path.relative_to(ROOT / "resources").parts)
        for path in (ROOT / "resources").rglob("*")
        if path.is_dir() and "__pycache__" not in path.parts
    }
    assert found <= listed_packages(), f"add to pyproject.toml: {sorted(found - listed_packages())}"
