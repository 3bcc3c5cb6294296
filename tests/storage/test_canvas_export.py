"""The canvas's PNG and SVG go through the one atomic write path, like every other export:
the umask's permissions, a file that was there is replaced whole or not at all, and a full
disk or a folder that cannot be written to is one sentence the facilitator can act on."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coprod_desktop.domain.errors import KnownError
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage import atomic
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.canvas import export_png, export_svg
from coprod_desktop.ui.steps.canvas.scene import CanvasScene

from .faults import build_shim, power_cut, run_faulty
from .test_atomic import umask

Export = Callable[[CanvasScene, Path], Path]
EXPORTS: dict[str, Export] = {
    "png": lambda scene, path: export_png(scene, path, scale=0.5),
    "svg": lambda scene, path: export_svg(scene, path),
}
PNG_START = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def scene(qtbot, tmp_path: Path) -> Iterator[CanvasScene]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "session"
    folder.mkdir()
    document = SessionDocument.create(folder / "canvas.coprod", build_sample(load_builtin_template()))
    made = CanvasScene(document)
    yield made
    document.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def looks_whole(kind: str, data: bytes) -> bool:
    if kind == "png":
        return data.startswith(PNG_START) and data.endswith(b"IEND\xaeB`\x82")
    return data.startswith(b"<?xml") and data.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize("kind", EXPORTS)
@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077], ids=oct)
def test_a_new_picture_gets_the_permissions_of_the_umask(
    scene: CanvasScene, tmp_path: Path, kind: str, mask: int
) -> None:
    target = tmp_path / f"canvas.{kind}"
    with umask(mask):
        written = EXPORTS[kind](scene, target)
    assert written == target
    assert looks_whole(kind, target.read_bytes())
    assert mode(target) == 0o666 & ~mask
    assert names(tmp_path) == sorted(["session", target.name])  # no temporary file left beside it


@pytest.mark.parametrize("kind", EXPORTS)
def test_replacing_a_picture_keeps_its_permissions(scene: CanvasScene, tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"canvas.{kind}"
    target.write_bytes(b"the earlier picture")
    target.chmod(0o644)
    with umask(0o077):
        EXPORTS[kind](scene, target)
    assert looks_whole(kind, target.read_bytes())
    assert mode(target) == 0o644


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_save_that_fails_half_way_keeps_the_earlier_picture_whole(
    scene: CanvasScene, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails after the new picture is written, before it replaces the old one."""
    target = tmp_path / f"canvas.{kind}"
    target.write_bytes(b"the earlier picture")

    def failing(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", failing)
    with pytest.raises(KnownError) as caught:
        EXPORTS[kind](scene, target)
    monkeypatch.undo()
    message = str(caught.value)
    assert (
        message
        == f"Could not save {target.name}: the disk reported an error. Try again, or save it in another folder."
    )
    assert target.read_bytes() == b"the earlier picture"
    assert names(tmp_path) == sorted(["session", target.name])


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_read_only_file_system_is_a_sentence_saying_what_to_do(
    scene: CanvasScene, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only disk (a locked USB stick, a shared folder): even root cannot write there."""
    target = tmp_path / f"canvas.{kind}"
    target.write_bytes(b"the earlier picture")
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", read_only)
    with pytest.raises(KnownError) as caught:
        EXPORTS[kind](scene, target)
    monkeypatch.undo()
    message = str(caught.value)
    assert message == (
        f"Could not save {target.name}: the file or its folder cannot be written to. "
        "Save it in a folder you can write to, such as your Documents folder."
    )
    assert target.read_bytes() == b"the earlier picture"
    assert names(tmp_path) == sorted(["session", target.name])


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
@pytest.mark.parametrize("kind", EXPORTS)
def test_a_folder_without_write_permission_is_a_sentence(
    scene: CanvasScene, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(KnownError, match="cannot be written to. Save it in a folder you can write to"):
            EXPORTS[kind](scene, folder / f"canvas.{kind}")
        assert names(folder) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_folder_that_is_gone_or_a_name_that_is_a_folder(
    scene: CanvasScene, tmp_path: Path, kind: str
) -> None:
    with pytest.raises(
        KnownError,
        match="^Could not save canvas.[a-z]+: the folder does not exist. Choose a folder that exists.$",
    ):
        EXPORTS[kind](scene, tmp_path / "gone" / f"canvas.{kind}")
    taken = tmp_path / f"taken.{kind}"
    taken.mkdir()
    with pytest.raises(
        KnownError,
        match="^Could not save taken.[a-z]+: a folder has that name. Choose another name for the file.$",
    ):
        EXPORTS[kind](scene, taken)
    assert names(tmp_path) == sorted(["session", taken.name])


# --- a full disk, by the fault shim -------------------------------------------------------------

FULL_DISK = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from coprod_desktop.domain.errors import KnownError
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.canvas import export_png, export_svg
from coprod_desktop.ui.steps.canvas.scene import CanvasScene
document = SessionDocument.open(Path(SESSION))
scene = CanvasScene(document)
try:
    if KIND == "png":
        export_png(scene, Path(TARGET))
    else:
        export_svg(scene, Path(TARGET))
except KnownError as exc:
    print(f"coprod-desktop: {exc}", file=sys.stderr)
    raise SystemExit(2)
finally:
    document.close()
"""


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shim(tmp_path_factory.mktemp("shim"))


@pytest.fixture(scope="module")
def session_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("canvas-session") / "canvas.coprod"
    SessionDocument.create(path, build_sample(load_builtin_template())).close()
    return path


@pytest.mark.parametrize("kind", EXPORTS)
@pytest.mark.parametrize("budget", [0, 4096])
@pytest.mark.parametrize("earlier", [False, True], ids=["new", "replacing"])
def test_a_full_disk_is_one_sentence_and_spoils_nothing(
    shim: Path, session_file: Path, tmp_path: Path, kind: str, budget: int, earlier: bool
) -> None:
    folder = tmp_path / "full"
    folder.mkdir()
    target = folder / f"canvas.{kind}"
    if earlier:
        target.write_bytes(b"the earlier picture")
    code = (
        FULL_DISK.replace("SESSION", repr(str(session_file)))
        .replace("TARGET", repr(str(target)))
        .replace("KIND", repr(kind))
    )
    before = hashlib.sha256(session_file.read_bytes()).hexdigest()
    result = run_faulty(shim, folder, code, enospc_after=budget)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        f"coprod-desktop: Could not save {target.name}: the disk is full. "
        "Free some space on the disk, or save it in another folder."
    )
    assert names(folder) == ([target.name] if earlier else [])
    if earlier:
        assert target.read_bytes() == b"the earlier picture"
    assert hashlib.sha256(session_file.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_saved_picture_survives_a_power_cut(
    shim: Path, session_file: Path, tmp_path: Path, kind: str
) -> None:
    """Once the export returns, its rename is on the disk: the folder was flushed after it."""
    folder = tmp_path / "pictures"
    folder.mkdir()
    target = folder / f"canvas.{kind}"
    target.write_bytes(b"the earlier picture")
    code = (
        FULL_DISK.replace("SESSION", repr(str(session_file)))
        .replace("TARGET", repr(str(target)))
        .replace("KIND", repr(kind))
    )
    code += "print('saved', flush=True)\nos._exit(0)\n"
    result = run_faulty(shim, folder, code, power_cut=True)
    assert result.stdout.strip() == "saved", result.stderr
    power_cut(folder)
    assert looks_whole(kind, target.read_bytes()), "the new picture was lost with the power"
