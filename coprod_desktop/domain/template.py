"""Workshop templates: the steps and content a new session starts from.

A template is a TOML file (see docs/template-format.md). This module turns its
text into a fresh `Session`, checking every field on the way so that a broken
template is reported with the file's name and the exact problem.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any, TypeVar

from .errors import TemplateError
from .ladder import RUNG_BY_KEY
from .model import (
    Criterion,
    MatrixSettings,
    Progress,
    ReadinessItem,
    Scenario,
    Session,
    Stage,
    Step,
    StepKind,
    Term,
    VotingMode,
    WorkshopInfo,
    new_id,
    replace,
)

TEMPLATE_FORMAT = "coprod-template"
TEMPLATE_FORMAT_VERSION = 1
KEY_LIMIT = 40


def key_from_title(title: str) -> str:
    """A readable stable key made from a title ("Support from leaders" -> "support-from-leaders").

    Used for template items that do not spell out a `key`, so two sessions made from
    the same keyless template still line up item by item.
    """
    words = "".join(ch if ch.isalnum() else " " for ch in title.casefold()).split()
    return "-".join(words)[:KEY_LIMIT].strip("-") or "item"


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not in `taken`; adds it to `taken`."""
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = f"-{number}"
        key = base[: KEY_LIMIT - len(suffix)] + suffix
    taken.add(key)
    return key


class _Reader:
    """Reads fields from one table of the template, naming the place of any fault."""

    def __init__(self, source: str, table: Mapping[str, Any], where: str) -> None:
        self.source = source
        self.table = table
        self.where = where

    def fail(self, problem: str) -> TemplateError:
        return TemplateError(f"The workshop template {self.source} is not valid: {self.where}{problem}")

    def text(self, name: str, *, required: bool = False, limit: int = 20_000) -> str:
        value = self.table.get(name, "")
        if not isinstance(value, str):
            raise self.fail(f"'{name}' should be text in quotes.")
        value = value.strip()
        if required and not value:
            raise self.fail(f"'{name}' is missing or empty.")
        if len(value) > limit:
            raise self.fail(f"'{name}' is longer than {limit} characters.")
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self.table.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(f"'{name}' should be a whole number from {low} to {high}.")
        return value

    def boolean(self, name: str) -> bool:
        value = self.table.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(f"'{name}' should be true or false.")
        return value

    def key(self, taken: set[str], title: str) -> str:
        """The item's stable key: as written (unique in its list), or made from its title."""
        if "key" in self.table:
            key = self.text("key", required=True, limit=KEY_LIMIT)
            if key in taken:
                raise self.fail(f"the key '{key}' is used twice.")
            taken.add(key)
            return key
        return unique_key(key_from_title(title), taken)

    def tables(self, name: str) -> list[_Reader]:
        value = self.table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"'{name}' should be a list of [[{name}]] tables.")
        return [_Reader(self.source, v, f"{name} number {i + 1}: ") for i, v in enumerate(value)]


