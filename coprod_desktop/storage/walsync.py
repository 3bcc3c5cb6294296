"""Making commits durable on a thread of its own, so the GUI thread never waits for the disk.

A `SessionFile` in WAL mode commits without an fsync (its commits are then safe from a
crash of the app, not yet from a power cut); `WalSyncer` fsyncs the log behind it and
says, commit number by commit number, when they are on the disk. One fsync covers every
commit made before it began, so a burst of edits costs one wait, not one each. Only then
does the app acknowledge an edit ("✓ saved", a phone's "✓ received").

The syncer also copies the log into the file now and then, from a connection of its own,
so that the GUI thread's connection never does it inside an edit, and empties the log, so that
the GUI thread's next commit need not fsync it either. SQLite makes a commit that starts the
log afresh (after a checkpoint copied all of it) fsync the log's header before anything else;
on a slow disk that commit would hold the GUI thread for an fsync, once every few hundred votes.
So the syncer, in a pause between edits (`QUIET_SECONDS` without a commit):

1. copies the log into the file (a passive checkpoint, which stops no commit: its fsyncs of
   the log and the file run beside any edit);
2. if no commit came meanwhile, empties the log (a checkpoint in TRUNCATE mode with nothing left
   to copy: no fsync, no wait), holding the file's `writing` lock for that moment only;
3. syncs the emptied log, and says so to the file (`log_empty_on_disk`): its next commit starts
   the log afresh without the fsync, as the session's first commit does; the syncer's next sync
   makes it durable, before it is acknowledged.

A commit that comes at step 2 puts the emptying off to the next pause; one during step 3 makes
its own fsync, as SQLite would. Should edits never pause, the log is copied anyway once it holds
`FORCE_BYTES`, and the GUI thread's commit after that may fsync, as before.

The syncer also keeps zeros ahead of the log's frames (`_lengthen_log`, up to
`CHECKPOINT_BYTES`, in a pause, or right after a sync when the frames are nearly at them): a
commit then overwrites them rather than making the log longer, and its fsync has no new length
to record. On ext4 that fsync commits no journal transaction, so it waits for no journal
thread (which on a busy machine waits for a core). Measured in the vote benchmark against the
log growing commit by commit, a commit's fsync (median) 0.50-0.62 -> 0.33-0.37 ms at load 2-4
and 3.25 -> 0.44 ms at load 6-9, and the sync thread's CPU per vote 0.36-0.50 -> 0.29-0.36 ms.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable

from ..domain.errors import SessionFileError
from .sessionfile import SessionFile

# Copy the log into the file once it holds this much (about 500 votes' pages), in a pause
# of QUIET_SECONDS without a commit; or at once, pause or not, once it holds FORCE_BYTES.
CHECKPOINT_BYTES = 4 * 1024 * 1024
FORCE_BYTES = 16 * 1024 * 1024
QUIET_SECONDS = 0.1
# The log is kept this far ahead of its frames with zeros, a step at a time, up to
# CHECKPOINT_BYTES, in a pause, or at once when fewer than LOG_LOW_BYTES are left (see
# `_lengthen_log`).
LOG_AHEAD_BYTES = 256 * 1024
LOG_LOW_BYTES = 64 * 1024
LOG_STEP_BYTES = 1024 * 1024


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
        self._tidy = False  # the log is long: copy it into the file and empty it in a pause
        self._held = False  # the last try failed: the next one after the next sync
        self._lengthen = False  # zeros are to be added to the log in the next pause
        self.emptied = 0  # how many times the log was emptied (for tests)
        self._side: sqlite3.Connection | None = None
        file.sync_beside = True
        file.prefer_wal = not file.read_only
        if file.wal:
            # The GUI thread's connection never checkpoints inside an edit; this thread does.
            file._conn.execute("PRAGMA wal_autocheckpoint=0")
        # Started when first needed (the first commit): starting a thread waits until it has
        # run, which on a loaded machine is a wait for a core on the way to the first frame.
        self._thread: threading.Thread | None = None

    def _started(self) -> threading.Thread:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="session file sync", daemon=True)
            self._thread.start()
        return self._thread

    @property
    def synced(self) -> int:
        with self._lock:
            return self._synced

    def request(self, number: int) -> None:
        """Commit `number` (and every one before it) is to be made durable."""
        with self._lock:
            if number <= self._requested:
                return
            self._requested = number
            self._lock.notify_all()
        self._started()

    def forget_history(self) -> None:
        """Copy the log into the file and empty it soon (a voter handed back a secret ballot:
        the log's pages would say in what order the file changed). Best effort; closing the
        file always does it."""
        with self._lock:
            self._forget = True
            self._lock.notify_all()
        self._started()

    def wait(self, number: int | None = None) -> tuple[int, str]:
        """Block until commit `number` (default: the file's last) is durable; returns the
        number synced and the error of that sync, if any."""
        target = self._file.commits if number is None else number
        self.request(target)
        with self._lock:
            if self._synced >= target:
                return self._synced, self._error
        thread = self._started()
        with self._lock:
            while self._synced < target and thread.is_alive():
                self._lock.wait(0.5)
            return self._synced, self._error

    def stop(self) -> tuple[int, str]:
        """Sync what is left, stop the thread and hand syncing back to the file."""
        done = self.wait()
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._thread is not None:
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
                    quiet = False
                    while self._requested <= self._synced and not self._stopping:
                        if not (self._tidy or self._forget or self._lengthen) or self._held:
                            self._lock.wait()
                        elif not self._lock.wait(QUIET_SECONDS):
                            quiet = self._requested <= self._synced  # no commit for a while
                            break
                    lengthen = False
                    if quiet and not self._stopping:
                        forget = self._forget if self._tidy or self._forget else None
                        lengthen, self._lengthen = self._lengthen, False
                    elif self._requested <= self._synced:
                        return  # stopping, and nothing is left to sync
                    else:
                        forget = None
                        target = self._requested
                if lengthen and forget is None:
                    self._lengthen_log(self._file.wal_size(), paused=True)
                    continue
                if forget is not None:
                    done = self._empty_log() or not self._file.wal  # (no log, nothing to empty)
                    with self._lock:
                        if done:
                            self._tidy = False
                            if forget:
                                self._forget = False
                            self._lengthen = self._file.wal  # zeros again, in this pause
                        else:
                            self._held = True
                    continue
                error = ""
                try:
                    self._file.sync()
                except SessionFileError as exc:
                    error = str(exc)
                with self._lock:
                    self._synced = target
                    self._error = error
                    self._held = False
                    self._lock.notify_all()
                self._on_synced(target, error)
                if not error:
                    size = self._file.wal_size()
                    if size > FORCE_BYTES:
                        self._empty_log()  # no pause came: copy it all the same
                    elif size > CHECKPOINT_BYTES:
                        with self._lock:
                            self._tidy = True
                    else:
                        self._lengthen_log(size)
        finally:
            if self._side is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._side.close()
                self._side = None

    def _lengthen_log(self, size: int, *, paused: bool = False) -> None:
        """Keep zeros ahead of the log's frames (`SessionFile.lengthen_wal`), so that a commit's
        fsync need not record a longer file: on ext4 it then takes about half the CPU and
        commits no journal transaction (no wait for the journal's kernel thread, which on a
        busy machine waits for a core). A step of LOG_STEP_BYTES, synced at once so that the
        commits after it find the length on disk, is taken in a pause between edits once fewer
        than LOG_AHEAD_BYTES are left (`paused`, or put off to the next pause); right after an
        acknowledged sync once fewer than LOG_LOW_BYTES are left (edits that never pause), a
        step of LOG_AHEAD_BYTES."""
        used = self._file.wal_used()
        if used is None or size >= CHECKPOINT_BYTES or size - used >= LOG_AHEAD_BYTES:
            return
        if not paused and size - used >= LOG_LOW_BYTES:
            with self._lock:
                self._lengthen = True  # in the next pause: no commit waits for its sync then
            return
        # Between edits, a whole step; at once (the GUI thread may be busy), a step of
        # LOG_AHEAD_BYTES only: one piece of zeros, a GIL hand-off less for every 256 KiB.
        step = LOG_STEP_BYTES if paused else LOG_AHEAD_BYTES
        if self._file.lengthen_wal(min(max(size, used) + step, CHECKPOINT_BYTES)):
            with contextlib.suppress(SessionFileError):  # the next commit's sync says so
                self._file.sync()

    def _empty_log(self) -> bool:
        """Copy the log into the file and empty it, keeping the GUI thread's commits from
        waiting for it (see the module's notes); True once the log is empty on disk."""
        file = self._file
        if not file.wal:
            return False
        before = file.commits
        copied = self._checkpoint("PASSIVE")
        if copied is None or copied[0] or copied[1] != copied[2]:
            return False  # busy, or commits came meanwhile: the next pause
        with file.writing:
            if file.commits != before:
                return False  # a commit came after the copy: the log has frames again
            emptied = self._checkpoint("TRUNCATE", wait=False)  # nothing to copy: no fsync
        if emptied is None or emptied[0]:
            return False
        try:
            file.sync()  # the emptying, on disk
        except SessionFileError:
            return False
        with file.writing:
            if file.commits != before:
                return False  # that commit made its own fsync of the log's header
            file.log_empty_on_disk = True
        self.emptied += 1
        return True

    def _checkpoint(self, mode: str, *, wait: bool = True) -> tuple[int, int, int] | None:
        """Copy the log into the file: PASSIVE without stopping the app's writes, TRUNCATE
        emptying it too. Without `wait`, a checkpoint that would wait for a reader or writer
        gives up at once. Returns SQLite's (busy, frames in the log, frames copied); None on an
        error, left to the next try."""
        try:
            if self._side is None:
                self._side = sqlite3.connect(self._file.path, timeout=0.2, isolation_level=None)
                self._side.execute("PRAGMA synchronous=NORMAL")
            if not wait:
                self._side.execute("PRAGMA busy_timeout=0")
            try:
                row = self._side.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
            finally:
                if not wait:
                    self._side.execute("PRAGMA busy_timeout=200")
            return int(row[0]), int(row[1]), int(row[2])
        except sqlite3.Error:
            if self._side is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._side.close()
            self._side = None
            return None
