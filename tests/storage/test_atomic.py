"""The one path every file write takes: whole or not at all, durable when it returns,
with the umask's permissions, and no leftovers from killed saves."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from coprod_desktop.app import main
from coprod_desktop.domain.model import Session, WorkshopInfo
from coprod_desktop.report.csvexport import _cell
from coprod_desktop.storage.atomic import (
    UnreadableFile,
    atomic_write,
    clean_stale_temporaries,
    read_user_text,
)
from coprod_desktop.storage.sessionfile import SessionFile

from .faults import build_shim, power_cut, run_faulty


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shim(tmp_path_factory.mktemp("shim"))


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_permissions_of_the_umask(tmp_path: Path, mask: int) -> None:
    with umask(mask):
        with atomic_write(tmp_path / "a.json") as stream:
            stream.write(b"{}")
        SessionFile.create(tmp_path / "s.coprod", Session()).close()
    assert mode(tmp_path / "a.json") == 0o666 & ~mask
    assert mode(tmp_path / "s.coprod") == 0o666 & ~mask


def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "kept.json"
    target.write_text("old")
    target.chmod(0o644)
    with umask(0o077), atomic_write(target) as stream:
        stream.write(b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o644


def test_every_export_gets_the_umask_permissions(tmp_path: Path) -> None:
    session = tmp_path / "s.coprod"
    with umask(0o022):
        assert main(["demo", str(session)]) == 0
        pdf, js, csv = tmp_path / "s.pdf", tmp_path / "s.json", tmp_path / "csv"
        assert main(["export", str(session), "--json", str(js), "--pdf", str(pdf), "--csv", str(csv)]) == 0
    for written in (session, pdf, js, *csv.iterdir()):
        assert mode(written) == 0o644, written.name


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "kept.txt"
    target.write_text("old")

    def stopped_half_way() -> None:
        with atomic_write(target) as stream:
            stream.write(b"half")
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        stopped_half_way()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.txt"]


KILLED_SAVE = """
import os
from pathlib import Path
from coprod_desktop.storage.atomic import atomic_write
with atomic_write(Path({target!r})) as stream:
    stream.write(b"half of a save")
    stream.flush()
    os._exit(9)