def parse_template(text: str, source: str = "template") -> Session:
    """A new session built from template text. Raises TemplateError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"The workshop template {source} is not valid TOML: {exc}.") from None
    top = _Reader(source, data, "")
    if data.get("format") != TEMPLATE_FORMAT:
        raise top.fail(f'it should start with format = "{TEMPLATE_FORMAT}".')
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise top.fail("'format_version' should be a whole number.")
    if version > TEMPLATE_FORMAT_VERSION:
        raise TemplateError(
            f"The workshop template {source} was made for a newer version of coprod-desktop "
            f"(template format {version}); update the app to use it."
        )
    name = top.text("name", required=True, limit=200)
    session = Session(info=WorkshopInfo(title=name, template=name, session_key=new_id()))

    matrix_table = data.get("matrix", {})
    if not isinstance(matrix_table, dict):
        raise top.fail("[matrix] should be a table.")
    matrix = _Reader(source, matrix_table, "[matrix]: ")
    mode_text = matrix.text("mode") or VotingMode.SHOW_OF_HANDS.value
    try:
        mode = VotingMode(mode_text)
    except ValueError:
        choices = ", ".join(m.value for m in VotingMode)
        raise matrix.fail(f"'mode' should be one of {choices}.") from None
    scale = matrix_table.get("scale", list(MatrixSettings().scale))
    if (
        not isinstance(scale, list)
        or not 2 <= len(scale) <= 11
        or not all(isinstance(s, str) and s.strip() for s in scale)
    ):
        raise matrix.fail("'scale' should be a list of 2 to 11 labels, lowest first.")
    session.put(MatrixSettings(mode=mode, scale=tuple(s.strip() for s in scale)))

    term_keys: set[str] = set()
    for position, row in enumerate(top.tables("terms")):
        key = row.text("key", required=True, limit=40)
        if key in term_keys:
            raise row.fail(f"the key '{key}' is used twice.")
        term_keys.add(key)
        rung = row.text("rung", limit=40)
        if rung and rung not in RUNG_BY_KEY:
            raise row.fail(f"'rung' should be one of {', '.join(RUNG_BY_KEY)}, or empty.")
        session.put(
            Term(
                key=key,
                name=row.text("name", required=True, limit=200),
                what=row.text("what"),
                what_not=row.text("what_not"),
                differs=row.text("differs"),
                example=row.text("example"),
                rung=rung,
                position=position,
            )
        )

    steps = top.tables("steps")
    if not steps:
        raise top.fail("it has no [[steps]].")
    step_keys: set[str] = set()
    for position, row in enumerate(steps):
        kind_text = row.text("kind", required=True, limit=40)
        try:
            kind = StepKind(kind_text)
        except ValueError:
            choices = ", ".join(k.value for k in StepKind)
            raise row.fail(f"'kind' should be one of {choices}.") from None
        term = row.text("term", limit=40)
        if kind is StepKind.DEFINITION and term not in term_keys:
            raise row.fail("a definition step needs a 'term' that matches one of the [[terms]] keys.")
        title = row.text("title", required=True, limit=200)
        session.put(
            Step(
                id=new_id(),
                kind=kind,
                title=title,
                body=row.text("body"),
                notes=row.text("notes"),
                minutes=row.integer("minutes", 0, 0, 600),
                hidden=row.boolean("hidden"),
                term=term,
                position=position,
                key=row.key(step_keys, title),
            )
        )

    criteria_keys: set[str] = set()
    for position, row in enumerate(top.tables("criteria")):
        title = row.text("title", required=True, limit=200)
        session.put(
            Criterion(
                id=new_id(),
                title=title,
                description=row.text("description"),
                position=position,
                key=row.key(criteria_keys, title),
            )
        )
    stages_keys: set[str] = set()
    for position, row in enumerate(top.tables("stages")):
        title = row.text("title", required=True, limit=200)
        session.put(
            Stage(
                id=new_id(),
                title=title,
                description=row.text("description"),
                position=position,
                key=row.key(stages_keys, title),
            )
        )
    scenario_keys: set[str] = set()
    for position, row in enumerate(top.tables("scenarios")):
        answer = row.text("answer", required=True, limit=40)
        if answer not in term_keys:
            raise row.fail(f"'answer' is '{answer}', which is not one of the [[terms]] keys.")
        title = row.text("title", required=True, limit=200)
        session.put(
            Scenario(
                id=new_id(),
                title=title,
                text=row.text("text", required=True),
                answer=answer,
                explanation=row.text("explanation"),
                position=position,
                key=row.key(scenario_keys, title),
            )
        )
    readiness_keys: set[str] = set()
    for position, row in enumerate(top.tables("readiness")):
        title = row.text("title", required=True, limit=200)
        session.put(
            ReadinessItem(
                id=new_id(),
                title=title,
                description=row.text("description"),
                position=position,
                key=row.key(readiness_keys, title),
            )
        )
    first = session.visible_steps
    session.put(Progress(current_step_id=first[0].id if first else ""))
    return session


def template_data(session: Session, name: str, description: str = "") -> dict[str, object]:
    """The parts of `session` a template keeps: its steps and content, never its people or votes."""
    data: dict[str, object] = {
        "format": TEMPLATE_FORMAT,
        "format_version": TEMPLATE_FORMAT_VERSION,
        "name": name,
        "description": description,
        "matrix": {"mode": session.matrix.mode.value, "scale": list(session.matrix.scale)},
    }

    def table(entity: object, names: tuple[str, ...]) -> dict[str, object]:
        found: dict[str, object] = {}
        for field_name in names:
            value = getattr(entity, field_name)
            if value in ("", False) and field_name not in ("title", "name", "key", "kind"):
                continue  # leave out empty optional fields, as a person writing the file would
            if isinstance(value, StepKind):
                value = value.value
            elif isinstance(value, str):
                # TOML reads any line ending in a multi-line string as "\n"; write it so.
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            found[field_name] = value
        return found

    # An item's key is written only when it has one, so a template saved from a session
    # keeps its items matched to the sessions already run from it.
    data["steps"] = [
        table(s, ("key", "kind", "title", "body", "notes", "minutes", "hidden", "term"))
        for s in _keyed(session.steps)
    ]
    data["terms"] = [
        table(t, ("key", "name", "rung", "what", "what_not", "differs", "example")) for t in session.terms
    ]
    data["criteria"] = [table(c, ("key", "title", "description")) for c in _keyed(session.criteria)]
    data["stages"] = [table(s, ("key", "title", "description")) for s in _keyed(session.stages)]
    data["scenarios"] = [
        table(s, ("key", "title", "text", "answer", "explanation")) for s in _keyed(session.scenarios)
    ]
    data["readiness"] = [table(r, ("key", "title", "description")) for r in _keyed(session.readiness_items)]
    return data


K = TypeVar("K", Step, Criterion, Stage, Scenario, ReadinessItem)


def _keyed(items: list[K]) -> list[K]:
    """`items` with a key each, unique in the list: an item without one (or a repeat,
    which a hand-edited file might hold) gets one made from its title."""
    taken = {item.key for item in items if item.key}
    seen: set[str] = set()
    found: list[K] = []
    for item in items:
        if not item.key or item.key in seen:
            item = replace(item, key=unique_key(key_from_title(item.title), taken))
        seen.add(item.key)
        found.append(item)
    return found


def template_text(session: Session, name: str, description: str = "") -> str:
    """`session` as template TOML that `parse_template` reads back to the same content."""
    import tomli_w

    return tomli_w.dumps(template_data(session, name, description), multiline_strings=True)
