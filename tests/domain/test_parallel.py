"""The workshop's words in a second language: paired by stable key, only where unedited."""

from __future__ import annotations

from coprod_desktop.domain.model import Criterion, Scenario, Step, Term, replace
from coprod_desktop.domain.parallel import second_text
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template, second_text_for


def test_every_unedited_item_of_the_default_workshop_has_its_welsh() -> None:
    session = load_builtin_template()
    welsh = load_builtin_template(language="cy")
    found = second_text_for(session, "cy")
    assert found is not None
    assert found.language == "cy"
    for cls, names in ((Step, ("title",)), (Term, ("name", "what")), (Criterion, ("title",))):
        ours = {item.key: item for item in welsh.items(cls)}
        for item in session.items(cls):
            for name in names:
                assert found.of(item, name) == getattr(ours[item.key], name), (cls.KIND, item.key, name)
    # And back: a Welsh session shows its English.
    back = second_text_for(welsh, "en-GB")
    assert back is not None
    assert back.of(welsh.steps[1], "title") == session.steps[1].title


def test_an_edited_field_gets_no_second_text_but_its_other_fields_keep_theirs() -> None:
    session = load_builtin_template()
    original = load_builtin_template()
    welsh = load_builtin_template(language="cy")
    scenario = session.scenarios[0]
    session.put(replace(scenario, text="A story the facilitator wrote on the day."))
    step = session.steps[1]
    session.put(replace(step, title="What do we mean by it?"))
    found = second_text(session, original, welsh, "cy")
    ours = {item.key: item for item in welsh.scenarios}
    assert found.of(session.get(Scenario, scenario.id), "text") == ""
    assert found.of(session.get(Scenario, scenario.id), "title") == ours[scenario.key].title
    assert found.of(session.get(Step, step.id), "title") == ""
    assert found.of(session.get(Step, step.id), "body") != ""


def test_no_second_text_in_the_same_language_or_without_a_matching_template() -> None:
    session = load_builtin_template()
    assert second_text_for(session, "en") is None
    session.put(replace(session.info, template="A workshop of our own"))
    assert second_text_for(session, "cy") is None


def test_a_step_added_on_the_day_has_no_pair() -> None:
    session = build_sample(load_builtin_template())
    session.put(Step(id="extra", kind=session.steps[0].kind, title="Tea", key="tea-break", position=99))
    found = second_text_for(session, "cy")
    assert found is not None
    assert found.of(session.get(Step, "extra"), "title") == ""
    assert len(found) > 50
