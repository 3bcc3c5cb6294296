"""The JSON interchange: layout, round trips over any text, and plain errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod_desktop import __version__
from coprod_desktop.domain.errors import InterchangeError, KnownError
from coprod_desktop.domain.model import (
    COLLECTIONS,
    SCHEMA_ENTITIES,
    CanvasBackground,
    Card,
    CardKind,
    Note,
    Participant,
    RoleGroup,
    Session,
    StepKind,
    VotingMode,
    WorkshopInfo,
)
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.interchange import (
    FORMAT_VERSION,
    LISTS,
    OBJECTS,
    session_from_dict,
    session_from_json,
    session_to_dict,
    session_to_json,
)
from coprod_desktop.storage.schema import APPLICATION_ID, SCHEMA_VERSION
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from tests.domain.strategies import sessions

TOP_LEVEL = {
    "format",
    "format_version",
    "app_version",
    "title",
    "date",
    "place",
    "facilitator",
    "purpose",
    "language",  # added with the workshop language (file version 4)
    "template",
    "session_key",
    "follows",
    "progress",
    "matrix",
    "canvas",
    "participants",
    "steps",
    "terms",
    "criteria",
    "stages",
    "scenarios",
    "readiness_items",
    "votes",
    "tallies",
    "ballots_cast",
    "ballot_counts",
    "reveals",
    "cards",
    "actions",
    "notes",
    "action_reviews",
}


@pytest.fixture(scope="module")
def sample() -> Session:
    return build_sample(load_builtin_template())


@pytest.fixture(scope="module")
def sample_json(sample: Session) -> str:
    return session_to_json(sample)


# --- layout -------------------------------------------------------------------------


def test_the_top_level_has_the_promised_keys(sample_json: str) -> None:
    document = json.loads(sample_json)
    assert document["format"] == "coprod-session"
    assert isinstance(document["format_version"], int)
    assert not isinstance(document["format_version"], bool)
    assert document["format_version"] == FORMAT_VERSION == 2
    assert isinstance(document["title"], str)
    assert document["title"]
    assert document["app_version"] == __version__
    people = document["participants"]
    assert isinstance(people, list)
    assert len(people) == 12
    for person in people:
        assert isinstance(person, dict)
        assert isinstance(person["name"], str)
        assert person["name"]
        assert person["role"] in {role.value for role in RoleGroup}


def test_the_key_set_is_stable(sample_json: str) -> None:
    """Keys are only ever added: renaming one would break every export already made."""
    document = json.loads(sample_json)
    assert set(document) == TOP_LEVEL
    assert {key for key, _ in LISTS} | {key for key, _ in OBJECTS} <= TOP_LEVEL
    for key, cls in LISTS:
        for item in document[key]:
            assert list(item) == list(cls.field_names()), key
    for key, cls in OBJECTS:
        assert list(document[key]) == list(cls.field_names()), key


def test_the_export_is_readable_utf8_text_with_one_key_per_line(sample: Session, sample_json: str) -> None:
    assert "Νίκος Παπαδόπουλος" in sample_json  # not \\u escapes
    assert sample_json.endswith("}\n")
    assert '\n  "participants": [\n' in sample_json


def test_enums_booleans_lists_and_missing_positions_are_written_plainly() -> None:
    session = Session()
    session.put(Card(id="c", kind=CardKind.DECISION, text="Budget", role=None, now_x=1.5))
    document = session_to_dict(session)
    card = document["cards"][0]
    assert card["kind"] == "decision"
    assert card["role"] is None
    assert card["now_x"] == 1.5
    assert card["now_y"] is None
    assert document["matrix"]["mode"] == "show_of_hands"
    assert isinstance(document["matrix"]["scale"], list)
    assert document["canvas"]["snap"] is False


def test_lists_are_in_display_order() -> None:
    session = Session()
    for ident, position in (("b", 2), ("a", 1), ("c", 0)):
        session.put(Participant(id=ident, name=ident, position=position))
    assert [p["id"] for p in session_to_dict(session)["participants"]] == ["c", "a", "b"]


# --- round trips --------------------------------------------------------------------


def test_importing_the_sample_export_gives_the_same_session(sample: Session, sample_json: str) -> None:
    assert session_from_json(sample_json) == sample
    assert session_from_dict(json.loads(sample_json)) == sample


def test_json_to_file_to_json_is_identical_text(tmp_path: Path, sample_json: str) -> None:
    imported = session_from_json(sample_json)
    path = tmp_path / "through-the-file.coprod"
    with SessionFile.create(path, imported) as written:
        assert written.load() == imported
    with SessionFile.open(path, read_only=True) as opened:
        again = session_to_json(opened.load())
    assert again == session_to_json(imported)
    assert json.loads(again) == json.loads(sample_json)


def test_the_sample_exports_the_same_text_before_and_after_saving(
    tmp_path: Path, sample: Session, sample_json: str
) -> None:
    path = tmp_path / "sample.coprod"
    SessionFile.create(path, sample).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert session_to_json(opened.load()) == sample_json


def test_a_card_at_minus_zero_exports_the_same_text_before_and_after_saving(tmp_path: Path) -> None:
    session = Session()
    session.put(Card(id="c", kind=CardKind.DECISION, text="t", now_x=-0.0))
    path = tmp_path / "zero.coprod"
    SessionFile.create(path, session).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert session_to_json(opened.load()) == session_to_json(session)


# Any Unicode text hypothesis can make (it leaves out lone surrogates, which are not text).
ANY_TEXT = st.text(max_size=40)


@settings(max_examples=60, deadline=None)
@given(sessions(text=ANY_TEXT))
def test_any_session_survives_export_and_import(session: Session) -> None:
    text = session_to_json(session)
    again = session_from_json(text)
    assert again == session
    assert session_to_json(again) == text
    # The export is strict JSON (no NaN or Infinity) that any parser reads.
    json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard constant {name}"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(max_per_kind=2, text=ANY_TEXT))
def test_any_export_survives_a_session_file_as_identical_text(
    tmp_path_factory: pytest.TempPathFactory, session: Session
) -> None:
    text = session_to_json(session)
    path = tmp_path_factory.mktemp("json") / "via.coprod"
    SessionFile.create(path, session_from_json(text)).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert session_to_json(opened.load()) == text


def test_a_document_with_only_the_required_keys_gives_a_default_session() -> None:
    session = session_from_json(
        '{"format": "coprod-session", "format_version": 1, "title": "Bare",'
        ' "participants": [{"id": "p", "name": "Ada", "role": "carer"}]}'
    )
    assert session.info == WorkshopInfo(title="Bare")
    assert session.participants == [Participant(id="p", name="Ada", role=RoleGroup.CARER)]
    assert all(session.count(cls) == 0 for cls in COLLECTIONS if cls is not Participant)


def test_keys_this_version_does_not_know_are_ignored() -> None:
    """A later minor version may add keys; an older reader still imports the rest."""
    document = json.loads(session_to_json(_small()))
    document["from_the_future"] = {"anything": [1, 2]}
    document["participants"][0]["pronouns"] = "she/her"
    assert session_from_dict(document) == _small()


def test_every_entity_kind_has_a_place_in_the_document() -> None:
    placed = {cls for _, cls in LISTS} | {cls for _, cls in OBJECTS} | {WorkshopInfo}
    assert placed == set(SCHEMA_ENTITIES)


# --- errors -------------------------------------------------------------------------


def _document(**changes: object) -> str:
    document = json.loads(session_to_json(_small()))
    document.update(changes)
    return json.dumps(document)


def _small() -> Session:
    session = Session()
    session.put(Participant(id="p1", name="Ada", role=RoleGroup.CARER))
    session.put(Note(id="n1", text="hello"))
    return session


BAD = [
    pytest.param("this is { not json", "is not valid JSON", id="not-json"),
    pytest.param("", "is not valid JSON", id="empty"),
    pytest.param("[1, 2, 3]", 'lacks "format": "coprod-session"', id="json-list"),
    pytest.param('"coprod-session"', 'lacks "format": "coprod-session"', id="json-string"),
    pytest.param(_document(format="something-else"), 'lacks "format": "coprod-session"', id="wrong-format"),
    pytest.param(
        _document(format_version=FORMAT_VERSION + 1), "exported by a newer version", id="newer-version"
    ),
    pytest.param(_document(format_version="1"), 'no whole-number "format_version"', id="version-is-text"),
    pytest.param(_document(format_version=True), 'no whole-number "format_version"', id="version-is-bool"),
    pytest.param(
        _document(participants=[{"id": "p1", "name": "Ada", "role": "king"}]),
        "in \"participants\" item 1, 'role' has an unexpected value 'king'",
        id="role-king",
    ),
    pytest.param(
        _document(participants=[{"id": "p1", "role": "carer"}]),
        "in \"participants\" item 1, 'name' is missing",
        id="name-missing",
    ),
    pytest.param(
        _document(participants=[{"id": "p1", "name": 7}]),
        "'name' has an unexpected value 7",
        id="name-is-a-number",
    ),
    pytest.param(
        _document(participants=[{"id": "p1", "name": "A", "position": "first"}]),
        "'position' has an unexpected value 'first'",
        id="position-is-text",
    ),
    pytest.param(
        _document(participants=[{"id": "p1", "name": "A", "position": True}]),
        "'position' has an unexpected value True",
        id="position-is-bool",
    ),
    pytest.param(
        _document(participants=[{"id": "p1", "name": "Ada"}, {"id": "p1", "name": "Bob"}]),
        "in \"participants\" item 2, it repeats the identity ('p1',)",
        id="duplicate-ids",
    ),
    pytest.param(
        _document(votes=[{"question": "q", "participant_id": "p", "choice": "1"}] * 2),
        'in "votes" item 2, it repeats the identity',
        id="duplicate-votes",
    ),
    pytest.param(
        _document(participants={"p1": {"name": "Ada"}}),
        '"participants" should be a list',
        id="participants-not-a-list",
    ),
    pytest.param(
        _document(participants=["Ada"]),
        'in "participants" item 1, it should be an object',
        id="participant-not-an-object",
    ),
    pytest.param(_document(matrix=[]), 'in "matrix", it should be an object', id="matrix-not-an-object"),
    pytest.param(
        _document(matrix={"scale": "low to high"}), "'scale' has an unexpected value", id="scale-not-a-list"
    ),
    pytest.param(_document(canvas={"snap": 1}), "'snap' has an unexpected value 1", id="snap-is-a-number"),
    pytest.param(
        _document(title=["a", "list"]),
        "in the workshop details, 'title' has an unexpected value",
        id="title-not-text",
    ),
    pytest.param(
        _document(cards=[{"id": "c", "kind": "decision", "text": "t", "now_x": "left"}]),
        "'now_x' has an unexpected value 'left'",
        id="position-not-a-number",
    ),
]


@pytest.mark.parametrize(("text", "problem"), BAD)
def test_a_bad_document_is_refused_with_a_plain_sentence(text: str, problem: str) -> None:
    with pytest.raises(InterchangeError) as caught:
        session_from_json(text, "export.json")
    message = str(caught.value)
    assert problem in message
    assert message.startswith("export.json ")
    assert message.endswith(".")
    assert "\n" not in message
    assert "Traceback" not in message
    assert isinstance(caught.value, KnownError)


def test_the_default_source_name_reads_as_a_sentence() -> None:
    with pytest.raises(InterchangeError, match=r"^the file is not valid JSON"):
        session_from_json("{")


# Values that a JSON parser accepts but a session file cannot hold, or not faithfully.
UNSAVEABLE = [
    pytest.param(
        _document(notes=[{"id": "n", "text": "\\ud800"}]).replace("\\\\ud800", "\\ud800"), id="lone-surrogate"
    ),
    pytest.param(_document(notes=[{"id": "n", "text": "t", "position": 2**63}]), id="int-beyond-64-bits"),
    pytest.param(
        _document(cards=[{"id": "c", "kind": "decision", "text": "t", "now_x": 10**400}]),
        id="int-beyond-float",
    ),
    pytest.param(
        _document(cards=[{"id": "c", "kind": "decision", "text": "t"}]).replace(
            '"text": "t"', '"text": "t", "now_x": NaN'
        ),
        id="nan",
    ),
    pytest.param(
        _document(cards=[{"id": "c", "kind": "decision", "text": "t"}]).replace(
            '"text": "t"', '"text": "t", "now_x": Infinity'
        ),
        id="infinity",
    ),
    pytest.param(
        _document(cards=[{"id": "c", "kind": "decision", "text": "t"}]).replace(
            '"text": "t"', '"text": "t", "now_x": 1e400'
        ),
        id="float-overflow",
    ),
]


@pytest.mark.parametrize("text", UNSAVEABLE)
def test_values_a_session_file_cannot_hold_are_refused_on_import(text: str) -> None:
    with pytest.raises(InterchangeError):
        session_from_json(text, "export.json")


def test_the_unsaveable_documents_are_otherwise_valid() -> None:
    """Each document differs from a good one only in the odd value."""
    for param in UNSAVEABLE:
        text = param.values[0]
        assert isinstance(text, str)
        for odd in ('"\\ud800"', str(2**63), str(10**400), "NaN", "Infinity", "1e400"):
            if odd in text:
                good = text.replace(odd, '"fine"' if odd.startswith('"') else "1")
                session_from_json(good, "export.json")
                break
        else:
            pytest.fail(f"no odd value in {param.id}")


# --- the documentation stays true ---------------------------------------------------

SESSION_DOC = Path(__file__).resolve().parents[2] / "docs" / "session-format.md"


def test_the_documented_example_imports_and_survives_a_session_file(tmp_path: Path) -> None:
    text = SESSION_DOC.read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    session = session_from_json(example, "session-format.md")
    assert [p.name for p in session.participants] == ["Zofia Łukasik", "Ali Hassan"]
    assert session.current_step is not None
    assert session.current_step.title == "Welcome"
    assert set(json.loads(example)) == TOP_LEVEL
    path = tmp_path / "example.coprod"
    SessionFile.create(path, session).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert opened.load() == session


def test_the_session_documentation_names_every_table_column_key_and_enum_value() -> None:
    text = SESSION_DOC.read_text(encoding="utf-8")
    for cls in SCHEMA_ENTITIES:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{cls.KIND}` |")), None)
        assert row is not None, f"no table row for {cls.KIND}"
        for name in cls.field_names():
            assert f"`{name}`" in row, f"{cls.KIND}.{name}"
    for key in TOP_LEVEL:
        assert f"`{key}`" in text, key
    for enum_type in (RoleGroup, StepKind, VotingMode, CardKind, CanvasBackground):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{enum_type.__name__}` |"))
        assert [v.strip(" `") for v in row.split("|")[2].split(",")] == [m.value for m in enum_type]
    assert f"`0x{APPLICATION_ID:X}`" in text
    assert f"`PRAGMA user_version` | `{SCHEMA_VERSION}`" in text
