"""Finding the app's resources, and loading the workshop templates shipped with it."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..domain.errors import TemplateError
from ..domain.model import Session

DEFAULT_TEMPLATE = "default.toml"
MAX_TEMPLATE_BYTES = 8 * 1024 * 1024  # a template is a few kilobytes; this is far beyond any


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


@dataclass(frozen=True)
class TemplateInfo:
    """A template the facilitator can start a session from."""

    name: str
    description: str
    path: Path
    builtin: bool


def _describe(path: Path, builtin: bool) -> TemplateInfo:
    import tomllib

    from .atomic import read_user_text

    try:
        data = tomllib.loads(read_user_text(path, limit=MAX_TEMPLATE_BYTES))
        name = str(data.get("name") or path.stem)[:200]
        description = str(data.get("description") or "")[:2000]
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        # One bad file (unreadable, a pipe, a loop of links, nested past reason) is
        # listed as such; it never takes the other templates down with it.
        name, description = path.stem, "This file cannot be read as a template."
    return TemplateInfo(name, description, path, builtin)


def available_templates(personal_folder: Path | None) -> list[TemplateInfo]:
    """Built-in templates first, then the facilitator's own, each sorted by name."""
    found = [_describe(resource("templates", n), True) for n in builtin_template_names()]
    if personal_folder is not None and personal_folder.is_dir():
        own = sorted(personal_folder.glob("*.toml"))
        found += sorted((_describe(p, False) for p in own), key=lambda t: t.name.casefold())
    return found


def load_template(path: Path) -> Session:
    """A new session from any template file. Raises TemplateError naming the file."""
    from ..domain.template import parse_template
    from .atomic import plain_os_error, read_user_text

    try:
        text = read_user_text(path, limit=MAX_TEMPLATE_BYTES)
    except UnicodeDecodeError:
        raise TemplateError(f"The workshop template {path.name} is not UTF-8 text.") from None
    except OSError as exc:
        raise TemplateError(
            f"The workshop template {path.name} could not be read: {plain_os_error(exc)}."
        ) from None
    try:
        return parse_template(text, path.name)
    except RecursionError:
        raise TemplateError(
            f"The workshop template {path.name} is nested too deeply to be a workshop template."
        ) from None


def save_personal_template(session: Session, name: str, folder: Path, description: str = "") -> Path:
    """Save the session's steps and content as a template of the facilitator's own."""
    from ..domain.template import template_text
    from .atomic import atomic_write, plain_os_error

    stem = "".join(c if c.isalnum() or c in " -_" else "_" for c in name).strip() or "My workshop"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{stem}.toml"
        with atomic_write(target) as stream:
            stream.write(template_text(session, name, description).encode("utf-8"))
    except OSError as exc:
        raise TemplateError(f"Could not save the template {name}: {plain_os_error(exc)}.") from None
    return target
