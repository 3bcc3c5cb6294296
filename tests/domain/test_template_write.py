"""A session saved as a template reads back with the same content."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod_desktop.domain.model import Participant, Step, StepKind, replace
from coprod_desktop.domain.template import parse_template, template_text
from coprod_desktop.storage.templates import load_builtin_template

# TOML keeps any Unicode text; parse_template trims the ends (as for hand-written files), and a
# template keeps one kind of line ending, "\n".
words = (
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=80)
    .map(lambda text: text.replace("\r\n", "\n").replace("\r", "\n").strip())
    .filter(bool)
)


def content(session):  # type: ignore[no-untyped-def]
    return (
        [(s.kind, s.title, s.body, s.notes, s.minutes, s.hidden, s.term) for s in session.steps],
        session.terms,
        [(c.title, c.description) for c in session.criteria],
        [(s.title, s.description) for s in session.stages],
        [(s.title, s.text, s.answer, s.explanation) for s in session.scenarios],
        [(r.title, r.description) for r in session.readiness_items],
        session.matrix.scale,
    )


def test_the_default_template_round_trips() -> None:
    session = load_builtin_template()
    session.put(Participant(id="p", name="Not kept"))
    again = parse_template(template_text(session, "Again"), "again.toml")
    assert content(again) == content(session)
    assert again.count(Participant) == 0
    assert again.info.title == "Again"


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(title=words, body=words, notes=words, minutes=st.integers(0, 600), hidden=st.booleans())
def test_any_text_in_a_step_round_trips(
    title: str, body: str, notes: str, minutes: int, hidden: bool
) -> None:
    session = load_builtin_template()
    first = session.steps[0]
    session.put(replace(first, title=title, body=body, notes=notes, minutes=minutes, hidden=hidden))
    session.put(Step(id="extra", kind=StepKind.TEXT, title=title, position=99))
    again = parse_template(template_text(session, title), "t.toml")
    assert content(again) == content(session)
