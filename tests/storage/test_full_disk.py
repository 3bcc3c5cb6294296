"""A full disk, for every writer: one plain sentence, nothing half-written left behind,
and a file that was there before is still whole. The disk fills by the fault shim
(tests/storage/faults.py): writes into the folder fail with ENOSPC after a budget."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from coprod_desktop.app import main

from .faults import build_shim, run_faulty

BUDGETS = [0, 4096, 60_000]  # bytes the disk takes before it is full


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shim(tmp_path_factory.mktemp("shim"))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("source")
    session, exported = folder / "sample.coprod", folder / "sample.json"
    assert main(["demo", str(session)]) == 0
    assert main(["export", str(session), "--json", str(exported)]) == 0
    return session, exported


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_full_disk_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("coprod-desktop: ")
    assert line.endswith(".")
    assert "went wrong inside" not in line, line
    assert "Traceback" not in err
    assert "disk is full" in line, line
    return line


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("budget", BUDGETS)
def test_demo_on_a_full_disk_says_so_and_leaves_nothing(shim: Path, tmp_path: Path, budget: int) -> None:
    out = tmp_path / "demo.coprod"
    result = run_faulty(shim, tmp_path, "", enospc_after=budget, args=("demo", str(out)))
    assert result.returncode == 2, result.stdout
    one_full_disk_sentence(result.stderr)
    assert names(tmp_path) == []


@pytest.mark.parametrize("budget", BUDGETS)
def test_import_on_a_full_disk_keeps_the_file_it_would_replace(
    shim: Path, tmp_path: Path, source: tuple[Path, Path], budget: int
) -> None:
    _, exported = source
    out = tmp_path / "imported.coprod"
    out.write_bytes(b"the earlier file")
    result = run_faulty(
        shim, tmp_path, "", enospc_after=budget, args=("import", str(exported), str(out), "--force")
    )
    assert result.returncode == 2, result.stdout
    one_full_disk_sentence(result.stderr)
    assert out.read_bytes() == b"the earlier file"
    assert names(tmp_path) == ["imported.coprod"]


@pytest.mark.parametrize("kind", ["--json", "--pdf", "--csv"])
def test_export_on_a_full_disk_says_so_and_leaves_nothing(
    shim: Path, tmp_path: Path, source: tuple[Path, Path], kind: str
) -> None:
    session, _ = source
    out = tmp_path / ("out" if kind == "--csv" else f"out.{kind[2:]}")
    if kind == "--csv":
        out.mkdir()
    result = run_faulty(shim, tmp_path, "", enospc_after=2000, args=("export", str(session), kind, str(out)))
    assert result.returncode == 2, result.stdout
    one_full_disk_sentence(result.stderr)
    assert names(tmp_path) == (["out"] if kind == "--csv" else [])
    if kind == "--csv":
        assert names(out) == []


NEW_SESSION = """
import sys
from pathlib import Path
from coprod_desktop.domain.errors import KnownError
from coprod_desktop.storage.templates import load_builtin_template, save_personal_template
from coprod_desktop.storage.sessionfile import SessionFile
folder = Path(sys.argv[1])
what = sys.argv[2]
try:
    if what == "new":
        SessionFile.create(folder / "new.coprod", load_builtin_template()).close()
    elif what == "template":
        save_personal_template(load_builtin_template(), "Mine", folder)
    else:
        with SessionFile.open(Path(sys.argv[3])) as opened:
            opened.save_copy(folder / "copy.coprod")
except KnownError as exc:
    print(f"coprod-desktop: {exc}", file=sys.stderr)
    raise SystemExit(2)
"""


@pytest.mark.parametrize("what", ["new", "template", "copy"])
def test_new_session_template_and_copy_on_a_full_disk(
    shim: Path, tmp_path: Path, source: tuple[Path, Path], what: str
) -> None:
    session, _ = source
    folder = tmp_path / "full"
    folder.mkdir()
    code = NEW_SESSION.replace("sys.argv[1]", repr(str(folder))).replace("sys.argv[2]", repr(what))
    code = code.replace("sys.argv[3]", repr(str(session)))
    before = digest(session)
    result = run_faulty(shim, folder, code, enospc_after=3000)
    assert result.returncode == 2, result.stdout + result.stderr
    one_full_disk_sentence(result.stderr)
    assert names(folder) == []
    assert digest(session) == before
