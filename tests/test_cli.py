"""The command line: demo, export, import, check, --version, and plain errors."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_desktop import __version__
from coprod_desktop.app import EXIT_ERROR, main
from coprod_desktop.domain.sample import PEOPLE
from coprod_desktop.storage.interchange import session_from_json
from coprod_desktop.storage.schema import SCHEMA_VERSION
from coprod_desktop.storage.sessionfile import SessionFile

REPO = Path(__file__).resolve().parents[1]


def headless_env() -> dict[str, str]:
    """The environment of a machine with no display at all."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
    }
    env["PYTHONPATH"] = str(REPO)
    return env


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coprod_desktop", *args],
        capture_output=True,
        text=True,
        env=headless_env(),
        cwd=cwd,
        timeout=120,
        check=False,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_plain_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("coprod-desktop: ")
    assert lines[0].endswith(".")
    assert "Traceback" not in err
    assert "something went wrong inside the app" not in err, err


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "sample.coprod"
    assert main(["demo", str(path)]) == 0
    return path


# --- demo and check -----------------------------------------------------------------


def test_demo_writes_a_file_that_check_calls_sound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.coprod"
    assert main(["demo", str(out)]) == 0
    said = capsys.readouterr()
    assert said.err == ""
    assert "Wrote the sample workshop" in said.out
    assert str(out) in said.out
    assert main(["check", str(out)]) == 0
    report = capsys.readouterr()
    assert report.err == ""
    assert f"demo.coprod is a sound coprod-desktop session (file version {SCHEMA_VERSION})." in report.out
    assert "12 participants" in report.out
    assert re.search(r"\b\d+ named votes\b", report.out)
    assert "Title: Strength and balance classes" in report.out
    assert "Date: 2026-11-19" in report.out
    with SessionFile.open(out, read_only=True) as opened:
        assert [p.name for p in opened.load().participants] == [name for name, _ in PEOPLE]


