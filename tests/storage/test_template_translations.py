"""Every translation of a template has the same workshop as the original, item by item.

A translation is resources/templates/<language>/<name>.toml. It must have the same
steps, terms, criteria, stages, scenarios and readiness conditions, matched by their
stable `key` (by position where the original has no keys yet), with the same
identifiers (step kinds and terms, rungs, answers, timings) and the same matrix scale
size: only the words change. A failure names what is missing or different.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from coprod_desktop.report.pdf import ReportOptions, build_pdf
from coprod_desktop.storage.templates import load_builtin_template, template_languages

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"
COLLECTIONS = ("steps", "terms", "criteria", "stages", "scenarios", "readiness")
# Fields that are identifiers or numbers, not words: a translation keeps them as they are.
SAME = ("key", "kind", "term", "rung", "answer", "minutes", "hidden")
WORDS = ("title", "name", "body", "what", "text", "explanation", "description")

TRANSLATIONS = sorted(TEMPLATES.glob("*/*.toml"))


def read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def identify(items: list[dict[str, Any]], by_key: bool) -> dict[str, dict[str, Any]]:
    return {str(item["key"]) if by_key else f"#{index + 1}": item for index, item in enumerate(items)}


def keyed(*collections: list[dict[str, Any]]) -> bool:
    """Match by stable key when every item on both sides has one, else by position."""
    return all(item.get("key") for items in collections for item in items)


def differences(original: dict[str, Any], translation: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for collection in COLLECTIONS:
        by_key = keyed(original.get(collection, []), translation.get(collection, []))
        ours = identify(original.get(collection, []), by_key)
        theirs = identify(translation.get(collection, []), by_key)
        for key in ours.keys() - theirs.keys():
            found.append(f"{collection}: {key} is missing")
        for key in theirs.keys() - ours.keys():
            found.append(f"{collection}: {key} is not in the original")
        if list(ours) != [k for k in theirs if k in ours]:
            found.append(f"{collection}: the order differs")
        for key in ours.keys() & theirs.keys():
            for field in SAME:
                if field == "key" and not by_key:
                    continue  # the original has no keys yet
                if ours[key].get(field) != theirs[key].get(field):
                    found.append(
                        f"{collection}: {key}.{field} is {theirs[key].get(field)!r}, not {ours[key].get(field)!r}"
                    )
            for field in WORDS:
                if str(ours[key].get(field, "")).strip() and not str(theirs[key].get(field, "")).strip():
                    found.append(f"{collection}: {key}.{field} is not translated")
    ours_matrix, theirs_matrix = original.get("matrix", {}), translation.get("matrix", {})
    if len(ours_matrix.get("scale", [])) != len(theirs_matrix.get("scale", [])):
        found.append("matrix: the scale has a different number of points")
    if ours_matrix.get("mode") != theirs_matrix.get("mode"):
        found.append("matrix: the voting mode differs")
    return found


def test_there_is_a_welsh_default_template() -> None:
    assert (TEMPLATES / "cy" / "default.toml") in TRANSLATIONS
    assert template_languages() == ["en", "ar", "cy"]


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_translation_has_the_same_workshop_as_its_original(path: Path) -> None:
    original = TEMPLATES / path.name
    assert original.is_file(), f"{path.parent.name}/{path.name} translates a template that does not exist"
    translation = read(path)
    assert translation.get("language") == path.parent.name
    assert differences(read(original), translation) == []


def test_the_check_names_what_is_missing() -> None:
    original = read(TEMPLATES / "default.toml")
    broken = read(TEMPLATES / "cy" / "default.toml")
    by_key = keyed(original["scenarios"], broken["scenarios"])
    dropped = list(identify(broken["scenarios"], by_key))[-1]
    broken["scenarios"] = broken["scenarios"][:-1]
    broken["terms"][0]["rung"] = "coercion"
    broken["criteria"][0]["description"] = ""
    found = differences(original, broken)
    assert f"scenarios: {dropped} is missing" in found
    assert any(
        line.startswith("terms: ") and line.endswith(".rung is 'coercion', not 'co-production'")
        for line in found
    )
    assert any(
        line.startswith("criteria: ") and line.endswith(".description is not translated") for line in found
    )


def test_a_session_made_in_welsh_records_it_and_prints_in_welsh(tmp_path: Path) -> None:
    session = load_builtin_template(language="cy")
    assert session.info.language == "cy"
    assert session.info.title == "Cydgynhyrchu: ydyn ni'n ei wneud?"
    assert [step.kind for step in session.steps] == [step.kind for step in load_builtin_template().steps]
    out = tmp_path / "cy.pdf"
    build_pdf(session, out, ReportOptions(paper="a4"))
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Sut rydym ni'n gweithio nawr?" in text
    assert "How do we work now?" not in text
    assert load_builtin_template().info.language == ""  # an English session as before
    assert load_builtin_template(language="en-GB").info.language == "en-GB"