"""


def test_a_killed_save_leaves_a_temporary_that_the_next_save_or_open_removes(tmp_path: Path) -> None:
    import subprocess
    import sys

    session = tmp_path / "s.coprod"
    SessionFile.create(session, Session()).close()
    repo = Path(__file__).resolve().parents[2]
    code = KILLED_SAVE.format(target=str(tmp_path / "export.json"))
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(repo)}, check=False)
    left = [p.name for p in tmp_path.iterdir() if p.name != "s.coprod"]
    assert len(left) == 1
    assert left[0].startswith(".export.json.")
    # A killed session save leaves SQLite's journal of the temporary file too.
    (tmp_path / (left[0] + "-journal")).write_bytes(b"journal")
    with SessionFile.open(session):
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["s.coprod"]


def test_a_temporary_still_being_written_is_not_cleaned(tmp_path: Path) -> None:
    busy = tmp_path / ".s.coprod.0123456789abcdef.partial"
    stale = tmp_path / ".t.pdf.fedcba9876543210.partial"
    mine = tmp_path / ".hidden-notes.partial"
    for item in (busy, stale, mine):
        item.write_bytes(b"x")
    fd = os.open(busy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running save holds it
        assert clean_stale_temporaries(tmp_path) == [stale.name]
    finally:
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([busy.name, mine.name])


WRITERS = {
    "export": "from coprod_desktop.storage.atomic import atomic_write\n"
    "with atomic_write(Path({target!r})) as s: s.write(b'new content')\n",
    "create": "from coprod_desktop.domain.model import Session, WorkshopInfo\n"
    "from coprod_desktop.storage.sessionfile import SessionFile\n"
    "SessionFile.create(Path({target!r}), Session(info=WorkshopInfo(title='new content'))).close()\n",
    "copy": "from coprod_desktop.storage.sessionfile import SessionFile\n"
    "with SessionFile.open(Path({source!r})) as f: f.save_copy(Path({target!r}))\n",
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_finished_write_survives_a_power_cut(shim: Path, tmp_path: Path, writer: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    source = tmp_path / "source.coprod"
    SessionFile.create(source, Session(info=WorkshopInfo(title="new content"))).close()
    target = folder / ("t.coprod" if writer != "export" else "t.json")
    target.write_bytes(b"old content")
    code = "import os\nfrom pathlib import Path\n" + WRITERS[writer].format(
        target=str(target), source=str(source)
    )
    code += "print('saved', flush=True)\nos._exit(0)\n"
    result = run_faulty(shim, folder, code, power_cut=True)
    assert result.stdout.strip() == "saved", result.stderr
    power_cut(folder)
    assert target.read_bytes() != b"old content", "the replace was lost with the power"
    if writer == "export":
        assert target.read_bytes() == b"new content"
    else:
        with SessionFile.open(target, read_only=True) as opened:
            assert opened.load().info.title == "new content"


def test_a_fifo_or_a_folder_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_user_text(fifo)
    with pytest.raises(UnreadableFile, match="folder"):
        read_user_text(tmp_path)


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", "  =1+1", "\r\n@x"]
)
def test_csv_cells_that_could_start_a_formula_are_guarded(text: str) -> None:
    guarded = _cell(text)
    assert isinstance(guarded, str)
    assert guarded.startswith("'")


def test_plain_csv_cells_are_left_alone() -> None:
    assert _cell("Agreed - with a dash") == "Agreed - with a dash"
    assert _cell(3) == 3


def test_listing_templates_cleans_what_a_killed_template_save_left(tmp_path: Path) -> None:
    from coprod_desktop.storage.templates import available_templates

    (tmp_path / "Mine.toml").write_text('name = "Mine"\n', encoding="utf-8")
    stale = tmp_path / ".Mine.toml.00112233445566ff.partial"
    stale.write_bytes(b"half a template")
    names = [t.name for t in available_templates(tmp_path) if not t.builtin]
    assert names == ["Mine"]
    assert not stale.exists()


# --- names as long as the file system allows -----------------------------------------------


@pytest.mark.parametrize("name", ["a" * 250 + ".json", "é" * 125 + ".pdf", "ü" * 100 + "x" * 50 + ".csv"])
def test_a_name_as_long_as_the_folder_allows_is_written(tmp_path: Path, name: str) -> None:
    """The temporary beside a long name is cut to fit: the export is not refused with
    'the name is too long' when the name itself is fine."""
    assert len(os.fsencode(name)) <= 255
    target = tmp_path / name
    with atomic_write(target) as stream:
        stream.write(b"whole")
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_the_temporary_of_a_long_name_is_still_found_and_cleaned(tmp_path: Path) -> None:
    from coprod_desktop.storage.atomic import temporary_name

    name = "z" * 254
    temp = temporary_name(name, tmp_path)
    assert len(os.fsencode(temp + "-journal")) <= 255
    (tmp_path / temp).write_bytes(b"half a save")
    (tmp_path / (temp + "-journal")).write_bytes(b"its journal")
    assert sorted(clean_stale_temporaries(tmp_path)) == sorted([temp, temp + "-journal"])


def test_a_session_name_too_long_for_its_journal_is_refused_before_it_is_made(tmp_path: Path) -> None:
    """SQLite keeps NAME-journal beside a session: a name with no room for it would make a
    file that takes no edit ever. It is refused at once, with the true reason."""
    from coprod_desktop.storage.sessionfile import SessionFileError

    fits = tmp_path / ("s" * (255 - len(".coprod-journal")) + ".coprod")
    SessionFile.create(fits, Session(info=WorkshopInfo(title="fits"))).close()
    with SessionFile.open(fits) as opened:
        info = opened.load().info
        from coprod_desktop.domain.changes import Change
        from coprod_desktop.domain.model import replace

        opened.write([Change(info, replace(info, place="Room 2"))])
    too_long = tmp_path / ("t" * (256 - len(".coprod-journal")) + ".coprod")
    with pytest.raises(SessionFileError, match="the name is too long"):
        SessionFile.create(too_long, Session())
    assert sorted(p.name for p in tmp_path.iterdir()) == [fits.name]


def test_why_a_save_failed_is_said_in_the_language_of_the_screens() -> None:
    import errno

    from coprod_desktop.domain.i18n import using
    from coprod_desktop.storage.atomic import plain_os_error

    for code in (errno.ENOSPC, errno.EACCES, errno.ELOOP, errno.ENOENT, errno.ENAMETOOLONG, errno.EISDIR, errno.EIO):
        english = plain_os_error(OSError(code, "system words"))
        assert english != "system words"
        for lang in ("cy", "ar"):
            with using(lang):
                said = plain_os_error(OSError(code, "system words"))
            assert said, (lang, code)
            assert said != english, (lang, code, said)
