"""Every file the app writes goes through here, and so does every user file it reads.

Writing (`atomic_write` for a stream of bytes, `atomic_path` for SQLite, which
wants a path): the new content goes into a temporary file in the target's own
folder, is fsynced, renamed over the target in one step, and then the folder is
fsynced, so after a crash or a power cut the target is either the old file or
the whole new one, and a "saved" that was shown stays saved. The new file gets
the permissions the user's umask gives (or, when it replaces a file, that
file's permissions), not the 0600 of a bare temporary file.

A temporary file is locked (`flock`) while it is written. A save killed half way
leaves one behind; `clean_stale_temporaries` removes those it can lock, which
are exactly the ones no running save still holds, and is called whenever a
folder is written to or a session in it is opened.

Reading (`read_user_text`): a user's file is opened without blocking and read
only if it is a regular file of a sane size, so a FIFO, a device or a symlink
loop gives a sentence instead of a hang or a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..domain.i18n import _

__all__ = [
    "atomic_path",
    "atomic_write",
    "cannot_save",
    "clean_stale_temporaries",
    "fsync_folder",
    "plain_os_error",
    "read_user_text",
]

TEMP_SUFFIX = ".partial"
# .NAME.<16 hex>.partial, with SQLite's own side files of a temporary session.
_OURS = re.compile(r"^\..+\.[0-9a-f]{16}\.partial(-journal|-wal|-shm)?$")
# What earlier versions left (tempfile.mkstemp names); no lock to test, so only when old.
_EARLIER = re.compile(r"^\..+-[a-z0-9_]{8}\.tmp(-journal)?$")
_EARLIER_AGE = 3600.0
MAX_TEXT_BYTES = 64 * 1024 * 1024  # far beyond any real export or template


def plain_os_error(exc: OSError) -> str:
    """What went wrong, as the middle of a sentence a facilitator can act on, in the language
    of the screens (the system's own words for an error we do not name)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return _("the disk is full")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("the file or its folder cannot be written to")
    if code == errno.ELOOP:
        return _("its name leads round a loop of links")
    if code == errno.ENOENT:
        return _("the folder does not exist")
    if code == errno.ENAMETOOLONG:
        return _("the name is too long")
    if code == errno.EISDIR:
        return _("it is a folder")
    if code == errno.EIO:
        return _("the disk reported an error")
    return (exc.strerror or str(exc)).rstrip(".").lower()


def cannot_save(name: str, exc: OSError) -> str:
    """One sentence for a file the app could not write: its name, why, and what the
    facilitator can do about it, in the language of the screens."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        reason = _("the disk is full")
        advice = _("Free some space on the disk, or save it in another folder.")
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = _("the file or its folder cannot be written to")
        advice = _("Save it in a folder you can write to, such as your Documents folder.")
    elif code == errno.EISDIR:
        reason = _("a folder has that name")
        advice = _("Choose another name for the file.")
    elif code == errno.ENOENT:
        reason = _("the folder does not exist")
        advice = _("Choose a folder that exists.")
    elif code == errno.ENOMEM:
        reason = _("there is not enough memory to make it")
        advice = _("Close other programs and try again.")
    else:
        reason = plain_os_error(exc)
        advice = _("Try again, or save it in another folder.")
    return _("Could not save {file}: {reason}. {advice}").format(file=name, reason=reason, advice=advice)


def _umask() -> int:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, ValueError):
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    with contextlib.suppress(OSError):
        found = os.stat(target)
        if stat.S_ISREG(found.st_mode):
            return stat.S_IMODE(found.st_mode)
    return 0o666 & ~_umask()


# What a temporary's name adds to its target's: ".", ".<16 hex>", ".partial", and the
# "-journal" SQLite puts beside a temporary session.
_TEMP_EXTRA = len(".") + len(".") + 16 + len(TEMP_SUFFIX) + len("-journal")


def _name_max(folder: Path) -> int:
    """The longest name, in bytes, a file in `folder` may have (255 on most file systems)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    return 255


def temporary_name(name: str, folder: Path) -> str:
    """A fresh hidden name beside `name` in `folder`, never longer than the folder allows: a
    target whose own name is near the limit is still saved (its temporary's name is cut)."""
    room = max(_name_max(folder) - _TEMP_EXTRA, 1)
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}.{os.urandom(8).hex()}{TEMP_SUFFIX}"


