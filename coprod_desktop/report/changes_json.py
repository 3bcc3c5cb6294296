"""What changed, and several groups combined, as JSON documents.

The layouts are documented in docs/compare-format.md. Every number is the domain's
(`domain.compare`, `domain.combine`), unrounded; the `text` fields are the very words
the change view and the PDF print. Keys are only ever added within one
`format_version`. Neither document holds a participant's name or id.
"""

from __future__ import annotations

import json
from typing import Any

from ..domain.combine import Combined
from ..domain.compare import (
    MIN_GROUP,
    MIN_VOTES,
    CardChange,
    Comparison,
    GapChange,
    ItemChanges,
    LineChange,
    MeanChange,
)
from ..domain.matrix import Classification
from ..domain.readiness import Condition

COMPARE_FORMAT = "coprod-compare"
COMBINED_FORMAT = "coprod-combined"
FORMAT_VERSION = 1

_ITEM_LISTS = ("steps", "criteria", "stages", "scenarios", "readiness_items")


def _mean(change: MeanChange) -> dict[str, Any]:
    return {
        "before": change.before,
        "after": change.after,
        "votes_before": change.votes_before,
        "votes_after": change.votes_after,
        "change": change.delta,
        "enough": change.enough,
        "text": change.text,
    }


def _gap(change: GapChange) -> dict[str, Any]:
    return {
        "before": change.before,
        "after": change.after,
        "lived_before": change.lived_before,
        "staff_before": change.staff_before,
        "lived_after": change.lived_after,
        "staff_after": change.staff_after,
        "change": change.delta,
        "narrowing": change.narrowing,
        "enough": change.enough,
        "text": change.text,
    }


def _line(line: LineChange) -> dict[str, Any]:
    return {"key": line.key, "title": line.title, "mean": _mean(line.mean), "gap": _gap(line.gap)}


def _items(changes: ItemChanges) -> dict[str, Any]:
    return {
        "added": list(changes.added),
        "removed": list(changes.removed),
        "renamed": [{"before": old, "after": new} for old, new in changes.renamed],
    }


def _placement(found: Classification | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"rung": found.rung, "name": found.name, "reason": found.reason}


def _condition(found: Condition | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"mean": found.mean, "votes": found.votes, "status": found.status.value}


def _point(point: tuple[float, float] | None) -> dict[str, float] | None:
    return None if point is None else {"x": point[0], "y": point[1]}


def _card(change: CardChange) -> dict[str, Any]:
    return {
        "id": change.card_id,
        "text": change.text,
        "before": _point(change.before_at),
        "after": _point(change.after_at),
        "aim": _point(change.aim),
        "zone_before": change.zone_before,
        "zone_after": change.zone_after,
        "distance_before": change.distance_before,
        "distance_after": change.distance_after,
        "towards": change.towards,
        "direction": change.direction,
        "text_of_move": change.text_of_move,
    }


def _header(kind: str) -> dict[str, Any]:
    from .. import __version__

    return {
        "format": kind,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "min_votes": MIN_VOTES,
        "min_group": MIN_GROUP,
    }


def comparison_to_dict(comparison: Comparison, before_file: str = "", after_file: str = "") -> dict[str, Any]:
    document = _header(COMPARE_FORMAT)
    document["before"] = {
        "file": before_file,
        "title": comparison.before_title,
        "date": comparison.before_date,
    }
    document["after"] = {"file": after_file, "title": comparison.after_title, "date": comparison.after_date}
    document["follows"] = comparison.follows
    document["items"] = {
        name: _items(changes) for name, changes in zip(_ITEM_LISTS, comparison.items, strict=True)
    }
    document["matrix"] = {
        "whole": _line(comparison.whole),
        "criteria": [_line(line) for line in comparison.criteria],
        "stages": [_line(line) for line in comparison.stages],
        "boxes": [
            {
                "criterion_key": box.criterion_key,
                "stage_key": box.stage_key,
                "criterion": box.criterion,
                "stage": box.stage,
                "mean": _mean(box.mean),
                "gap": _gap(box.gap),
            }
            for box in comparison.cells
        ],
    }
    placement = comparison.placement
    document["placement"] = {
        "before": _placement(placement.before),
        "after": _placement(placement.after),
        "rungs": placement.rungs,
        "text": placement.text,
        "agreed_before": placement.agreed_before,
        "agreed_after": placement.agreed_after,
    }
    document["readiness"] = {
        "verdict_before": comparison.verdict_before.value,
        "verdict_after": comparison.verdict_after.value,
        "headline_before": comparison.headline_before,
        "headline_after": comparison.headline_after,
        "conditions": [
            {
                "key": change.key,
                "title": change.title,
                "before": _condition(change.before),
                "after": _condition(change.after),
                "mean": _mean(change.mean),
            }
            for change in comparison.readiness
        ],
    }
    document["cards"] = [_card(change) for change in comparison.cards]
    document["cards_added"] = list(comparison.cards_added)
    document["cards_removed"] = list(comparison.cards_removed)
    return document


def combined_to_dict(combined: Combined) -> dict[str, Any]:
    document = _header(COMBINED_FORMAT)
    document["groups"] = [
        {
            "name": group.name,
            "title": group.title,
            "date": group.date,
            "place": group.place,
            "people": group.people,
            "whole": group.whole,
            "placement": _placement(group.placement),
            "readiness_verdict": group.recommendation.verdict.value,
            "readiness_headline": group.recommendation.headline,
        }
        for group in combined.groups
    ]
    results = combined.results
    document["matrix"] = {
        "scale": list(results.scale),
        "criteria": [{"key": c.key, "title": c.title} for c in results.criteria],
        "stages": [{"key": s.key, "title": s.title} for s in results.stages],
        "boxes": [
            {
                "criterion_key": cell.criterion.key,
                "stage_key": cell.stage.key,
                "counts": list(cell.counts),
                "off_scale": cell.off_scale,
                "votes": cell.voters,
                "mean": cell.mean,
                "revealed": cell.revealed,
                "lived_experience": cell.split.lived_experience,
                "staff": cell.split.professional,
                "gap": cell.split.gap,
            }
            for cell in results.all_cells()
        ],
        "whole": combined.whole,
        "placement": _placement(combined.placement),
    }
    document["differences"] = [
        {
            "criterion_key": d.criterion_key,
            "stage_key": d.stage_key,
            "criterion": d.criterion,
            "stage": d.stage,
            "low_group": d.low_group,
            "low": d.low,
            "high_group": d.high_group,
            "high": d.high,
            "spread": d.spread,
            "groups": d.groups,
        }
        for d in combined.differences
    ]
    document["readiness"] = {
        "verdict": combined.recommendation.verdict.value,
        "headline": combined.recommendation.headline,
        "conditions": [
            {
                "key": row.key,
                "title": row.title,
                **(_condition(row.combined) or {}),
                "groups": [_condition(found) for found in row.groups],
            }
            for row in combined.readiness
        ],
    }
    document["notes"] = list(combined.notes)
    return document


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
