"""CSV exports: headers, exact row counts, names on and off, Excel-friendly encoding."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coprod_desktop.domain.model import Action, Tally, Vote, replace
from coprod_desktop.domain.sample import PEOPLE
from coprod_desktop.report.csvexport import CSV_FILES, VOTE_HEADER, CsvError, export_csv

from .helpers import many_alphabets, sample


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return next(csv.reader(stream))


def test_writes_six_files_with_headers_and_a_byte_order_mark(tmp_path: Path) -> None:
    result = export_csv(sample(), tmp_path / "new" / "folder")
    folder = tmp_path / "new" / "folder"
    assert sorted(p.name for p in folder.iterdir()) == sorted(CSV_FILES)
    assert result.paths == [folder / name for name in CSV_FILES]
    for name in CSV_FILES:
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # UTF-8 BOM, so Excel reads UTF-8
        assert b"\r\n" in raw
    assert header(folder / "votes.csv") == list(VOTE_HEADER)
    assert header(folder / "actions.csv") == ["number", "what", "who", "due", "done", "linked_to"]
    assert header(folder / "scenario_votes.csv")[:5] == [
        "scenario_number",
        "scenario",
        "word",
        "word_key",
        "votes",
    ]
    assert header(folder / "readiness.csv")[:5] == ["condition", "description", "votes", "average", "status"]
    assert header(folder / "canvas_cards.csv")[:4] == ["number", "kind", "text", "role"]


def test_row_counts_follow_from_the_session(tmp_path: Path) -> None:
    session = sample()
    result = export_csv(session, tmp_path)
    nonzero_tallies = sum(1 for t in session.tallies if t.count)
    expected = {
        "votes.csv": session.count(Vote) + nonzero_tallies,
        "ballots_cast.csv": 0,  # the sample has no secret ballots
        "scenario_votes.csv": len(session.scenarios) * len(session.terms),
        "readiness.csv": len(session.readiness_items),
        "actions.csv": len(session.actions),
        "canvas_cards.csv": len(session.cards),
    }
    assert result.rows == expected
    for name, count in expected.items():
        assert len(read(tmp_path / name)) == count, name


def test_votes_add_up_to_the_tallies(tmp_path: Path) -> None:
    session = sample()
    export_csv(session, tmp_path)
    rows = read(tmp_path / "votes.csv")
    total = sum(int(row["count"]) for row in rows)
    assert total == session.count(Vote) + sum(t.count for t in session.tallies)
    named = [row for row in rows if row["participant"]]
    assert len(named) == session.count(Vote)
    assert {row["participant"] for row in named} == {name for name, _ in PEOPLE}
    cells = [row for row in rows if row["question_type"] == "matrix_cell"]
    assert len(cells) == len(session.criteria) * len(session.stages) * len(session.participants)
    assert all(row["criterion"] and row["stage"] and row["choice_label"] for row in cells)


def test_anonymous_export_keeps_every_count_and_no_name(tmp_path: Path) -> None:
    session = many_alphabets(markup_text=False)
    export_csv(session, tmp_path, names=False)
    everything = "".join((tmp_path / name).read_text(encoding="utf-8-sig") for name in CSV_FILES)
    for person in session.participants:
        assert person.name not in everything
    rows = read(tmp_path / "votes.csv")
    assert all(row["participant"] == "" and row["role"] == "" for row in rows)
    assert sum(int(row["count"]) for row in rows) == session.count(Vote) + sum(
        t.count for t in session.tallies
    )
    # One row per question and choice: nobody's single vote can be picked out.
    keys = [(row["question"], row["choice"]) for row in rows]
    assert len(keys) == len(set(keys))


def test_names_in_many_alphabets_round_trip(tmp_path: Path) -> None:
    session = many_alphabets()
    export_csv(session, tmp_path)
    names = {row["participant"] for row in read(tmp_path / "votes.csv") if row["participant"]}
    assert names == {person.name for person in session.participants}
    actions = read(tmp_path / "actions.csv")
    assert "<b>not bold</b> & &amp; <font>" in [row["what"] for row in actions]


def test_text_a_spreadsheet_would_run_is_defused(tmp_path: Path) -> None:
    session = sample()
    session.put(
        Action(id="evil", what='=HYPERLINK("http://example.invalid")', who="+1", due="@now", position=9)
    )
    export_csv(session, tmp_path)
    row = read(tmp_path / "actions.csv")[-1]
    assert row["what"] == '\'=HYPERLINK("http://example.invalid")'
    assert row["who"] == "'+1"
    assert row["due"] == "'@now"


def test_counted_hands_without_names_have_a_blank_participant(tmp_path: Path) -> None:
    session = sample()
    scenario = session.scenarios[-1]
    session.put(Tally(f"scenario/{scenario.id}", "co-production", 4))
    export_csv(session, tmp_path)
    rows = [r for r in read(tmp_path / "votes.csv") if r["question"] == f"scenario/{scenario.id}"]
    assert {"participant": "", "choice": "co-production", "count": "4"}.items() <= next(
        r for r in rows if r["choice"] == "co-production"
    ).items()


def test_a_file_in_the_way_is_one_plain_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "results"
    blocker.write_text("not a folder")
    with pytest.raises(CsvError, match="is a file, not a folder"):
        export_csv(sample(), blocker)


def test_cards_carry_positions_and_places(tmp_path: Path) -> None:
    session = sample()
    first = session.cards[0]
    session.put(replace(first, aspiration_x=None, aspiration_y=None))
    export_csv(session, tmp_path)
    rows = read(tmp_path / "canvas_cards.csv")
    assert rows[0]["now_x"] == f"{first.now_x:g}"
    assert rows[0]["aspiration_x"] == ""
    assert rows[0]["aspiration_place"] == ""
    assert rows[0]["now_place"]
