"""compare, combine and follow-up on the command line: outputs, untouched inputs, plain errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from coprod_desktop.app import EXIT_ERROR, main
from coprod_desktop.domain.compare import compare
from coprod_desktop.domain.model import MatrixSettings, Session, StepKind, Vote, replace
from coprod_desktop.domain.sample import PEOPLE, build_sample
from coprod_desktop.report.changes_json import comparison_to_dict
from coprod_desktop.report.pdf import build_pdf
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template

from .test_cli import assert_one_plain_line

REPO = Path(__file__).resolve().parents[1]


def _later(earlier: Session, seed: int) -> Session:
    """A later run: the same template, other votes, some ratings a point higher."""
    later = build_sample(load_builtin_template(), seed=seed)
    later.put(replace(later.info, date="2027-05-20", follows=earlier.info.session_key))
    for number, vote in enumerate(later.votes):
        if vote.question.startswith("cell/") and number % 3 == 0:
            later.put(Vote(vote.question, vote.participant_id, str(min(4, int(vote.choice) + 1))))
    return later


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Session, Session]:
    folder = tmp_path_factory.mktemp("runs")
    before = build_sample(load_builtin_template())
    after = _later(before, 11)
    SessionFile.create(folder / "before.coprod", before).close()
    SessionFile.create(folder / "after.coprod", after).close()
    return folder / "before.coprod", folder / "after.coprod", before, after


@pytest.fixture(scope="module")
def groups(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("groups")
    paths = []
    for number in range(3):
        path = folder / f"site{number + 1}.coprod"
        SessionFile.create(path, build_sample(load_builtin_template(), seed=100 + number)).close()
        paths.append(path)
    return paths


def _hashes(paths: list[Path]) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_compare_writes_json_and_pdf_and_leaves_both_sessions_alone(
    runs: tuple[Path, Path, Session, Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before_path, after_path, before, after = runs
    hashes = _hashes([before_path, after_path])
    out_json, out_pdf = tmp_path / "changes.json", tmp_path / "changes.pdf"
    code = main(
        ["compare", str(before_path), str(after_path), "--json", str(out_json), "--pdf", str(out_pdf)]
    )
    said = capsys.readouterr()
    assert code == 0, said.err
    assert said.err == ""
    assert f"to {out_json}" in said.out
    assert f"to {out_pdf}" in said.out
    assert _hashes([before_path, after_path]) == hashes
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert document["format"] == "coprod-compare"
    assert document["follows"] is True
    # The JSON holds the domain's own figures.
    expected = comparison_to_dict(compare(before, after), "before.coprod", "after.coprod")
    expected["app_version"] = document["app_version"]
    assert document == json.loads(json.dumps(expected))
    whole = document["matrix"]["whole"]["mean"]
    assert whole["change"] == pytest.approx(whole["after"] - whole["before"])
    assert whole["text"].startswith("▲ +")
    text = _text(out_pdf)
    assert "What changed since 19 November 2026" in text
    assert "Stage by stage" in text
    assert "▲" in text
    for name, _role in PEOPLE:
        assert name not in text
        assert name not in out_json.read_text(encoding="utf-8")


def test_compare_without_outputs_prints_a_summary(
    runs: tuple[Path, Path, Session, Session], capsys: pytest.CaptureFixture[str]
) -> None:
    before_path, after_path, _, _ = runs
    assert main(["compare", str(before_path), str(after_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("From before.coprod to after.coprod:")
    assert "The whole matrix: ▲ +" in out
    assert "Placement:" in out


def test_compare_json_to_stdout(
    runs: tuple[Path, Path, Session, Session], capsys: pytest.CaptureFixture[str]
) -> None:
    before_path, after_path, _, _ = runs
    assert main(["compare", str(before_path), str(after_path), "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "coprod-compare"


def test_mismatched_workshops_get_one_sentence_naming_what_differs(
    runs: tuple[Path, Path, Session, Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before_path, _, _, _ = runs
    other = build_sample(load_builtin_template())
    other.put(MatrixSettings(scale=("No", "Some", "Yes")))
    other_path = tmp_path / "three.coprod"
    SessionFile.create(other_path, other).close()
    out = tmp_path / "x.json"
    assert main(["compare", str(before_path), str(other_path), "--json", str(out)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "before.coprod rates the matrix on 5 points and three.coprod on 3" in err
    assert not out.exists()
    assert main(["combine", str(before_path), str(other_path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "three.coprod on 3" in err
    assert "Combine only groups of one workshop." in err


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--paper", "a4"], "--paper shapes the PDF"),
        (["--json", "-", "--pdf", "x.pdf"], "cannot be combined with --pdf"),
    ],
)
def test_bad_option_combinations_are_one_sentence(
    runs: tuple[Path, Path, Session, Session],
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    words: str,
) -> None:
    before_path, after_path, _, _ = runs
    assert main(["compare", str(before_path), str(after_path), *extra]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert words in err


def test_an_output_that_is_an_input_is_refused(
    runs: tuple[Path, Path, Session, Session], capsys: pytest.CaptureFixture[str]
) -> None:
    before_path, after_path, _, _ = runs
    hashes = _hashes([before_path, after_path])
    assert main(["compare", str(before_path), str(after_path), "--pdf", str(after_path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "is one of the sessions being read" in err
    assert _hashes([before_path, after_path]) == hashes


def test_combine_writes_counts_only_and_leaves_the_groups_alone(
    groups: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hashes = _hashes(groups)
    out_json, out_pdf = tmp_path / "all.json", tmp_path / "all.pdf"
    code = main(["combine", *map(str, groups), "--json", str(out_json), "--pdf", str(out_pdf)])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "Wrote 3 groups combined" in said.out
    assert _hashes(groups) == hashes
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert document["format"] == "coprod-combined"
    assert [g["name"] for g in document["groups"]] == ["site1.coprod", "site2.coprod", "site3.coprod"]
    assert [g["people"] for g in document["groups"]] == [12, 12, 12]
    first_box = document["matrix"]["boxes"][0]
    assert first_box["votes"] == 36
    assert sum(first_box["counts"]) + first_box["off_scale"] == 36
    assert document["differences"][0]["spread"] >= document["differences"][-1]["spread"]
    raw = out_json.read_text(encoding="utf-8")
    text = _text(out_pdf)
    assert "COMBINED REPORT" in text
    assert "Where the groups differ most" in text
    assert "Readiness across the groups" in text
    for name, _role in PEOPLE:
        assert name not in raw
        assert name not in text
    assert '"p00"' not in raw


def test_a_file_named_twice_is_refused(groups: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["combine", str(groups[0]), str(groups[0])]) == EXIT_ERROR
    assert_one_plain_line(capsys.readouterr().err)


def test_follow_up_writes_a_new_session_and_reads_the_old(
    runs: tuple[Path, Path, Session, Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before_path, _, before, _ = runs
    hashes = _hashes([before_path])
    out = tmp_path / "next.coprod"
    assert main(["follow-up", str(before_path), str(out), "--date", "2027-06-01", "--no-people"]) == 0
    assert "with 5 earlier actions to review" in capsys.readouterr().out
    assert _hashes([before_path]) == hashes
    with SessionFile.open(out, read_only=True) as opened:
        follow_up = opened.load()
    assert follow_up.info.follows == before.info.session_key
    assert follow_up.info.date == "2027-06-01"
    assert follow_up.participants == []
    assert follow_up.steps[1].kind is StepKind.REVIEW
    assert len(follow_up.action_reviews) == 5
    assert main(["follow-up", str(before_path), str(out)]) == EXIT_ERROR
    assert "already exists" in capsys.readouterr().err


def test_the_handout_of_a_follow_up_opens_with_what_changed(
    runs: tuple[Path, Path, Session, Session], tmp_path: Path
) -> None:
    _, _, before, after = runs
    path = build_pdf(after, tmp_path / "handout.pdf", earlier=before).path
    text = _text(path)
    assert text.index("What changed since 19 November 2026") < text.index("How do we work now?")
    assert "Box by box" in text


def test_the_compare_format_documentation_names_every_key(
    runs: tuple[Path, Path, Session, Session], groups: list[Path], tmp_path: Path
) -> None:
    doc = (REPO / "docs" / "compare-format.md").read_text(encoding="utf-8")
    before_path, after_path, _, _ = runs
    compared, combined = tmp_path / "c.json", tmp_path / "g.json"
    assert main(["compare", str(before_path), str(after_path), "--json", str(compared)]) == 0
    assert main(["combine", *map(str, groups), "--json", str(combined)]) == 0

    def keys(value: object) -> set[str]:
        found: set[str] = set()
        if isinstance(value, dict):
            for key, inner in value.items():
                found.add(key)
                found |= keys(inner)
        elif isinstance(value, list):
            for inner in value:
                found |= keys(inner)
        return found

    for path in (compared, combined):
        for key in keys(json.loads(path.read_text(encoding="utf-8"))):
            assert f"`{key}`" in doc, key
