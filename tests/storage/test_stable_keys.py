"""Stable keys: a version-1 file upgrades to version 2 with keys, and keys survive JSON.

The version-1 file is built here as version 1 of the app wrote it (the version-1 tables,
kept frozen in `storage.schema._VERSION_1`, sqlite-utils' record of `0001_initial`,
application id, user_version 1), not through today's code, so the test fails if migration
0002 ever stops upgrading real files.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from coprod_desktop.domain.matrix import add_criterion
from coprod_desktop.domain.model import (
    ActionReview,
    ActionStatus,
    Criterion,
    ReadinessItem,
    Scenario,
    Session,
    Stage,
    Step,
    StepKind,
    Vote,
    replace,
)
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.domain.template import parse_template, template_text
from coprod_desktop.storage.interchange import (
    session_from_dict,
    session_from_json,
    session_to_dict,
    session_to_json,
)
from coprod_desktop.storage.schema import _VERSION_1, SCHEMA_VERSION
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template

# sqlite-utils' record of migration 0001 and the rows of a real version-1 session.
VERSION_1_ROWS = """
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY, "migration_set" TEXT, "name" TEXT, "applied_at" TEXT
);
INSERT INTO _sqlite_migrations VALUES (1, 'coprod-desktop', '0001_initial', '2026-10-01 09:00:00.000000+00:00');
INSERT INTO info VALUES (1, 'Library: who decides?', '2026-10-01', 'Hall', 'Sam', '', 'Co-production: are we doing it?');
INSERT INTO progress VALUES (1, 's-matrix');
INSERT INTO matrix VALUES (1, 'named', '["a", "b", "c", "d", "e"]', '', '');
INSERT INTO canvas VALUES (1, 'plan_deliver', 0);
INSERT INTO participant VALUES ('p1', 'Ada', 'uses_services', 0);
INSERT INTO step VALUES ('s-welcome', 'welcome', 'Welcome', '', '', 10, 0, '', 0);
INSERT INTO step VALUES ('s-matrix', 'matrix', 'How do we work now?', '', '', 30, 0, '', 1);
INSERT INTO step VALUES ('s-text', 'text', 'Welcome', '', '', 5, 0, '', 2);
INSERT INTO step VALUES ('s-own', 'text', 'Tea & cake!', '', '', 5, 0, '', 3);
INSERT INTO criterion VALUES ('c-resp', 'Shared responsibility', '', 0);
INSERT INTO criterion VALUES ('c-money', 'Money for our time!', '', 1);
INSERT INTO criterion VALUES ('c-money2', 'Money for our time', '', 2);
INSERT INTO criterion VALUES ('c-blank', '???', '', 3);
INSERT INTO stage VALUES ('g-plan', 'Plan and commission', '', 0);
INSERT INTO stage VALUES ('g-own', 'Évaluer ensemble', '', 1);
INSERT INTO scenario VALUES ('x-cafe', 'The carers'' Tuesday café', 'text', 'user-created', '', 0);
INSERT INTO readiness_item VALUES ('r-time', 'Time', '', 0);
INSERT INTO readiness_item VALUES ('r-own', 'Time', '', 1);
INSERT INTO vote VALUES ('cell/c-resp/g-plan', 'p1', '3');
INSERT INTO action VALUES ('a1', 'Pay members', 'Jo', '2027-01-01', '', 0, 0);
"""


def make_version_1_file(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(_VERSION_1)
    conn.executescript(VERSION_1_ROWS)
    conn.execute("PRAGMA application_id = 1131368562")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return path


def _keys(
    items: list[Step] | list[Criterion] | list[Stage] | list[Scenario] | list[ReadinessItem],
) -> dict[str, str]:
    return {item.id: item.key for item in items}


EXPECTED_STEPS = {"s-welcome": "welcome", "s-matrix": "matrix", "s-text": "welcome-2", "s-own": "tea-cake"}
EXPECTED_CRITERIA = {
    "c-resp": "shared-responsibility",
    "c-money": "money-for-our-time",
    "c-money2": "money-for-our-time-2",
    "c-blank": "item",
}


def test_a_version_1_file_upgrades_with_template_keys_and_title_keys(tmp_path: Path) -> None:
    path = make_version_1_file(tmp_path / "old.coprod")
    with SessionFile.open(path) as opened:
        assert opened.version() == SCHEMA_VERSION
        session = opened.load()
    # The default template's titles get its keys; a text step titled "Welcome" is not the
    # welcome step (kinds differ), so it gets a title key, numbered as that key is taken.
    assert _keys(session.steps) == EXPECTED_STEPS
    assert _keys(session.criteria) == EXPECTED_CRITERIA
    assert _keys(session.stages) == {"g-plan": "plan-commission", "g-own": "évaluer-ensemble"}
    assert _keys(session.scenarios) == {"x-cafe": "carers-cafe"}
    assert _keys(session.readiness_items) == {"r-time": "time", "r-own": "time-2"}
    assert len(session.info.session_key) == 12
    assert session.info.follows == ""
    assert session.action_reviews == []
    # Everything else is as it was.
    assert session.info.title == "Library: who decides?"
    assert session.votes == [Vote("cell/c-resp/g-plan", "p1", "3")]
    assert [a.what for a in session.actions] == ["Pay members"]
    conn = sqlite3.connect(path)
    applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    conn.close()
    # Every migration, in order, once (the list grows with the file version).
    assert applied[:4] == ["0001_initial", "0002_stable_keys", "0003_secret_ballots", "0004_language"]
    assert len(applied) == SCHEMA_VERSION


def test_an_upgraded_file_keeps_its_keys_and_session_key_on_reopening(tmp_path: Path) -> None:
    path = make_version_1_file(tmp_path / "old.coprod")
    with SessionFile.open(path) as opened:
        first = opened.load()
    with SessionFile.open(path) as opened:
        again = opened.load()
    assert again == first
    assert again.info.session_key == first.info.session_key


def test_a_version_1_file_opened_read_only_is_upgraded_in_memory_only(tmp_path: Path) -> None:
    path = make_version_1_file(tmp_path / "old.coprod")
    before = path.read_bytes()
    with SessionFile.open(path, read_only=True) as opened:
        session = opened.load()
    assert _keys(session.criteria) == EXPECTED_CRITERIA
    assert path.read_bytes() == before


def test_new_files_store_keys_session_key_and_action_reviews(tmp_path: Path) -> None:
    session = load_builtin_template()
    session.put(ActionReview(id="a1", what="Pay members", status=ActionStatus.DONE, note="From March"))
    path = tmp_path / "new.coprod"
    SessionFile.create(path, session).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert opened.version() == SCHEMA_VERSION
        loaded = opened.load()
    assert loaded == session
    assert [c.key for c in loaded.criteria] == [c.key for c in session.criteria]
    assert loaded.action_reviews[0].status is ActionStatus.DONE


# --- the default template's keys ------------------------------------------------------


def test_the_default_template_gives_every_item_an_explicit_unique_key() -> None:
    one, two = load_builtin_template(), load_builtin_template()
    for items in (one.steps, one.criteria, one.stages, one.scenarios, one.readiness_items):
        keys = [item.key for item in items]
        assert all(keys), keys
        assert len(set(keys)) == len(keys)
    # Two sessions of the template: new ids, the same keys, different session keys.
    assert [c.key for c in one.criteria] == [c.key for c in two.criteria]
    assert [c.id for c in one.criteria] != [c.id for c in two.criteria]
    assert one.info.session_key
    assert one.info.session_key != two.info.session_key
    assert [s.key for s in one.stages] == ["plan-commission", "design", "deliver", "assess"]


def test_the_migration_knows_the_default_template_keys_by_title(tmp_path: Path) -> None:
    """Every default-template title maps to the key the template gives it today, so a
    version-1 session of the default template lines up with new sessions."""
    from coprod_desktop.storage.schema import version_1_keys

    template = load_builtin_template()
    assert version_1_keys("step", [(s.title, s.kind.value) for s in template.steps]) == [
        s.key for s in template.steps
    ]
    for table, items in (
        ("criterion", template.criteria),
        ("stage", template.stages),
        ("scenario", template.scenarios),
        ("readiness_item", template.readiness_items),
    ):
        assert version_1_keys(table, [(i.title, "") for i in items]) == [i.key for i in items], table


def test_a_template_without_keys_gets_keys_from_titles_and_refuses_repeats() -> None:
    text = """
