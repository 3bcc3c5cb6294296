"""Finding and loading workshop templates shipped in resources/templates."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from ..domain.errors import TemplateError
from ..domain.model import Session
from ..domain.template import parse_template

DEFAULT_TEMPLATE = "default.toml"


def resource(*parts: str) -> Traversable:
    """A file or folder under resources/, wherever the app is installed."""
    node = resources.files("coprod_desktop.resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def builtin_template_names() -> list[str]:
    folder = resource("templates")
    return sorted(item.name for item in folder.iterdir() if item.name.endswith(".toml"))


def load_builtin_template(name: str = DEFAULT_TEMPLATE) -> Session:
    """A new session from a template shipped with the app."""
    node = resource("templates", name)
    if not node.is_file():
        raise TemplateError(f"There is no built-in workshop template called {name}.")
    try:
        text = node.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"The workshop template {name} could not be read ({exc}).") from None
    return parse_template(text, name)
