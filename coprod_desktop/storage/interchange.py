"""JSON interchange: the whole session as one readable document.

The layout is documented in docs/session-format.md. Keys are stable: a key is
only ever added, never renamed, and `format_version` rises when a reader of an
older version would misread a newer file.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..domain.changes import apply_changes
from ..domain.errors import InterchangeError
from ..domain.i18n import _
from ..domain.model import (
    Action,
    ActionReview,
    BallotCast,
    BallotCount,
    CanvasSettings,
    Card,
    Criterion,
    Entity,
    MatrixSettings,
    Note,
    Participant,
    Progress,
    ReadinessItem,
    Reveal,
    Scenario,
    Session,
    Stage,
    Step,
    Tally,
    Term,
    Vote,
    WorkshopInfo,
)
from ..domain.voting import unlink_secret_votes
from .codec import decode, encode
from .schema import version_1_keys

FORMAT = "coprod-session"
# 2: secret ballots are kept as "ballots_cast" and "ballot_counts", apart.
FORMAT_VERSION = 2
# Collections whose items carry a stable key, by table name as version_1_keys knows them.
KEYED: tuple[type[Entity], ...] = (Step, Criterion, Stage, Scenario, ReadinessItem)

# Top-level list key for each collection, in the order they are written.
LISTS: tuple[tuple[str, type[Entity]], ...] = (
    ("participants", Participant),
    ("steps", Step),
    ("terms", Term),
    ("criteria", Criterion),
    ("stages", Stage),
    ("scenarios", Scenario),
    ("readiness_items", ReadinessItem),
    ("votes", Vote),
    ("tallies", Tally),
    ("ballots_cast", BallotCast),
    ("ballot_counts", BallotCount),
    ("reveals", Reveal),
    ("cards", Card),
    ("actions", Action),
    ("notes", Note),
    ("action_reviews", ActionReview),
)
# Singletons other than the workshop info, which sits at the top level.
OBJECTS: tuple[tuple[str, type[Entity]], ...] = (
    ("progress", Progress),
    ("matrix", MatrixSettings),
    ("canvas", CanvasSettings),
)


def session_to_dict(session: Session) -> dict[str, Any]:
    from .. import __version__

    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
    }
    document.update(encode(session.info, sql=False))
    for key, cls in OBJECTS:
        document[key] = encode(_singleton(session, cls), sql=False)
    for key, cls in LISTS:
        document[key] = [encode(entity, sql=False) for entity in session.items(cls)]
    return document


def session_to_json(session: Session) -> str:
    return json.dumps(session_to_dict(session), ensure_ascii=False, indent=2) + "\n"


def session_from_dict(document: Any, source: str = "the file") -> Session:
    """A session from a parsed export. Raises InterchangeError with a plain sentence."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InterchangeError(
            _('{source} is not a coprod-desktop session export (it lacks "format": "{format}").').format(
                source=source, format=FORMAT
            )
        )
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError(_('{source} has no whole-number "format_version".').format(source=source))
    if version > FORMAT_VERSION:
        raise InterchangeError(
            _(
                "{source} was exported by a newer version of coprod-desktop (format {version}; "
                "this app reads up to {format_version}). Install the newer version to import it."
            ).format(source=source, version=version, format_version=FORMAT_VERSION)
        )
    session = Session()
    where = "the workshop details"
    unkeyed: dict[type[Entity], list[Entity]] = {cls: [] for cls in KEYED}
    try:
        session.put(decode(WorkshopInfo, document, sql=False))
        for key, cls in OBJECTS:
            where = f'"{key}"'
            value = document.get(key, {})
            if not isinstance(value, dict):
                raise ValueError(_("it should be an object"))
            session.put(decode(cls, value, sql=False))
        for key, cls in LISTS:
            values = document.get(key, [])
            if not isinstance(values, list):
                raise InterchangeError(
                    _('{source} is not valid: "{key}" should be a list.').format(source=source, key=key)
                )
            for number, value in enumerate(values, start=1):
                where = f'"{key}" item {number}'
                if not isinstance(value, dict):
                    raise ValueError(_("it should be an object"))
                entity = decode(cls, value, sql=False)
                if session.get(cls, entity.ident) is not None:
                    raise ValueError(_("it repeats the identity {ident!r}").format(ident=entity.ident))
                session.put(entity)
                if cls in unkeyed and "key" not in value:
                    unkeyed[cls].append(entity)
    except (ValueError, TypeError) as exc:
        raise InterchangeError(
            _("{source} is not valid: in {where}, {error}.").format(source=source, where=where, error=exc)
        ) from None
    if version < 2:
        # Format 1 kept secret-ballot ratings with the voter's id; never import that link.
        apply_changes(session, unlink_secret_votes(session))
    _give_keys(session, unkeyed)
    return session


def _give_keys(session: Session, unkeyed: dict[type[Entity], list[Entity]]) -> None:
    """An export made before items had stable keys gets the keys an upgraded session
    file would get (`key` absent, not merely empty, marks such an item)."""
    for cls, entities in unkeyed.items():
        if not entities:
            continue
        entities.sort(key=lambda e: (getattr(e, "position", 0), e.ident))
        taken = {getattr(e, "key", "") for e in session.items(cls)} - {""}
        rows = [(getattr(e, "title", ""), str(getattr(e, "kind", ""))) for e in entities]
        for entity, key in zip(entities, version_1_keys(cls.KIND, rows, taken), strict=True):
            session.put(replace(entity, **{"key": key}))  # every KEYED kind has a key


def session_from_json(text: str, source: str = "the file") -> Session:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InterchangeError(
            _("{source} is not valid JSON ({error}).").format(source=source, error=exc)
        ) from None
    except RecursionError:
        raise InterchangeError(
            _("{source} is nested too deeply to be a session export.").format(source=source)
        ) from None
    return session_from_dict(document, source)


def _singleton(session: Session, cls: type[Entity]) -> Entity:
    return {Progress: session.progress, MatrixSettings: session.matrix, CanvasSettings: session.canvas}[cls]
