"""Finding the app's resources, and loading the workshop templates shipped with it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import TemplateError
from ..domain.i18n import _, resources_folder
from ..domain.model import Session

if TYPE_CHECKING:
    from ..domain.parallel import SecondText

DEFAULT_TEMPLATE = "default.toml"
MAX_TEMPLATE_BYTES = 8 * 1024 * 1024  # a template is a few kilobytes; this is far beyond any


def _resources_root() -> Path:
    folder = resources_folder()
    if folder is None:
        raise TemplateError(_("The app's resources are missing; reinstall coprod-desktop."))
    return folder


def resource(*parts: str) -> Path:
    """A file or folder under resources/, wherever the app is installed."""
    return _resources_root().joinpath(*parts)


def builtin_template_names() -> list[str]:
    folder = resource("templates")
    return sorted(item.name for item in folder.iterdir() if item.name.endswith(".toml"))


def template_languages(name: str = DEFAULT_TEMPLATE) -> list[str]:
    """The languages a built-in template is written in: English, then its translations.

    A translation is templates/<language>/<name>, keyed by the original's stable keys.
    """
    folder = resource("templates")
    found = ["en"]
    for child in sorted(folder.iterdir(), key=lambda node: node.name):
        if child.is_dir() and child.joinpath(name).is_file():
            found.append(child.name)
    return found


def load_builtin_template(name: str = DEFAULT_TEMPLATE, language: str | None = None) -> Session:
    """A new session from a template shipped with the app, in `language` where it has one.

    The session records the language it was made in (English for the original, unless a
    language is asked for), and the handout is then printed in it.
    """
    from ..domain.i18n import normalise
    from ..domain.model import replace

    base = normalise(language).split("-")[0] if language else "en"
    if base != "en" and base in template_languages(name):
        session = _load_builtin(f"{base}/{name}", resource("templates", base, name))
    else:
        session = _load_builtin(name, resource("templates", name))
    if language:
        session.put(replace(session.info, language=base if base != "en" else normalise(language)))
    return session


def second_text_for(session: Session, language: str) -> SecondText | None:
    """The session's workshop words in `language`, from its built-in template's translation.

    None when the session's workshop is already in that language, or did not come from a
    built-in template that has both languages (a personal template, say).
    """
    from ..domain.i18n import normalise
    from ..domain.parallel import second_text

    own = normalise(session.info.language or "en").split("-")[0]
    other = normalise(language).split("-")[0]
    if own == other:
        return None
    for name in builtin_template_names():
        languages = template_languages(name)
        if own not in languages or other not in languages:
            continue
        original = _template_in(name, own)
        if original.info.template != session.info.template:
            continue
        return second_text(session, original, _template_in(name, other), other)
    return None


@cache
def _template_in(name: str, language: str) -> Session:
    # Read only: the pairs are looked up in it, it is never changed or saved.
    return load_builtin_template(name, None if language == "en" else language)


def _load_builtin(name: str, node: Path) -> Session:
    from ..domain.template import parse_template

    if not node.is_file():
        raise TemplateError(_("There is no built-in workshop template called {name}.").format(name=name))
    try:
        text = node.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(
            _("The workshop template {name} could not be read ({error}).").format(name=name, error=exc)
        ) from None
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
        from .atomic import clean_stale_temporaries

        clean_stale_temporaries(personal_folder)  # what a killed template save left behind
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
        raise TemplateError(
            _("The workshop template {name} is not UTF-8 text.").format(name=path.name)
        ) from None
    except OSError as exc:
        raise TemplateError(
            _("The workshop template {name} could not be read: {reason}.").format(
                name=path.name, reason=plain_os_error(exc)
            )
        ) from None
    try:
        return parse_template(text, path.name)
    except RecursionError:
        raise TemplateError(
            _("The workshop template {name} is nested too deeply to be a workshop template.").format(
                name=path.name
            )
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
        raise TemplateError(
            _("Could not save the template {name}: {reason}.").format(name=name, reason=plain_os_error(exc))
        ) from None
    return target
