"""The commands never write onto an open session or their own input, and replace
an existing file only when told to with --force."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from coprod_desktop.app import EXIT_ERROR, main
from coprod_desktop.storage.sessionfile import SessionFile


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def two_sessions(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first.coprod", tmp_path / "second.coprod"
    assert main(["demo", str(first)]) == 0
    assert main(["demo", str(second)]) == 0
    return first, second


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("coprod-desktop: ")
    assert "went wrong inside" not in err
    return lines[0]


@pytest.mark.parametrize("kind", ["--json", "--pdf"])
@pytest.mark.parametrize("force", [False, True])
def test_export_never_replaces_a_session_open_in_the_app(
    two_sessions: tuple[Path, Path], capsys: pytest.CaptureFixture[str], kind: str, force: bool
) -> None:
    first, second = two_sessions
    before = digest(second)
    with SessionFile.open(second):
        args = ["export", str(first), kind, str(second)] + (["--force"] if force else [])
        assert main(args) == EXIT_ERROR
        assert "open in coprod-desktop" in one_line(capsys.readouterr().err)
    assert digest(second) == before


def test_export_refuses_a_closed_session_file_without_force(
    two_sessions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_sessions
    before = digest(second)
    assert main(["export", str(first), "--json", str(second)]) == EXIT_ERROR
    line = one_line(capsys.readouterr().err)
    assert "is a session file" in line
    assert "--force" in line
    assert digest(second) == before
    assert main(["export", str(first), "--json", str(second), "--force"]) == 0
    assert second.read_text(encoding="utf-8").startswith("{")


def test_export_refuses_its_own_input_under_any_name(
    two_sessions: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, _ = two_sessions
    before = digest(first)
    link = tmp_path / "link.json"
    link.symlink_to(first)
    hard = tmp_path / "hard.json"
    os.link(first, hard)
    for target in (first, link, hard):
        for kind in ("--json", "--pdf"):
            assert main(["export", str(first), kind, str(target), "--force"]) == EXIT_ERROR
            assert "session file itself" in one_line(capsys.readouterr().err)
    assert digest(first) == before


def test_export_replaces_an_earlier_export_only_with_force(
    two_sessions: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, _ = two_sessions
    out = tmp_path / "out.json"
    out.write_text("an earlier export")
    assert main(["export", str(first), "--json", str(out)]) == EXIT_ERROR
    assert "already exists" in one_line(capsys.readouterr().err)
    assert out.read_text() == "an earlier export"
    assert main(["export", str(first), "--json", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("{")


def test_export_csv_into_a_folder_with_earlier_files_needs_force(
    two_sessions: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, _ = two_sessions
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "votes.csv").write_text("earlier")
    (folder / "mine.txt").write_text("not ours")
    assert main(["export", str(first), "--csv", str(folder)]) == EXIT_ERROR
    assert "votes.csv" in one_line(capsys.readouterr().err)
    assert (folder / "votes.csv").read_text() == "earlier"
    assert main(["export", str(first), "--csv", str(folder), "--force"]) == 0
    assert (folder / "votes.csv").read_text(encoding="utf-8-sig").startswith("question_type")
    assert (folder / "mine.txt").read_text() == "not ours"


def test_import_refuses_to_write_onto_its_own_input(
    two_sessions: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, _ = two_sessions
    exported = tmp_path / "in.json"
    assert main(["export", str(first), "--json", str(exported)]) == 0
    capsys.readouterr()
    before = digest(exported)
    assert main(["import", str(exported), str(exported), "--force"]) == EXIT_ERROR
    assert "being read" in one_line(capsys.readouterr().err)
    assert digest(exported) == before


@pytest.mark.parametrize("command", ["demo", "import"])
def test_demo_and_import_never_replace_an_open_session_even_with_force(
    two_sessions: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    first, second = two_sessions
    exported = tmp_path / "in.json"
    assert main(["export", str(first), "--json", str(exported)]) == 0
    capsys.readouterr()
    before = digest(second)
    with SessionFile.open(second):
        args = ["demo", str(second)] if command == "demo" else ["import", str(exported), str(second)]
        assert main([*args, "--force"]) == EXIT_ERROR
        assert "open in coprod-desktop" in one_line(capsys.readouterr().err)
    assert digest(second) == before