format = "coprod-template"
format_version = 1
name = "Home-made"
[[steps]]
kind = "matrix"
title = "Rate us"
[[criteria]]
title = "Who pays?"
[[criteria]]
title = "Who pays"
[[stages]]
key = "plan"
title = "Plan"
"""
    session = parse_template(text, "home.toml")
    assert [c.key for c in session.criteria] == ["who-pays", "who-pays-2"]
    assert [s.key for s in session.steps] == ["rate-us"]
    assert [s.key for s in session.stages] == ["plan"]
    repeated = text + '[[stages]]\nkey = "plan"\ntitle = "Plan again"\n'
    with pytest.raises(Exception, match="stages number 2: the key 'plan' is used twice"):
        parse_template(repeated, "home.toml")


def test_a_template_saved_from_a_session_keeps_keys_and_keys_added_items() -> None:
    session = load_builtin_template()
    session.put(Criterion(id="new", title="Fair pay", position=99))  # no key: made from its title
    again = parse_template(template_text(session, "Mine"), "mine.toml")
    assert [c.key for c in again.criteria] == [c.key for c in session.criteria[:-1]] + ["fair-pay"]
    assert [s.key for s in again.steps] == [s.key for s in session.steps]


def test_items_the_facilitator_adds_get_fresh_keys() -> None:
    session = load_builtin_template()
    [(_, first)] = add_criterion(session, "Fair pay")
    [(_, second)] = add_criterion(session, "Fair pay")
    assert isinstance(first, Criterion)
    assert isinstance(second, Criterion)
    assert first.key
    assert first.key != second.key
    assert first.key not in {c.key for c in session.criteria}


# --- JSON -----------------------------------------------------------------------------


def test_keys_and_session_links_round_trip_through_json(tmp_path: Path) -> None:
    session = build_sample(load_builtin_template())
    session.put(replace(session.info, follows="0123456789ab"))
    session.put(
        ActionReview(id="a00", what="Invite two members", status=ActionStatus.NOT_YET, note="Next month")
    )
    text = session_to_json(session)
    document = json.loads(text)
    assert document["session_key"] == session.info.session_key
    assert document["follows"] == "0123456789ab"
    assert [c["key"] for c in document["criteria"]] == [c.key for c in session.criteria]
    assert document["action_reviews"][0]["status"] == "not_yet"
    back = session_from_json(text)
    assert back == session
    path = tmp_path / "via-json.coprod"
    SessionFile.create(path, back).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert session_to_json(opened.load()) == text


def test_an_export_made_before_keys_gets_the_keys_an_upgraded_file_gets(tmp_path: Path) -> None:
    path = make_version_1_file(tmp_path / "old.coprod")
    with SessionFile.open(path, read_only=True) as opened:
        upgraded = opened.load()
    document = session_to_dict(upgraded)
    for name in ("steps", "criteria", "stages", "scenarios", "readiness_items"):
        for item in document[name]:
            del item["key"]
    imported = session_from_dict(document)
    assert _keys(imported.steps) == EXPECTED_STEPS
    assert _keys(imported.criteria) == EXPECTED_CRITERIA
    assert _keys(imported.readiness_items) == {"r-time": "time", "r-own": "time-2"}


def test_an_empty_key_in_json_stays_empty() -> None:
    """`""` is a value (no key), not a missing key: importing must give back what was exported."""
    session = Session()
    session.put(Step(id="s", kind=StepKind.TEXT, title="Tea"))
    assert session_from_json(session_to_json(session)) == session
