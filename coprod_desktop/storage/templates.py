"""Finding the app's resources, and loading the workshop templates shipped with it."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from ..domain.errors import TemplateError
from ..domain.model import Session

DEFAULT_TEMPLATE = "default.toml"


@cache
def _resources_root() -> Path:
    # resources/ is installed as the package coprod_desktop.resources (see pyproject.toml);
    # its spec says where it is for a wheel, an editable install and a bundled build alike,
    # without importing importlib.resources at start-up.
    spec = importlib.util.find_spec("coprod_desktop.resources")
    if spec is None or not spec.submodule_search_locations:
        raise TemplateError("The app's resources are missing; reinstall coprod-desktop.")
    return Path(next(iter(spec.submodule_search_locations)))


def resource(*parts: str) -> Path:
    """A file or folder under resources/, wherever the app is installed."""
    return _resources_root().joinpath(*parts)


def builtin_template_names() -> list[str]:
    folder = resource("templates")
    return sorted(item.name for item in folder.iterdir() if item.name.endswith(".toml"))


def load_builtin_template(name: str = DEFAULT_TEMPLATE) -> Session:
    """A new session from a template shipped with the app."""
    from ..domain.template import parse_template

    node = resource("templates", name)
    if not node.is_file():
        raise TemplateError(f"There is no built-in workshop template called {name}.")
    try:
        text = node.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"The workshop template {name} could not be read ({exc}).") from None
    return parse_template(text, name)
