"""The session file: SQLite as an application file format.

- `PRAGMA application_id` marks the file as ours; `PRAGMA user_version` holds the
  schema version, and the schema grows by sqlite-utils `Migrations`.
- A closed session is one self-contained file in DELETE journal mode, with
  `synchronous=EXTRA`. The app's sessions (`prefer_wal`, set by `storage/walsync.py`)
  switch to WAL mode with `synchronous=NORMAL` at their first write (so a session opened
  and closed unedited is left byte for byte as it was; the switch makes no fsync on the
  writing thread, `sync()` makes it durable with the first commit): a commit then appends its pages
  to the `-wal` file and returns without waiting for the disk, and `sync()` then makes
  every commit so far durable with one fsync of that file. `write` does both, so it
  returns with the change on disk; the app hands the fsync to a thread of its own
  (`storage/walsync.py`) and acknowledges an edit only once it is on disk. A commit the
  disk never got is lost whole on a power cut and never half-applied (WAL frames carry
  checksums); a kill -9 loses nothing committed (the pages are in the system's cache).
  Closing checkpoints the log into the file, truncates it and goes back to DELETE mode,
  so no page history (of a secret ballot, say) is left beside the file. In DELETE mode
  (other writers, or where WAL is not available: a file system without shared memory)
  the commit point is the journal's removal, so the folder is synced after it (FULL
  stops short of that; EXTRA does it): otherwise a power cut can bring the journal back
  and roll an acknowledged edit away.
- Every edit is committed at once in one short transaction (`SessionFile.write`).
- Save As and Save a Copy use SQLite's backup API into a temporary file that
  then replaces the target, so no half-written file is ever left behind.
- Opening checks the file before trusting it and explains, in one sentence,
  anything that stops it; a file that cannot be opened is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import struct
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain.changes import Change
from ..domain.errors import SessionFileError
from ..domain.i18n import _
from ..domain.limits import LimitError, problem
from ..domain.model import (
    COLLECTIONS,
    ENTITY_BY_KIND,
    SINGLETONS,
    Entity,
    Session,
)
from .atomic import atomic_path, clean_stale_temporaries, fsync_folder, plain_os_error
from .codec import decode_rows, encode
from .lock import FileLock, is_locked
from .schema import ADDED_IN, APPLICATION_ID, KEY_ORDERED, SCHEMA_VERSION, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLite's write-ahead log: its header, each frame's header (before its page) and the
# version in its index's header (SQLite's "WAL-mode file format").
_WAL_HEADER_BYTES = 32
_WAL_FRAME_HEADER_BYTES = 24
_WAL_INDEX_VERSION = 3007000
_LENGTHEN_PIECE_BYTES = 256 * 1024  # zeros added to the log per hold of the writing lock
SUFFIX = ".coprod"

__all__ = ["SUFFIX", "Change", "FileHeader", "SessionFile", "read_header"]


@dataclass(frozen=True)
class FileHeader:
    is_sqlite: bool
    application_id: int
    user_version: int
    wal: bool = False  # the file is in write-ahead-log mode (bytes 18 and 19 are 2)


def read_header(path: Path) -> FileHeader:
    """The parts of the SQLite header we check, read as bytes (nothing is opened)."""
    with open(path, "rb") as stream:
        head = stream.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return FileHeader(False, 0, 0)
    (user_version,) = struct.unpack(">i", head[60:64])
    (application_id,) = struct.unpack(">i", head[68:72])
    return FileHeader(True, application_id, user_version, wal=head[18:20] == b"\x02\x02")


def _table(cls: type[Entity]) -> str:
    return cls.KIND


def _writable(path: Path) -> bool:
    # A rollback journal is created beside the file, so its folder must be writable too.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


# SQLite's primary result codes that mean the user's file or disk is the problem;
# any other code (a misuse, a constraint, a syntax error) is a bug and is raised as one.
_USER_CODES = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "the file or its folder cannot be written to",
    "SQLITE_PERM": "the file or its folder cannot be written to",
    "SQLITE_AUTH": "the file or its folder cannot be written to",
    "SQLITE_CANTOPEN": "the file or its folder cannot be opened",
    "SQLITE_BUSY": "another program is using the file",
    "SQLITE_LOCKED": "another program is using the file",
    "SQLITE_IOERR": "the disk reported an error",
    "SQLITE_CORRUPT": "the file is damaged",
    "SQLITE_NOTADB": "the file is damaged",
    "SQLITE_TOOBIG": "a value is too large to store",
    "SQLITE_NOMEM": "the computer ran out of memory",
    "SQLITE_PROTOCOL": "another program is using the file",
    "SQLITE_NOLFS": "the disk cannot hold a file this large",
}


def _primary(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    # Extended codes add a suffix to the primary one: SQLITE_IOERR_WRITE, SQLITE_READONLY_DIRECTORY.
    for primary in _USER_CODES:
        if name == primary or name.startswith(primary + "_"):
            return primary
    return name


def _is_user_problem(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return True
    return isinstance(exc, sqlite3.Error) and _primary(exc) in _USER_CODES


def _plain(exc: BaseException) -> str:
    """Why a file operation failed, as the middle of a sentence; only for user problems."""
    if isinstance(exc, OSError):
        return plain_os_error(exc)
    if isinstance(exc, sqlite3.Error):
        found = _USER_CODES.get(_primary(exc))
        if found is not None:
            return found
    return f"SQLite said: {exc}"


class SessionFile:
    """An open session file. Use `create` or `open`; close it when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: FileLock | None, read_only: bool):
        self.path = path
        self.read_only = read_only
        self._conn = conn
        self._lock = lock
        self._checked: Session | None = None
        self._statements: dict[tuple[str, str], str] = {}
        self.wal = False  # in WAL mode: commits need sync() to be durable
        self.prefer_wal = False  # switch to WAL mode at the next write (the app's sessions)
        self._wal_fd: int | None = None
        self._shm_fd: int | None = None  # the log's index, read for how much of the log is used
        # Between the switch to WAL and the first sync: the switch itself (the header's
        # bytes 18 and 19, the journal's removal, the log's name) is not on disk yet.
        self._switch_pending = False
        self._db_fd: int | None = None  # for fsyncing the header; closed after the connection
        self.commits = 0  # commits made through this object, numbered from 1
        self.durable = 0  # the last commit known to be on disk
        self.sync_beside = False  # write() leaves the fsync in WAL mode to a WalSyncer
        # Held by every write transaction; a WalSyncer holds it for the moment it empties the log
        # (nothing to copy then, so never across an fsync), so no commit comes in between.
        self.writing = threading.Lock()
        # The log is empty, and its emptying is on disk (a WalSyncer made it so): the next commit,
        # which starts the log afresh, need not sync the log's header first (see `write`).
        self.log_empty_on_disk = False

    # --- opening and creating -----------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], session: Session) -> SessionFile:
        """Write `session` as a new file at `path` (replacing what is there) and open it."""
        target = Path(path)
        _refuse_special(target)
        if target.exists() and is_locked(target):
            raise SessionFileError(
                _(
                    "{name} is open in another copy of coprod-desktop; close it there first, or "
                    "choose another name."
                ).format(name=target.name)
            )
        for entity in session.all_entities():
            found = problem(entity)
            if found is not None:
                raise SessionFileError(
                    _("Could not save {name}: {problem}.").format(name=target.name, problem=found)
                )
        try:
            with atomic_path(target) as temp:
                conn = sqlite3.connect(temp)
                try:
                    _configure(conn)
                    _migrate(conn)
                    writer = cls(temp, conn, None, read_only=False)
                    with _transaction(conn):
                        writer._apply([Change(None, entity) for entity in session.all_entities()])
                finally:
                    conn.close()
        except (OSError, sqlite3.Error) as exc:
            if not _is_user_problem(exc):
                raise
            raise SessionFileError(
                _("Could not save {name}: {reason}. Choose another folder or free some space.").format(
                    name=target.name, reason=_plain(exc)
                )
            ) from None
        except (OverflowError, UnicodeEncodeError):
            raise SessionFileError(
                _(
                    "Could not save {name}: the session holds a number too large or a character that "
                    "cannot be stored."
                ).format(name=target.name)
            ) from None
        return cls.open(target)

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, read_only: bool = False, check_rows: bool = True
    ) -> SessionFile:
        """Open an existing session after checking it. Raises SessionFileError.

        `check_rows=False` skips decoding every row up front, for a reader that reads
        and checks only the tables it needs (`storage.counts`)."""
        target = Path(path)
        name = target.name
        try:
            found = os.stat(target)
        except FileNotFoundError:
            raise SessionFileError(
                _("There is no file at {target}; check the name and folder.").format(target=target)
            ) from None
        except OSError as exc:
            raise SessionFileError(
                _("Could not open {name}: {reason}.").format(name=name, reason=plain_os_error(exc))
            ) from None
        if stat.S_ISDIR(found.st_mode):
            raise SessionFileError(_("{name} is a folder, not a session file.").format(name=name))
        if not stat.S_ISREG(found.st_mode):
            raise SessionFileError(
                _("{name} is not a session file (it is a pipe or a device, not a file on disk).").format(
                    name=name
                )
            )
        try:
            header = read_header(target)
        except OSError as exc:
            raise SessionFileError(
                _("Could not read {name}: {reason}.").format(name=name, reason=plain_os_error(exc))
            ) from None
        if not header.is_sqlite:
            raise SessionFileError(
                _(
                    "{name} is not a coprod-desktop session file (it is not a SQLite database). Open "
                    "a file that ends in .coprod, or use Import for a .json export."
                ).format(name=name)
            )
        if header.application_id != APPLICATION_ID:
            raise SessionFileError(
                _(
                    "{name} is a database made by another program, not a coprod-desktop session; it "
                    "has been left as it was."
                ).format(name=name)
            )
        if header.user_version > SCHEMA_VERSION:
            raise SessionFileError(
                _(
                    "{name} was saved by a newer version of coprod-desktop (file version {version}; "
                    "this app reads up to {newest}). Install the newer version to open it; the file "
                    "has been left as it was."
                ).format(name=name, version=header.user_version, newest=SCHEMA_VERSION)
            )
        read_only = read_only or not _writable(target)
        lock: FileLock | None = None
        if not read_only:
            lock = FileLock(target)
            if not lock.acquire():
                raise SessionFileError(
                    _(
                        "{name} is already open in another copy of coprod-desktop. Switch to that window,"
                        " or close it there and try again."
                    ).format(name=name)
                )
        try:
            if read_only and _needs_recovery(target, header):
                # A crash left a journal (or WAL) that only a writer can apply; a reader
                # must not apply it to the user's file, so it recovers a private copy.
                conn = _recovered_copy_in_memory(target)
            else:
                conn = _connect(target, read_only=read_only)
            try:
                _check_sound(conn, name)
                if header.user_version < SCHEMA_VERSION:
                    # Upgrade and read a copy in memory first: a file that turns out to be
                    # unreadable is refused before a single byte of it has changed.
                    memory = _upgraded_copy_in_memory(conn, name)
                    if check_rows or not read_only:
                        # A reader that checks each row it uses itself (combining groups'
                        # counts) writes nothing, so it need not decode all of them first.
                        cls(target, memory, None, True).load()
                    if read_only:
                        conn.close()
                        conn = memory
                    else:
                        memory.close()
                        _migrate(conn, name)
                opened = cls(target, conn, lock, read_only)
                # Proves every row decodes before anyone relies on it; kept for the first load().
                opened._checked = opened.load() if check_rows else None
                if not read_only:
                    _configure(conn)  # only now: a refused file keeps its journal mode too
                    clean_stale_temporaries(target.parent)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return opened

    def _start_wal(self) -> None:
        """Switch to WAL mode for the rest of the session (see the module's notes).

        Done at the first write, not on opening, so a session opened and closed unedited
        is left byte for byte as it was."""
        self.prefer_wal = False  # one try per session
        # The switch and the first commit make no fsync here (synchronous=OFF; with EXTRA
        # they made 7: the journal, the folder, the header, the folder, the log's header,
        # the folder); sync() makes them durable before the first commit counts as on disk.
        # Safe because every state a power cut can leave before then is a sound file:
        # the switch rewrites only the first 100 bytes of page 1 (one sector: old or new,
        # both sound); a journal a cut brings back holds the old page 1 (or fails its
        # checksums and is ignored); a log SQLite finds beside the file is read whatever the
        # header says, and a frame short of its checksums is ignored. The first commit
        # starts a new, empty log, so no older frame can be mistaken for a new one (the
        # reason SQLite syncs a log's header before its first frame). Where a log is already
        # there (it never is: opening empties it), the switch syncs as SQLite would.
        quiet = not os.path.exists(self.path.with_name(self.path.name + "-wal"))
        if quiet and self._db_fd is None:
            flags = os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
            try:
                self._db_fd = os.open(self.path, flags)
            except OSError:
                quiet = False
        try:
            if quiet:
                self._conn.execute("PRAGMA synchronous=OFF")
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        except sqlite3.Error:
            mode = "delete"
        if str(mode).lower() != "wal":
            # No WAL here (or no room to switch): every commit syncs itself, as in DELETE mode.
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA synchronous=EXTRA")
                self._conn.execute("PRAGMA journal_mode=DELETE")
            return
        if quiet:
            self._switch_pending = True  # before the first commit, so sync() sees it
        else:
            self._conn.execute("PRAGMA synchronous=NORMAL")
        if self.sync_beside:
            # The connection never checkpoints inside an edit; the WalSyncer's thread does.
            self._conn.execute("PRAGMA wal_autocheckpoint=0")
        self.wal = True

    def _end_first_commit(self) -> None:
        """After the first commit in WAL mode, made with synchronous=OFF: every later one
        has SQLite sync the log's header when the log starts again from its beginning."""
        if self._switch_pending:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA synchronous=NORMAL")

    def _open_wal_fd(self) -> int | None:
        if self._wal_fd is None:
            wal = self.path.with_name(self.path.name + "-wal")
            flags = os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
            with contextlib.suppress(OSError):
                self._wal_fd = os.open(wal, flags)
        return self._wal_fd

    def sync(self) -> None:
        """Make every commit so far durable. Safe to call from another thread.

        Raises SessionFileError if the disk reports that it could not."""
        target = self.commits
        if not self.wal:
            self.durable = max(self.durable, target)
            return  # DELETE mode with synchronous=EXTRA: each commit synced itself
        try:
            fd = self._open_wal_fd()
            if fd is None:
                raise FileNotFoundError(2, _("the log file beside the session is missing"))
            (getattr(os, "fdatasync", None) or os.fsync)(fd)
            if self._switch_pending:
                # The switch to WAL, made without a sync: the header (so the file says WAL),
                # then the folder (the journal's removal and the log's name).
                if self._db_fd is not None:
                    (getattr(os, "fdatasync", None) or os.fsync)(self._db_fd)
                # As SQLite does, a folder that cannot be synced (some network shares) is
                # not an error: the same disk would otherwise refuse every edit.
                with contextlib.suppress(OSError):
                    fsync_folder(self.path.parent)
                self._switch_pending = False
        except OSError as exc:
            raise SessionFileError(
                _(
                    "The last changes may not be safe on the disk holding {name}: {reason}. Use File "
                    "> Save As to keep your work in another place."
                ).format(name=self.path.name, reason=plain_os_error(exc))
            ) from None
        self.durable = max(self.durable, target)

    def wal_size(self) -> int:
        """Bytes in the write-ahead log (0 when not in WAL mode)."""
        if self._wal_fd is None:
            return 0
        try:
            return os.fstat(self._wal_fd).st_size
        except OSError:
            return 0

    def wal_used(self) -> int | None:
        """Bytes of the write-ahead log that hold frames, from SQLite's index of it (the
        `-shm` file's header; see SQLite's "WAL-mode file format"); None when not known."""
        if not self.wal or not hasattr(os, "pread"):
            return None
        if self._shm_fd is None:
            shm = self.path.with_name(self.path.name + "-shm")
            try:
                flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
                self._shm_fd = os.open(shm, flags)
            except OSError:
                return None
        try:
            header = os.pread(self._shm_fd, 24, 0)
        except OSError:
            return None
        if len(header) < 24:
            return None
        version, _unused, _change, ready, _big_endian, page, frames = struct.unpack("=IIIBBHI", header[:20])
        if version != _WAL_INDEX_VERSION or not ready or not page:
            return None
        size = 65536 if page == 1 else int(page)
        return _WAL_HEADER_BYTES + int(frames) * (_WAL_FRAME_HEADER_BYTES + size)

    def lengthen_wal(self, size: int) -> bool:
        """Add zeros to the end of the write-ahead log until it is `size` bytes long.

        Commits then overwrite those zeros instead of making the log longer, so the fsync
        that makes each one durable has no new file length to record: on ext4 that is a plain
        flush of the pages, with no commit of the file system's journal (half the system
        time, and no wait for the journal's kernel thread). Zeros are never taken for frames
        (a frame carries the log's salts and checksums), so a crash or power cut at any point
        leaves a log that reads as before. Written at the log's end only, a piece at a time
        while holding `writing` (SQLite writes the log only inside a write transaction), so
        never over a frame, and a commit waits at most for one piece (0.1 ms here; 4 pieces a
        MiB, as each of the piece's two system calls hands the GIL back and forth). Not made
        durable here: the caller syncs. True if the log is now that long."""
        fd = self._wal_fd
        if not self.wal or fd is None or not hasattr(os, "pwrite"):
            return False
        zeros = memoryview(bytes(_LENGTHEN_PIECE_BYTES))
        try:
            while True:
                with self.writing:
                    if fd != self._wal_fd or not self.wal:
                        return False
                    end = os.fstat(fd).st_size
                    if end >= size:
                        return end == size
                    os.pwrite(fd, zeros[: min(size - end, len(zeros))], end)
        except OSError:
            return False  # no room, say: the commits go on making the log longer

    def close(self) -> None:
        if self.wal:
            # Back to one self-contained file: the log copied into it, emptied and removed.
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if self._wal_fd is not None:
                with contextlib.suppress(OSError):
                    os.close(self._wal_fd)
                self._wal_fd = None
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA synchronous=EXTRA")
                self._conn.execute("PRAGMA journal_mode=DELETE")
        if self._shm_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._shm_fd)
            self._shm_fd = None
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        if self._db_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._db_fd)  # only now: closing it would drop SQLite's locks on the file
            self._db_fd = None
        if self.wal:
            self.wal = False
            with contextlib.suppress(OSError):
                fsync_folder(self.path.parent)  # the log's removal, made durable
        if self._lock is not None:
            self._lock.release()  # after the connection: see storage/lock.py
            self._lock = None

    def __enter__(self) -> SessionFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- reading ------------------------------------------------------------

    def load(self) -> Session:
        """The whole session as domain objects. Raises SessionFileError if a row is wrong."""
        if self._checked is not None:
            checked, self._checked = self._checked, None
            return checked
        session = Session()
        try:
            for cls in SINGLETONS + COLLECTIONS:
                where = " WHERE id = 1" if cls in SINGLETONS else ""
                cursor = self._conn.cursor()
                cursor.row_factory = None  # plain tuples: decode_rows takes the values a column at a time
                cursor.execute(f"SELECT * FROM {_table(cls)}{where}")
                columns = [d[0] for d in cursor.description]
                session.put_all(cls, decode_rows(cls, columns, cursor.fetchall()))
        except LimitError as exc:
            raise SessionFileError(
                _("{name} holds a value the app cannot use: {error}. It has been left as it was.").format(
                    name=self.path.name, error=exc
                )
            ) from None
        except (ValueError, TypeError) as exc:
            raise SessionFileError(
                _(
                    "{name} holds something this version cannot read ({error}); it has been left as it was."
                ).format(name=self.path.name, error=exc)
            ) from None
        except sqlite3.DatabaseError as exc:
            raise SessionFileError(
                _(
                    "{name} is damaged and cannot be read ({error}). Open an earlier copy; this file "
                    "has been left as it was."
                ).format(name=self.path.name, error=exc)
            ) from None
        return session

    def version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # --- writing ------------------------------------------------------------

    def write(self, changes: Sequence[Change]) -> int:
        """Commit `changes` in one transaction, on disk when this returns; returns the
        commit's number. With `sync_beside` set, a `WalSyncer` makes it durable instead
        (ask it with that number).

        Raises SessionFileError, with nothing written, if the disk refuses."""
        self.check(changes)
        self._checked = None  # the file moves on; a later load() reads it afresh
        with self.writing:
            if self.prefer_wal and not self.wal:
                self._start_wal()
            # A commit that starts the log afresh has SQLite (synchronous=NORMAL) fsync the
            # log's header first, on this thread: so that a power cut cannot leave the old
            # header before frames half overwritten, whose first ones would be read again. Once
            # a WalSyncer has emptied the log and synced its emptying, no old frame is left to
            # be read again, so that fsync is not needed (as for the session's first commit):
            # the syncer's next sync makes header and frames durable together.
            fresh = self.log_empty_on_disk and self.wal and not self._switch_pending
            self.log_empty_on_disk = False
            if fresh:
                self._conn.execute("PRAGMA synchronous=OFF")
            try:
                with _transaction(self._conn):
                    self._apply(changes)
            except sqlite3.Error as exc:
                if not _is_user_problem(exc):
                    raise
                raise SessionFileError(
                    _(
                        "The last change could not be saved to {name}: {reason}. Everything before it is "
                        "safe; free some space or use Save As to another place."
                    ).format(name=self.path.name, reason=_plain(exc))
                ) from None
            except (OverflowError, UnicodeEncodeError):
                raise SessionFileError(
                    _(
                        "The last change could not be saved to {name}: it holds a number too large or a "
                        "character that cannot be stored. Everything before it is safe."
                    ).format(name=self.path.name)
                ) from None
            finally:
                self._end_first_commit()
                if fresh:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("PRAGMA synchronous=NORMAL")
            self.commits += 1
            number = self.commits
        if not (self.sync_beside and self.wal):
            self.sync()
        return number

    def check(self, changes: Sequence[Change]) -> None:
        """Raise SessionFileError if `changes` cannot be written (read-only file, a value
        out of limits), before anything is written."""
        if self.read_only:
            raise SessionFileError(
                _(
                    "{name} is open read-only, so changes cannot be saved. Use File > Save As to keep"
                    " your work in a new file."
                ).format(name=self.path.name)
            )
        for change in changes:
            found = None if change.new is None else problem(change.new)
            if found is not None:
                raise SessionFileError(
                    _(
                        "The last change was not saved to {name}: {problem}. Everything before it is safe."
                    ).format(name=self.path.name, problem=found)
                )

    def _rewrite_in_key_order(self, tables: set[str]) -> None:
        """Lay the rows of `tables` out in key order, so nothing in the file orders them by time.

        A secret ballot's "has voted" and its choice are written together; where each new
        row lands inside a page would otherwise say which was written last, and so link them.
        With secure_delete on, the rows' old places are overwritten."""
        for table in sorted(tables):
            order = ", ".join(KEY_ORDERED[table])
            self._conn.execute(f"CREATE TEMP TABLE _reorder AS SELECT * FROM {table}")
            self._conn.execute(f"DELETE FROM {table}")
            self._conn.execute(f"INSERT INTO {table} SELECT * FROM _reorder ORDER BY {order}")
            self._conn.execute("DROP TABLE _reorder")

    def write_all(self, session: Session) -> None:
        """Write every entity of `session` (for a new file)."""
        self.write([Change(None, entity) for entity in session.all_entities()])

    def _apply(self, changes: Sequence[Change]) -> None:
        for change in changes:
            if change.new is not None:
                self._put(change.new)
            elif change.old is not None:
                self._remove(change.old)
        self._rewrite_in_key_order({change.kind.KIND for change in changes} & KEY_ORDERED.keys())

    def _put(self, entity: Entity) -> None:
        row = encode(entity, sql=True)
        if not entity.KEY:
            row["id"] = 1
        sql = self._statements.get(("put", entity.KIND))
        if sql is None:
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            sql = f"INSERT OR REPLACE INTO {_table(type(entity))} ({columns}) VALUES ({marks})"
            self._statements[("put", entity.KIND)] = sql
        self._conn.execute(sql, tuple(row.values()))

    def _remove(self, entity: Entity) -> None:
        sql = self._statements.get(("remove", entity.KIND))
        if sql is None:
            where = " AND ".join(f"{name} = ?" for name in entity.KEY) or "id = 1"
            sql = f"DELETE FROM {_table(type(entity))} WHERE {where}"
            self._statements[("remove", entity.KIND)] = sql
        self._conn.execute(sql, entity.ident)

    # --- notes waiting from phones (schema 0005) ---------------------------------
    # Kept apart from the write path of changes: a waiting note is not part of the session
    # (nor of its exports or undo history) until the facilitator keeps it.

    def waiting_notes(self) -> list[tuple[str, str]]:
        """The notes phones sent that wait for the facilitator, oldest first, as (id, text)."""
        try:
            rows = self._conn.execute("SELECT id, text FROM waiting_note ORDER BY position, id").fetchall()
        except sqlite3.DatabaseError:
            return []  # an upgraded copy read in memory always has the table; this is a damaged file
        return [(str(ident), str(text)) for ident, text in rows]

    def add_waiting_note(self, note_id: str, text: str, position: int | None = None) -> None:
        """Keep one waiting note, on disk when this returns: last in the queue, or at `position`
        (the place it had, when a kept note is put back). Raises SessionFileError."""
        if position is not None:
            self._waiting_write(
                "INSERT OR REPLACE INTO waiting_note (id, text, position) VALUES (?, ?, ?)",
                (note_id, text, int(position)),
            )
            return
        self._waiting_write(
            "INSERT INTO waiting_note (id, text, position) VALUES "
            "(?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM waiting_note))",
            (note_id, text),
        )

    def waiting_note_position(self, note_id: str) -> int | None:
        """The place of a waiting note in the queue, or None when it is not waiting."""
        try:
            row = self._conn.execute("SELECT position FROM waiting_note WHERE id = ?", (note_id,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return int(row[0]) if row is not None else None

    def remove_waiting_note(self, note_id: str) -> None:
        """Drop a note the facilitator kept or dismissed; with secure_delete its words are overwritten."""
        self._waiting_write("DELETE FROM waiting_note WHERE id = ?", (note_id,))

    def _waiting_write(self, sql: str, values: tuple[str | int, ...]) -> None:
        if self.read_only:
            raise SessionFileError(
                _("{name} is open read-only, so the note cannot be kept.").format(name=self.path.name)
            )
        try:
            with self.writing, _transaction(self._conn):
                self.log_empty_on_disk = False  # this commit starts the log afresh, with its fsync
                self._conn.execute(sql, values)
        except sqlite3.Error as exc:
            if not _is_user_problem(exc):
                raise
            raise SessionFileError(
                _("The note could not be saved to {name}: {reason}.").format(
                    name=self.path.name, reason=_plain(exc)
                )
            ) from None
        # In WAL mode a commit is durable only once the log is synced: the phone hears
        # "received" after this returns, so the note is on disk by then.
        self.sync()

    # --- copies -------------------------------------------------------------

    def save_copy(self, path: str | os.PathLike[str]) -> Path:
        """Write a copy of this session to `path` through the backup API; stay on this file."""
        target = Path(path)
        _refuse_special(target)
        if target.resolve() == self.path.resolve():
            raise SessionFileError(
                _("{name} is the file already open; choose another name.").format(name=target.name)
            )
        if target.exists() and is_locked(target):
            raise SessionFileError(
                _("{name} is open in another copy of coprod-desktop; choose another name.").format(
                    name=target.name
                )
            )
        try:
            with atomic_path(target) as temp:
                dest = sqlite3.connect(temp)
                try:
                    self._conn.backup(dest)
                    dest.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dest.close()
        except (OSError, sqlite3.Error) as exc:
            if not _is_user_problem(exc):
                raise
            raise SessionFileError(
                _(
                    "Could not save a copy as {name}: {reason}. The open session is unchanged; try "
                    "another folder."
                ).format(name=target.name, reason=_plain(exc))
            ) from None
        return target

    def save_as(self, path: str | os.PathLike[str]) -> SessionFile:
        """Copy to `path` and return the copy, opened; this file is closed."""
        target = self.save_copy(path)
        reopened = SessionFile.open(target)
        self.close()
        return reopened


# --- helpers --------------------------------------------------------------------


def _configure(conn: sqlite3.Connection, *, journal: bool = True) -> None:
    if journal:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=EXTRA")
    conn.execute("PRAGMA foreign_keys=ON")
    # Deleted content is overwritten, so a withdrawn or unlinked vote leaves no trace in the file.
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("PRAGMA temp_store=MEMORY")


def _refuse_special(target: Path) -> None:
    """A session is only ever written as a regular file, never into a pipe, a device or a loop."""
    try:
        found = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SessionFileError(
            _("Could not save {name}: {reason}.").format(name=target.name, reason=plain_os_error(exc))
        ) from None
    if stat.S_ISDIR(found.st_mode):
        raise SessionFileError(
            _("{name} is a folder; choose a file name for the session.").format(name=target.name)
        )
    if not stat.S_ISREG(found.st_mode):
        raise SessionFileError(
            _("{name} is a pipe or a device, not a file; choose another name for the session.").format(
                name=target.name
            )
        )


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            conn = sqlite3.connect(path)
    except sqlite3.DatabaseError as exc:
        raise SessionFileError(
            _(
                "{name} is damaged and cannot be opened ({error}). Open an earlier copy; this "
                "file has been left as it was."
            ).format(name=path.name, error=exc)
        ) from None
    conn.row_factory = sqlite3.Row
    return conn


def _check_sound(conn: sqlite3.Connection, name: str) -> None:
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    if result != ["ok"]:
        raise SessionFileError(
            _(
                "{name} is damaged (SQLite's check found: {found}). Open an "
                "earlier copy of it; this file has been left as it was."
            ).format(name=name, found=result[0].splitlines()[0][:120])
        )
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= 1:
        expected = {_table(cls) for cls in ENTITY_BY_KIND.values()}
        missing = sorted({t for t in expected if ADDED_IN.get(t, 1) <= version} - present)
        if missing:
            raise SessionFileError(
                _(
                    "{name} is damaged: parts of the session are missing ({parts}). Open an "
                    "earlier copy; this file has been left as it was."
                ).format(name=name, parts=", ".join(missing))
            )


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One short write transaction: committed (and, with synchronous=EXTRA, on disk) or rolled back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _migrate(conn: sqlite3.Connection, name: str = "") -> None:
    """Every pending migration and the new version number, in one transaction:
    a migration that fails leaves the file exactly as it was."""
    from sqlite_utils import Database

    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    try:
        with _transaction(conn):
            migrations().apply(db)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        if not name or _primary(exc) in ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY"):
            raise
        raise SessionFileError(
            _(
                "{name} could not be brought up to this version of coprod-desktop "
                "({reason}); it has been left as it was."
            ).format(name=name, reason=str(exc)[:120])
        ) from None


SIDECARS = ("-journal", "-wal")


def _needs_recovery(target: Path, header: FileHeader) -> bool:
    """Whether a read-only reader would need to write to read `target` faithfully."""
    if is_locked(target):
        return False  # open in the app: its journal is live, not hot, and SQLite's locks handle it
    if header.wal:
        return True  # a read-only WAL reader would leave -wal and -shm files beside it
    return any(_has_content(target.with_name(target.name + suffix)) for suffix in SIDECARS)


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _recovered_copy_in_memory(target: Path) -> sqlite3.Connection:
    """Copy the file and its leftover journal to a private folder, let SQLite recover
    the copy there, and return it in memory. The user's files are only read."""
    import shutil

    with tempfile.TemporaryDirectory(prefix="coprod-recover-") as folder:
        copy = Path(folder) / "session.coprod"
        try:
            shutil.copyfile(target, copy)
            for suffix in SIDECARS:
                sidecar = target.with_name(target.name + suffix)
                if _has_content(sidecar):
                    shutil.copyfile(sidecar, copy.with_name(copy.name + suffix))
        except OSError as exc:
            raise SessionFileError(
                _("Could not read {name}: {reason}. It has been left as it was.").format(
                    name=target.name, reason=_plain(exc)
                )
            ) from None
        try:
            disk = sqlite3.connect(copy)
            try:
                # The first read rolls back (or replays, for WAL) what the crash left.
                disk.execute("SELECT count(*) FROM sqlite_master").fetchone()
                disk.execute("PRAGMA journal_mode=DELETE")
                memory = sqlite3.connect(":memory:")
                disk.backup(memory)
            finally:
                disk.close()
        except sqlite3.DatabaseError as exc:
            raise SessionFileError(
                _(
                    "{name} is damaged and cannot be opened ({error}). Open an earlier copy; this "
                    "file has been left as it was."
                ).format(name=target.name, error=exc)
            ) from None
    memory.row_factory = sqlite3.Row
    return memory


def _upgraded_copy_in_memory(conn: sqlite3.Connection, name: str) -> sqlite3.Connection:
    """An upgraded copy of `conn` in memory; `conn` is left open and unchanged."""
    memory = sqlite3.connect(":memory:")
    try:
        conn.backup(memory)
        _migrate(memory, name)
    except BaseException:
        memory.close()
        raise
    memory.row_factory = sqlite3.Row
    return memory