def test_demo_refuses_to_overwrite_without_force(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exists.coprod"
    out.write_text("precious")
    assert main(["demo", str(out)]) == EXIT_ERROR
    said = capsys.readouterr()
    assert_one_plain_line(said.err)
    assert "already exists" in said.err
    assert "--force" in said.err
    assert said.out == ""
    assert out.read_text() == "precious"
    assert main(["demo", str(out), "--force"]) == 0
    capsys.readouterr()
    with SessionFile.open(out, read_only=True) as opened:
        assert opened.load().summary()["participant"] == 12


def test_demo_into_a_missing_folder_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", str(tmp_path / "nowhere" / "x.coprod")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "does not exist" in err


# --- export and import --------------------------------------------------------------


def test_export_then_import_round_trips(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "out.json"
    before = sha256(demo_file)
    assert main(["export", str(demo_file), "--json", str(exported)]) == 0
    assert sha256(demo_file) == before
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["format"] == "coprod-session"
    assert len(document["participants"]) == 12

    imported = tmp_path / "back.coprod"
    assert main(["import", str(exported), str(imported)]) == 0
    assert "Imported out.json" in capsys.readouterr().out
    with SessionFile.open(demo_file, read_only=True) as a, SessionFile.open(imported, read_only=True) as b:
        assert a.load() == b.load()

    again = tmp_path / "again.json"
    assert main(["export", str(imported), "--json", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.json", "back.coprod", "out.json"]


def test_export_to_stdout(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(demo_file), "--json", "-"]) == 0
    out = capsys.readouterr().out
    assert session_from_json(out).summary()["participant"] == 12


def test_export_never_changes_its_input(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (sha256(demo_file), demo_file.stat().st_mtime_ns)
    assert main(["export", str(demo_file), "--json", "-"]) == 0
    assert main(["check", str(demo_file)]) == 0
    assert main(["export", str(demo_file), "--json", str(demo_file)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "replace the session file itself" in err
    assert (sha256(demo_file), demo_file.stat().st_mtime_ns) == before


def test_export_and_check_of_an_open_session_work_and_leave_it_alone(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "open.coprod"
    copy.write_bytes(demo_file.read_bytes())
    with SessionFile.open(copy):
        before = sha256(copy)
        assert main(["check", str(copy)]) == 0
        assert main(["export", str(copy), "--json", str(tmp_path / "o.json")]) == 0
        assert sha256(copy) == before
    assert "sound" in capsys.readouterr().out


def test_export_without_a_format_is_a_usage_error(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(demo_file)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "--json" in err


def test_import_refuses_to_overwrite_without_force(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "x.json"
    assert main(["export", str(demo_file), "--json", str(exported)]) == 0
    out = tmp_path / "taken.coprod"
    out.write_text("keep me")
    assert main(["import", str(exported), str(out)]) == EXIT_ERROR
    assert_one_plain_line(capsys.readouterr().err)
    assert out.read_text() == "keep me"
    assert main(["import", str(exported), str(out), "--force"]) == 0


BAD_JSON = [
    pytest.param(b"{ not json", "is not valid JSON", id="not-json"),
    pytest.param(b"[]", "not a coprod-desktop session export", id="json-list"),
    pytest.param(b'{"format": "coprod-session", "format_version": 99}', "newer version", id="newer"),
    pytest.param(
        b'{"format": "coprod-session", "format_version": 1, "participants": [{"id": "p", '
        b'"name": "A", "role": "king"}]}',
        "'role' has an unexpected value 'king'",
        id="role-king",
    ),
    pytest.param(b"\xff\xfe not utf-8", "not UTF-8 text", id="not-utf8"),
]


@pytest.mark.parametrize(("content", "problem"), BAD_JSON)
def test_import_of_a_bad_json_exits_2_with_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, problem: str
) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(content)
    out = tmp_path / "out.coprod"
    assert main(["import", str(source), str(out)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert problem in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_import_of_a_missing_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "none.json"), str(tmp_path / "out.coprod")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "none.json" in err


def test_import_of_text_a_session_cannot_store_is_a_plain_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.json"
    source.write_text(
        '{"format": "coprod-session", "format_version": 1, "title": "\\ud800"}', encoding="utf-8"
    )
    assert main(["import", str(source), str(tmp_path / "out.coprod")]) == EXIT_ERROR
    assert_one_plain_line(capsys.readouterr().err)


# --- check on bad files -------------------------------------------------------------


def _other_app(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _newer(path: Path, demo: Path) -> None:
    path.write_bytes(demo.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        pytest.param(lambda p, d: p.write_text("hello"), "not a SQLite database", id="text"),
        pytest.param(lambda p, d: p.write_bytes(b""), "not a SQLite database", id="empty"),
        pytest.param(lambda p, d: _other_app(p), "another program", id="other-app"),
        pytest.param(_newer, "newer version", id="newer"),
        pytest.param(
            lambda p, d: p.write_bytes(d.read_bytes()[: len(d.read_bytes()) // 2]), "damaged", id="truncated"
        ),
        pytest.param(lambda p, d: p.mkdir(), "is a folder", id="folder"),
        pytest.param(lambda p, d: None, "There is no file", id="missing"),
    ],
)
def test_check_of_a_bad_file_exits_2_with_one_sentence(
    tmp_path: Path, demo_file: Path, capsys: pytest.CaptureFixture[str], make, problem: str
) -> None:
    path = tmp_path / "bad.coprod"
    make(path, demo_file)
    before = sha256(path) if path.is_file() else None
    assert main(["check", str(path)]) == EXIT_ERROR
    said = capsys.readouterr()
    assert said.out == ""
    assert_one_plain_line(said.err)
    assert problem in said.err
    if before is not None:
        assert sha256(path) == before
    for cmd in (["export", str(path), "--json", str(tmp_path / "x.json")],):
        assert main(cmd) == EXIT_ERROR
        assert_one_plain_line(capsys.readouterr().err)
    assert not (tmp_path / "x.json").exists()


# --- usage --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--frobnicate"], id="unknown-option"),
        pytest.param(["demo"], id="demo-without-out"),
        pytest.param(["demo", "a.coprod", "--frobnicate"], id="demo-unknown-option"),
        pytest.param(["check"], id="check-without-file"),
        pytest.param(["import", "only-one.json"], id="import-without-out"),
        pytest.param(["frobnicate", "x", "y"], id="unknown-command"),
    ],
)
def test_a_wrong_command_line_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == EXIT_ERROR
    said = capsys.readouterr()
    assert said.out == ""
    assert_one_plain_line(said.err)
    assert "--help" in said.err
    assert list(tmp_path.iterdir()) == []


def test_version_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"coprod-desktop {__version__}"


@pytest.mark.parametrize("command", ["demo", "export", "import", "check"])
def test_each_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([command, "--help"])
    assert stopped.value.code == 0
    assert f"coprod-desktop {command}" in capsys.readouterr().out


# --- as a real process, with no display ---------------------------------------------


def test_the_real_executable_runs_demo_check_export_and_errors_without_a_display(tmp_path: Path) -> None:
    out = tmp_path / "real.coprod"
    demo = run("demo", str(out))
    assert demo.returncode == 0, demo.stderr
    assert demo.stderr == ""
    check = run("check", str(out))
    assert check.returncode == 0, check.stderr
    assert "is a sound coprod-desktop session" in check.stdout
    assert "12 participants" in check.stdout
    again = run("demo", str(out))
    assert again.returncode == 2
    assert again.stdout == ""
    assert_one_plain_line(again.stderr)
    before = sha256(out)
    exported = run("export", str(out), "--json", str(tmp_path / "real.json"))
    assert exported.returncode == 0, exported.stderr
    assert sha256(out) == before
    assert json.loads((tmp_path / "real.json").read_text(encoding="utf-8"))["format"] == "coprod-session"
    version = run("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"coprod-desktop {__version__}")
    (tmp_path / "bad.coprod").write_text("not a session")
    bad = run("check", str(tmp_path / "bad.coprod"))
    assert bad.returncode == 2
    assert_one_plain_line(bad.stderr)
    unknown = run("--frobnicate")
    assert unknown.returncode == 2
    assert_one_plain_line(unknown.stderr)


def test_commands_do_not_import_qt_or_reportlab(tmp_path: Path) -> None:
    out = tmp_path / "noqt.coprod"
    script = (
        "import sys\n"
        "from coprod_desktop.app import main\n"
        "out, js, back = sys.argv[1:4]\n"
        "assert main(['demo', out]) == 0\n"
        "assert main(['check', out]) == 0\n"
        "assert main(['export', out, '--json', js]) == 0\n"
        "assert main(['import', js, back]) == 0\n"
        "assert main(['check', 'missing.coprod']) == 2\n"
        "heavy = ('PySide6', 'shiboken6', 'reportlab')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "assert not loaded, loaded\n"
        "print('clean')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(out), str(tmp_path / "noqt.json"), str(tmp_path / "back.coprod")],
        capture_output=True,
        text=True,
        env=headless_env(),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("clean")
