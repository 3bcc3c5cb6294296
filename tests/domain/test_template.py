"""Workshop templates: the shipped default, and broken templates reported plainly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coprod_desktop.domain.errors import KnownError, TemplateError
from coprod_desktop.domain.ladder import LADDER, RUNG_BY_KEY, rung_index
from coprod_desktop.domain.model import DEFAULT_SCALE, StepKind, VotingMode
from coprod_desktop.domain.template import TEMPLATE_FORMAT, TEMPLATE_FORMAT_VERSION, parse_template
from coprod_desktop.storage.templates import builtin_template_names, load_builtin_template

# --- the shipped default ------------------------------------------------------------


@pytest.fixture(scope="module")
def default():
    return load_builtin_template()


def test_the_default_template_is_shipped() -> None:
    assert "default.toml" in builtin_template_names()


def test_the_default_template_has_fourteen_steps_in_order(default) -> None:
    steps = default.steps
    assert len(steps) == 14
    assert [s.position for s in steps] == list(range(14))
    assert steps[0].kind is StepKind.WELCOME
    assert all(step.title for step in steps)
    assert len({step.id for step in steps}) == 14


def test_every_definition_step_names_a_term_that_exists(default) -> None:
    keys = {term.key for term in default.terms}
    definitions = [s for s in default.steps if s.kind is StepKind.DEFINITION]
    assert definitions
    for step in definitions:
        assert step.term in keys, step.title


def test_every_scenario_answer_is_a_term(default) -> None:
    keys = {term.key for term in default.terms}
    assert len(default.scenarios) >= 6
    for scenario in default.scenarios:
        assert scenario.answer in keys, scenario.title
        assert scenario.title
        assert scenario.text


def test_the_default_template_fills_every_part_of_the_workshop(default) -> None:
    assert default.info.title
    assert default.info.template == default.info.title
    assert all(term.rung in RUNG_BY_KEY for term in default.terms if term.rung)
    assert default.criteria
    assert default.stages
    assert default.readiness_items
    assert 2 <= len(default.matrix.scale) <= 11
    assert default.current_step == default.visible_steps[0]
    assert default.progress.current_step_id == default.visible_steps[0].id
    # A fresh template holds no work yet.
    for kind in ("participant", "vote", "tally", "reveal", "card", "action", "note"):
        assert default.summary()[kind] == 0, kind


def test_each_load_of_a_template_is_a_fresh_session(default) -> None:
    again = load_builtin_template()
    assert [s.title for s in again.steps] == [s.title for s in default.steps]
    assert again is not default


def test_an_unknown_builtin_template_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="no built-in workshop template called nope.toml"):
        load_builtin_template("nope.toml")


# --- a small valid template, and broken versions of it ------------------------------

GOOD = """\
format = "coprod-template"
format_version = 1
name = "Tiny workshop"

[matrix]
mode = "named"
scale = ["low", "mid", "high"]

[[terms]]
key = "co-production"
name = "Co-production"
rung = "co-production"

[[terms]]
key = "consult"
name = "Consultation"

[[steps]]
kind = "welcome"
title = "Hello"
minutes = 5
hidden = true

[[steps]]
kind = "definition"
title = "The word"
term = "co-production"

[[criteria]]
title = "Who decides"

[[stages]]
title = "Plan"

[[scenarios]]
title = "Survey"
text = "They sent a survey."
answer = "consult"