def fsync_folder(folder: Path) -> None:
    """Make a rename or removal in `folder` survive a power cut (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock(fd: int) -> bool:
    if os.name != "posix":
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


# The longest side file SQLite keeps beside a session: NAME-journal (then -wal, -shm).
_LONGEST_SIDE = "-journal"


@contextlib.contextmanager
def atomic_path(target: Path, *, side_files: bool = True) -> Iterator[Path]:
    """A fresh, empty, locked temporary file beside `target` for the caller to fill
    (by path: SQLite accepts an empty file as a new database); on success it is
    fsynced and replaces `target`. On failure nothing of it is left.

    With `side_files` (a session: SQLite keeps NAME-journal, NAME-wal beside it), a
    name too long to have them is refused before anything is written: such a file
    could be made, but no edit could ever be saved to it."""
    target = Path(target)
    folder = target.parent
    if side_files and len(os.fsencode(target.name + _LONGEST_SIDE)) > _name_max(folder):
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(target))
    clean_stale_temporaries(folder)
    temp = folder / temporary_name(target.name, folder)
    mode = _mode_for(target)
    fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _lock(fd)
        yield temp
        os.chmod(temp, mode)
        # The caller may have written through another descriptor (SQLite): sync by this one.
        os.fsync(fd)
        if os.name != "posix":  # Windows cannot rename a file that is still open
            os.close(fd)
            fd = -1
        os.replace(temp, target)
    except BaseException:
        _remove_temporary(temp)
        raise
    finally:
        if fd >= 0:
            os.close(fd)
    fsync_folder(folder)


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[BinaryIO]:
    """Write to a temporary file beside `target`, then replace it: never a half-written file."""
    with atomic_path(Path(target), side_files=False) as temp, open(temp, "r+b") as stream:
        yield stream
        stream.flush()


def _remove_temporary(temp: Path) -> None:
    for leftover in (temp, *(temp.with_name(temp.name + s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def clean_stale_temporaries(folder: Path) -> list[str]:
    """Remove what killed saves left in `folder`; returns the names removed."""
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for name in names:
        path = folder / name
        if _OURS.match(name):
            main = path if name.endswith(TEMP_SUFFIX) else path.with_name(name.rsplit("-", 1)[0])
            if main != path and main.exists():
                continue  # removed with its main file below, if that is stale
            if not _unheld(main if main.exists() else path):
                continue
        elif _EARLIER.match(name):
            try:
                if now - path.stat().st_mtime < _EARLIER_AGE:
                    continue
            except OSError:
                continue
        else:
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(name)
            if path.name.endswith(TEMP_SUFFIX):
                for side in ("-journal", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        path.with_name(name + side).unlink()
                        removed.append(name + side)
    return removed


def _unheld(path: Path) -> bool:
    """Whether no running save holds the temporary file `path` (a regular file only)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and _lock(fd)
    finally:
        os.close(fd)


class UnreadableFile(OSError):
    """A user's file that is not a regular file, or too big; `str()` says why."""

    def __str__(self) -> str:
        return str(self.strerror)


def read_user_text(path: Path, *, limit: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of a user's file. Raises UnicodeDecodeError, or OSError
    (UnreadableFile for a FIFO, a device, a folder or a huge file) without blocking."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        found = os.fstat(fd)
        if stat.S_ISDIR(found.st_mode):
            raise UnreadableFile(errno.EISDIR, _("it is a folder, not a file"), str(path))
        if not stat.S_ISREG(found.st_mode):
            raise UnreadableFile(errno.EINVAL, _("it is not a regular file (a pipe or a device)"), str(path))
        if found.st_size > limit:
            raise UnreadableFile(
                errno.EFBIG,
                _("it is larger than {megabytes} MB").format(megabytes=limit // (1024 * 1024)),
                str(path),
            )
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnreadableFile(
            errno.EFBIG,
            _("it is larger than {megabytes} MB").format(megabytes=limit // (1024 * 1024)),
            str(path),
        )
    return data.decode("utf-8")
