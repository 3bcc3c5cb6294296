"""Hostile files and values through check, export, import and templates: a sentence
naming what is wrong, never a hang, a traceback or the catch-all message."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coprod_desktop.app import EXIT_ERROR, main
from coprod_desktop.domain.errors import SessionFileError, TemplateError
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import available_templates, load_template

REPO = Path(__file__).resolve().parents[1]


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("coprod-desktop: ")
    assert line.endswith(".")
    assert "went wrong inside" not in line, line
    assert "Traceback" not in err
    return line


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "coprod_desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # a FIFO must never make a command wait
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.coprod"
    assert main(["demo", str(path)]) == 0
    exported = folder / "demo.json"
    assert main(["export", str(path), "--json", str(exported)]) == 0
    return path, json.loads(exported.read_text(encoding="utf-8"))


SQL_ATTACKS: dict[str, tuple[str, str]] = {
    "minutes-2**63-1": (f"UPDATE step SET minutes = {2**63 - 1}", "'minutes'"),
    "count-2**63-1": (f"UPDATE tally SET count = {2**63 - 1}", "'count'"),
    "count-10**8": ("UPDATE tally SET count = 100000000", "'count'"),
    "scale-empty": ("UPDATE matrix SET scale = '[]'", "'scale'"),
    "scale-2000": (
        "UPDATE matrix SET scale = '" + json.dumps([str(i) for i in range(2000)]) + "'",
        "'scale'",
    ),
    "scale-nested": ("UPDATE matrix SET scale = '" + "[" * 100_000 + "]" * 100_000 + "'", "'scale'"),
    "note-2MB": ("UPDATE step SET notes = hex(randomblob(1000000))", "'notes'"),
    "position-2**62": (f"UPDATE card SET position = {2**62}", "'position'"),
    "coordinate-1e300": ("UPDATE card SET now_x = 1e300, now_y = 0", "'now_x'"),
}


@pytest.mark.parametrize("attack", sorted(SQL_ATTACKS))
def test_a_file_with_a_value_the_app_cannot_use_is_refused_by_check_export_and_the_app(
    demo: tuple[Path, dict[str, object]], tmp_path: Path, capsys: pytest.CaptureFixture[str], attack: str
) -> None:
    sql, field = SQL_ATTACKS[attack]
    path = tmp_path / "hostile.coprod"
    path.write_bytes(demo[0].read_bytes())
    conn = sqlite3.connect(path)
    assert conn.execute(sql).rowcount > 0
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for args in (["check", str(path)], ["export", str(path), "--json", str(tmp_path / "o.json")]):
        assert main(args) == EXIT_ERROR
        assert field in one_line(capsys.readouterr().err)
    with pytest.raises(SessionFileError, match=field):
        SessionFile.open(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "o.json").exists()


def _set(document: dict[str, object], key: str, index: int | None, field: str, value: object) -> None:
    target = document[key]
    if index is not None:
        assert isinstance(target, list)
        target = target[index]
    assert isinstance(target, dict)
    target[field] = value


JSON_ATTACKS: dict[str, tuple[Callable[[dict[str, object]], object], str]] = {
    "minutes-2**63-1": (lambda d: _set(d, "steps", 0, "minutes", 2**63 - 1), "'minutes'"),
    "minutes-2**70": (lambda d: _set(d, "steps", 0, "minutes", 2**70), "'minutes'"),
    "count-2**63-1": (lambda d: _set(d, "tallies", 0, "count", 2**63 - 1), "'count'"),
    "count-10**8": (lambda d: _set(d, "tallies", 0, "count", 10**8), "'count'"),
    "scale-empty": (lambda d: _set(d, "matrix", None, "scale", []), "'scale'"),
    "scale-2000": (lambda d: _set(d, "matrix", None, "scale", [str(i) for i in range(2000)]), "'scale'"),
    "title-2MB": (lambda d: d.__setitem__("title", "x" * 2_000_000), "'title'"),
}


@pytest.mark.parametrize("attack", sorted(JSON_ATTACKS))
def test_an_import_with_a_value_the_app_cannot_use_names_the_field(
    demo: tuple[Path, dict[str, object]], tmp_path: Path, capsys: pytest.CaptureFixture[str], attack: str
) -> None:
    change, field = JSON_ATTACKS[attack]
    document = json.loads(json.dumps(demo[1]))
    change(document)
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", str(source), str(tmp_path / "out.coprod")]) == EXIT_ERROR
    assert field in one_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.json"]


@pytest.mark.parametrize(
    "language", ["x" * 300, "../../../etc", "cy/../../x"], ids=["300-chars", "path", "mixed"]
)
def test_a_language_that_is_no_language_tag_is_refused_by_name(
    demo: tuple[Path, dict[str, object]], tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    """The workshop's language is looked up as a catalogue's folder: once any short text was
    accepted, and the PDF failed with "the name is too long", blaming the PDF's own name. Now
    an import refuses it, and a file that holds one (written by something else) is named as
    damaged by `check` and `export`, with the field, and left as it was."""
    document = json.loads(json.dumps(demo[1]))
    document["language"] = language
    source = tmp_path / "odd.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", str(source), str(tmp_path / "odd.coprod")]) == EXIT_ERROR
    assert "'language'" in one_line(capsys.readouterr().err)
    assert not (tmp_path / "odd.coprod").exists()
    session = demo[0]
    conn = sqlite3.connect(session)
    conn.execute("UPDATE info SET language = ?", (language,))
    conn.commit()
    conn.close()
    before = session.read_bytes()
    assert main(["check", str(session)]) == EXIT_ERROR
    assert "'language'" in one_line(capsys.readouterr().err + capsys.readouterr().out)
    assert main(["export", str(session), "--pdf", str(tmp_path / "odd.pdf")]) == EXIT_ERROR
    assert not (tmp_path / "odd.pdf").exists()
    assert session.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"format": "coprod-session", "format_version": 1, "title": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"format": "coprod-session", "format_version": 1, "steps": [' + "{" * 50_000 + "]}",
    ],
    ids=["brackets", "deep-title", "deep-steps"],
)
def test_a_deeply_nested_import_is_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    source = tmp_path / "deep.json"
    source.write_text(text, encoding="utf-8")
    assert main(["import", str(source), str(tmp_path / "out.coprod")]) == EXIT_ERROR
    line = one_line(capsys.readouterr().err)
    assert "deep.json" in line


@pytest.mark.parametrize("command", ["check", "export", "import-in", "demo-out", "import-out"])
def test_a_fifo_is_refused_at_once(
    tmp_path: Path, demo: tuple[Path, dict[str, object]], command: str
) -> None:
    fifo = tmp_path / ("x.json" if command == "import-in" else "x.coprod")
    os.mkfifo(fifo)
    exported = tmp_path / "in.json"
    exported.write_text(json.dumps(demo[1]), encoding="utf-8")
    args = {
        "check": ["check", str(fifo)],
        "export": ["export", str(fifo), "--json", str(tmp_path / "o.json")],
        "import-in": ["import", str(fifo), str(tmp_path / "o.coprod")],
        "demo-out": ["demo", str(fifo), "--force"],
        "import-out": ["import", str(exported), str(fifo), "--force"],
    }[command]
    result = run_cli(*args)
    assert result.returncode == EXIT_ERROR
    assert "pipe or a device" in one_line(result.stderr)


@pytest.mark.parametrize("command", ["check", "export", "import-in", "demo-out", "import-out"])
def test_a_symlink_loop_is_a_sentence(
    tmp_path: Path, demo: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str], command: str
) -> None:
    loop = tmp_path / ("a.json" if command == "import-in" else "a.coprod")
    other = tmp_path / "b.coprod"
    loop.symlink_to(other)
    other.symlink_to(loop)
    exported = tmp_path / "in.json"
    exported.write_text(json.dumps(demo[1]), encoding="utf-8")
    args = {
        "check": ["check", str(loop)],
        "export": ["export", str(loop), "--json", str(tmp_path / "o.json")],
        "import-in": ["import", str(loop), str(tmp_path / "o.coprod")],
        "demo-out": ["demo", str(loop), "--force"],
        "import-out": ["import", str(exported), str(loop), "--force"],
    }[command]
    assert main(args) == EXIT_ERROR
    assert "loop" in one_line(capsys.readouterr().err)


def test_bad_templates_are_listed_as_unreadable_and_never_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('name = "A good one"\n', encoding="utf-8")
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.toml")
    (tmp_path / "loop.toml").symlink_to(tmp_path / "loop2.toml")
    (tmp_path / "loop2.toml").symlink_to(tmp_path / "loop.toml")
    (tmp_path / "binary.toml").write_bytes(b"\xff\xfe\x00")
    found = {t.path.name: t for t in available_templates(tmp_path) if not t.builtin}
    assert found["good.toml"].name == "A good one"
    for name in ("deep.toml", "pipe.toml", "loop.toml", "binary.toml"):
        assert found[name].description == "This file cannot be read as a template."
        with pytest.raises(TemplateError) as caught:
            load_template(tmp_path / name)
        message = str(caught.value)
        assert name in message
        assert message.endswith(".")
        assert "\n" not in message