[[readiness]]
title = "Money for time"
"""


def _write(tmp_path: Path, text: str) -> tuple[str, str]:
    path = tmp_path / "broken-template.toml"
    path.write_text(text, encoding="utf-8")
    return path.read_text(encoding="utf-8"), path.name


def test_a_small_valid_template_parses_into_a_session() -> None:
    session = parse_template(GOOD, "tiny.toml")
    assert session.info.title == "Tiny workshop"
    assert session.matrix.mode is VotingMode.NAMED
    assert session.matrix.scale == ("low", "mid", "high")
    assert [t.key for t in session.terms] == ["co-production", "consult"]
    first, second = session.steps
    assert (first.kind, first.minutes, first.hidden) == (StepKind.WELCOME, 5, True)
    assert second.term == "co-production"
    # The first step is hidden, so the workshop starts on the second.
    assert session.current_step == second
    assert session.scenarios[0].answer == "consult"
    assert [c.title for c in session.criteria] == ["Who decides"]
    assert [s.title for s in session.stages] == ["Plan"]
    assert [r.title for r in session.readiness_items] == ["Money for time"]


def test_a_template_without_a_matrix_table_uses_the_default_scale() -> None:
    text = GOOD.replace('[matrix]\nmode = "named"\nscale = ["low", "mid", "high"]\n', "")
    session = parse_template(text, "tiny.toml")
    assert session.matrix.scale == DEFAULT_SCALE
    assert session.matrix.mode is VotingMode.SHOW_OF_HANDS


BROKEN = [
    pytest.param("format = [unclosed\n" + GOOD, "not valid TOML", id="bad-toml"),
    pytest.param(
        GOOD.replace('format = "coprod-template"', 'format = "something-else"'),
        f'format = "{TEMPLATE_FORMAT}"',
        id="wrong-format",
    ),
    pytest.param(
        GOOD.replace("format_version = 1", 'format_version = "one"'),
        "'format_version' should be a whole number",
        id="format-version-text",
    ),
    pytest.param(
        GOOD.replace("format_version = 1", f"format_version = {TEMPLATE_FORMAT_VERSION + 1}"),
        "newer version of coprod-desktop",
        id="newer-format-version",
    ),
    pytest.param(GOOD.replace('name = "Tiny workshop"\n', ""), "'name' is missing or empty", id="no-name"),
    pytest.param(
        GOOD.replace('kind = "welcome"', 'kind = "karaoke"'),
        "steps number 1: 'kind' should be one of welcome, definition",
        id="unknown-step-kind",
    ),
    pytest.param(
        GOOD.replace('title = "Hello"\n', ""),
        "steps number 1: 'title' is missing or empty",
        id="step-without-title",
    ),
    pytest.param(
        GOOD.replace('title = "Hello"', 'title = "   "'),
        "steps number 1: 'title' is missing or empty",
        id="step-with-blank-title",
    ),
    pytest.param(
        GOOD.replace('answer = "consult"', 'answer = "magic"'),
        "scenarios number 1: 'answer' is 'magic', which is not one of the [[terms]] keys",
        id="scenario-answer-not-a-term",
    ),
    pytest.param(
        GOOD.replace("minutes = 5", 'minutes = "five"'),
        "steps number 1: 'minutes' should be a whole number from 0 to 600",
        id="minutes-text",
    ),
    pytest.param(
        GOOD.replace("minutes = 5", "minutes = 5.5"), "'minutes' should be a whole number", id="minutes-float"
    ),
    pytest.param(
        GOOD.replace("minutes = 5", "minutes = true"), "'minutes' should be a whole number", id="minutes-bool"
    ),
    pytest.param(
        GOOD.replace("minutes = 5", "minutes = 601"),
        "'minutes' should be a whole number from 0 to 600",
        id="minutes-too-many",
    ),
    pytest.param(
        GOOD.replace('scale = ["low", "mid", "high"]', 'scale = ["only"]'),
        "[matrix]: 'scale' should be a list of 2 to 11 labels",
        id="scale-too-short",
    ),
    pytest.param(
        GOOD.replace('scale = ["low", "mid", "high"]', f"scale = {[str(i) for i in range(12)]}"),
        "'scale' should be a list of 2 to 11 labels",
        id="scale-too-long",
    ),
    pytest.param(
        GOOD.replace('scale = ["low", "mid", "high"]', 'scale = ["low", ""]'),
        "'scale' should be a list of 2 to 11 labels",
        id="scale-blank-label",
    ),
    pytest.param(
        GOOD.replace('mode = "named"', 'mode = "shouting"'),
        "[matrix]: 'mode' should be one of show_of_hands",
        id="unknown-mode",
    ),
    pytest.param(
        GOOD.replace('term = "co-production"', 'term = "nothing"'),
        "steps number 2: a definition step needs a 'term'",
        id="definition-term-unknown",
    ),
    pytest.param(
        GOOD.replace('key = "consult"', 'key = "co-production"'),
        "terms number 2: the key 'co-production' is used twice",
        id="duplicate-term",
    ),
    pytest.param(
        GOOD.replace('rung = "co-production"', 'rung = "penthouse"'),
        "terms number 1: 'rung' should be one of coercion",
        id="unknown-rung",
    ),
    pytest.param(
        GOOD.replace("hidden = true", 'hidden = "yes"'),
        "steps number 1: 'hidden' should be true or false",
        id="hidden-text",
    ),
    pytest.param(
        GOOD.replace('title = "Hello"', "title = 42"),
        "steps number 1: 'title' should be text in quotes",
        id="title-number",
    ),
    pytest.param(
        GOOD.replace('name = "Tiny workshop"', f'name = "{"x" * 201}"'),
        "'name' is longer than 200 characters",
        id="name-too-long",
    ),
    pytest.param(
        GOOD.split("[[steps]]")[0] + "[[criteria]]\ntitle = 'x'\n", "it has no [[steps]]", id="no-steps"
    ),
    pytest.param(
        GOOD.replace("[matrix]", "matrix = 3\n[ignored]"),
        "[matrix] should be a table",
        id="matrix-not-a-table",
    ),
    pytest.param(
        'format = "coprod-template"\nformat_version = 1\nname = "x"\nsteps = "all of them"\n',
        "'steps' should be a list of [[steps]] tables",
        id="steps-not-tables",
    ),
]


@pytest.mark.parametrize(("text", "problem"), BROKEN)
def test_a_broken_template_names_its_file_and_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    text, source = _write(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source)
    message = str(caught.value)
    assert source in message
    assert problem in message
    assert isinstance(caught.value, KnownError)
    assert "\n" not in message.strip()
    assert message.rstrip().endswith((".", ")"))


# --- the ladder the terms sit on ----------------------------------------------------


def test_the_ladder_runs_from_coercion_to_co_production() -> None:
    assert LADDER[0].key == "coercion"
    assert LADDER[-1].key == "co-production"
    assert [rung_index(r.key) for r in LADDER] == list(range(len(LADDER)))
    assert rung_index("not-a-rung") == -1
    assert all(rung.name and rung.summary for rung in LADDER)


# --- the documentation stays true ---------------------------------------------------

TEMPLATE_DOC = Path(__file__).resolve().parents[2] / "docs" / "template-format.md"


def test_the_documented_example_template_is_valid() -> None:
    text = TEMPLATE_DOC.read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    session = parse_template(example, "template-format.md")
    assert session.info.title == "Short co-production check"
    assert [s.kind for s in session.steps] == [
        StepKind.WELCOME,
        StepKind.DEFINITION,
        StepKind.SCENARIOS,
        StepKind.MATRIX,
    ]
    assert session.scenarios[0].answer == "consultation"


def test_the_template_documentation_lists_every_step_kind_mode_and_rung() -> None:
    text = TEMPLATE_DOC.read_text(encoding="utf-8")
    for value in [k.value for k in StepKind] + [m.value for m in VotingMode] + [r.key for r in LADDER]:
        assert f"`{value}`" in text, value
    assert json.dumps(list(DEFAULT_SCALE), ensure_ascii=False) in text
