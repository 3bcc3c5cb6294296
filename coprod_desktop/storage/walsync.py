"""Making commits durable on a thread of its own, so the GUI thread never waits for the disk.

A `SessionFile` in WAL mode commits without an fsync (its commits are then safe from a
crash of the app, not yet from a power cut); `WalSyncer` fsyncs the log behind it and
says, commit number by commit number, when they are on the disk. One fsync covers every
commit made before it began, so a burst of edits costs one wait, not one each. Only then
does the app acknowledge an edit ("✓ saved", a phone's "✓ received").

The syncer also copies the log into the file now and then (a passive checkpoint, from a
connection of its own), so that the GUI thread's connection never does it inside an edit.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable

from ..domain.errors import SessionFileError
from .sessionfile import SessionFile

# Copy the log into the file once it holds this much (about 500 votes' pages).
CHECKPOINT_BYTES = 4 * 1024 * 1024


class WalSyncer:
    """Syncs `file`'s commits behind it. `on_synced(number, error)` is called from the
    syncer's thread once every commit up to `number` is on disk (error "") or the disk
    refused to say so (error: a plain sentence)."""

    def __init__(self, file: SessionFile, on_synced: Callable[[int, str], None]) -> None:
        self._file = file
        self._on_synced = on_synced
        self._lock = threading.Condition()
        self._requested = file.commits
        self._synced = file.commits
        self._error = ""
        self._stopping = False
        self._forget = False  # copy the log into the file and empty it, at the next chance
        self._side: sqlite3.Connection | None = None
        file.sync_beside = True
        file.prefer_wal = not file.read_only
        if file.wal:
            # The GUI thread's connection never checkpoints inside an edit; this thread does.
            file._conn.execute("PRAGMA wal_autocheckpoint=0")
        self._thread = threading.Thread(target=self._run, name="session file sync", daemon=True)
        self._thread.start()

    @property
    def synced(self) -> int:
        with self._lock:
            return self._synced

    def request(self, number: int) -> None:
        """Commit `number` (and every one before it) is to be made durable."""
        with self._lock:
            if number > self._requested:
                self._requested = number
                self._lock.notify_all()

    def forget_history(self) -> None:
        """Copy the log into the file and empty it soon (a voter handed back a secret ballot:
        the log's pages would say in what order the file changed). Best effort; closing the
        file always does it."""
        with self._lock:
            self._forget = True
            self._lock.notify_all()

    def wait(self, number: int | None = None) -> tuple[int, str]:
        """Block until commit `number` (default: the file's last) is durable; returns the
        number synced and the error of that sync, if any."""
        target = self._file.commits if number is None else number
        self.request(target)
        with self._lock:
            while self._synced < target and self._thread.is_alive():
                self._lock.wait(0.5)
            return self._synced, self._error

    def stop(self) -> tuple[int, str]:
        """Sync what is left, stop the thread and hand syncing back to the file."""
        done = self.wait()
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        self._thread.join()
        self._file.sync_beside = False
        self._file.prefer_wal = False
        if self._file.wal:
            with contextlib.suppress(sqlite3.Error):
                self._file._conn.execute("PRAGMA wal_autocheckpoint=1000")
        return done

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    while self._requested <= self._synced and not self._stopping and not self._forget:
                        self._lock.wait()
                    if self._forget and self._requested <= self._synced:
                        self._forget = False
                        forget = True
                    else:
                        forget = False
                    if not forget and self._requested <= self._synced:
                        return  # stopping, and nothing is left to sync
                    target = self._requested
                if forget:
                    self._checkpoint("TRUNCATE")
                    continue
                error = ""
                try:
                    self._file.sync()
                except SessionFileError as exc:
                    error = str(exc)
                with self._lock:
                    self._synced = target
                    self._error = error
                    self._lock.notify_all()
                self._on_synced(target, error)
                if not error and self._file.wal_size() > CHECKPOINT_BYTES:
                    self._checkpoint()
        finally:
            if self._side is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._side.close()
                self._side = None

    def _checkpoint(self, mode: str = "PASSIVE") -> None:
        """Copy the log into the file: PASSIVE without stopping the app's writes (the log is
        then reused from its start by the next commit), TRUNCATE emptying it too (only when
        no commit is under way: it gives up at once otherwise). Errors are left to the next try."""
        try:
            if self._side is None:
                self._side = sqlite3.connect(self._file.path, timeout=0.2, isolation_level=None)
                self._side.execute("PRAGMA synchronous=NORMAL")
            self._side.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error:
            if self._side is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._side.close()
            self._side = None
