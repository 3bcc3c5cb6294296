"""Knowing that another running copy of the app has a session file open.

The lock is an operating-system lock held for as long as the session is open,
so it vanishes with the process: a crash or a pulled plug never leaves a stale
lock behind, and no extra file sits beside the session.

- On POSIX it is `flock` on the session file itself. `flock` locks are separate
  from the `fcntl` byte-range locks SQLite uses, so the two never interfere; the
  descriptor is closed only after SQLite's connection, because closing any
  descriptor of a file drops that process's `fcntl` locks on it.
- On Windows it is a one-byte lock inside the page SQLite reserves for its own
  locks and never reads or writes (offset 2**30), beyond the bytes SQLite locks.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

_WINDOWS_LOCK_OFFSET = 0x40000000 + 2048


class FileLock:
    """An exclusive, non-blocking lock on one file; `acquire` says if it got it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        flags = os.O_RDONLY if sys.platform != "win32" else os.O_RDWR | getattr(os, "O_BINARY", 0)
        # Never wait on a pipe or a device that stands where a session should be.
        flags |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags)
        except OSError:
            # Unreadable for locking (for example a read-only share on Windows):
            # treat as free, the read-only path will handle it.
            return True
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return True  # not a session file: nothing of ours can hold it
        if not _try_lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def is_locked(path: Path) -> bool:
    """Whether some other open session holds `path` right now."""
    probe = FileLock(path)
    if probe.acquire():
        probe.release()
        return False
    return True


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
