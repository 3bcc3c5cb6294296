"""The session file: SQLite as an application file format.

- `PRAGMA application_id` marks the file as ours; `PRAGMA user_version` holds the
  schema version, and the schema grows by sqlite-utils `Migrations`.
- DELETE journal and `synchronous=FULL`: between edits the session is one
  self-contained file, and a committed edit survives a pulled plug.
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
import struct
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain.changes import Change
from ..domain.errors import SessionFileError
from ..domain.model import (
    COLLECTIONS,
    ENTITY_BY_KIND,
    SINGLETONS,
    Entity,
    Session,
)
from .codec import decode, encode
from .lock import FileLock, is_locked
from .schema import ADDED_IN, APPLICATION_ID, KEY_ORDERED, SCHEMA_VERSION, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
SUFFIX = ".coprod"

__all__ = ["SUFFIX", "Change", "FileHeader", "SessionFile", "read_header"]


@dataclass(frozen=True)
class FileHeader:
    is_sqlite: bool
    application_id: int
    user_version: int


def read_header(path: Path) -> FileHeader:
    """The parts of the SQLite header we check, read as bytes (nothing is opened)."""
    with open(path, "rb") as stream:
        head = stream.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return FileHeader(False, 0, 0)
    user_version, = struct.unpack(">i", head[60:64])
    application_id, = struct.unpack(">i", head[68:72])
    return FileHeader(True, application_id, user_version)


def _table(cls: type[Entity]) -> str:
    return cls.KIND


def _writable(path: Path) -> bool:
    # A rollback journal is created beside the file, so its folder must be writable too.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _plain(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text or "permission" in text:
        return "the file or its folder cannot be written to"
    if "locked" in text or "busy" in text:
        return "another program is using the file"
    if "i/o" in text:
        return "the disk reported an error"
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

    # --- opening and creating -----------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], session: Session) -> SessionFile:
        """Write `session` as a new file at `path` (replacing what is there) and open it."""
        target = Path(path)
        if target.exists() and is_locked(target):
            raise SessionFileError(
                f"{target.name} is open in another copy of coprod-desktop; close it there first, "
                "or choose another name."
            )
        try:
            with _temporary_beside(target) as temp:
                conn = sqlite3.connect(temp)
                try:
                    _configure(conn)
                    _migrate(conn)
                    writer = cls(temp, conn, None, read_only=False)
                    writer.write_all(session)
                finally:
                    conn.close()
                _fsync_file(temp)
                os.replace(temp, target)
                _fsync_dir(target.parent)
        except OSError as exc:
            raise SessionFileError(
                f"Could not save {target.name}: {_plain(exc)}. Choose another folder or free some space."
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
        if not target.exists():
            raise SessionFileError(f"There is no file at {target}; check the name and folder.")
        if target.is_dir():
            raise SessionFileError(f"{name} is a folder, not a session file.")
        try:
            header = read_header(target)
        except OSError as exc:
            raise SessionFileError(f"Could not read {name}: {exc.strerror or exc}.") from None
        if not header.is_sqlite:
            raise SessionFileError(
                f"{name} is not a coprod-desktop session file (it is not a SQLite database). "
                "Open a file that ends in .coprod, or use Import for a .json export."
            )
        if header.application_id != APPLICATION_ID:
            raise SessionFileError(
                f"{name} is a database made by another program, not a coprod-desktop session; "
                "it has been left as it was."
            )
        if header.user_version > SCHEMA_VERSION:
            raise SessionFileError(
                f"{name} was saved by a newer version of coprod-desktop (file version "
                f"{header.user_version}; this app reads up to {SCHEMA_VERSION}). "
                "Install the newer version to open it; the file has been left as it was."
            )
        read_only = read_only or not _writable(target)
        lock: FileLock | None = None
        if not read_only:
            lock = FileLock(target)
            if not lock.acquire():
                raise SessionFileError(
                    f"{name} is already open in another copy of coprod-desktop. "
                    "Switch to that window, or close it there and try again."
                )
        try:
            conn = _connect(target, read_only=read_only)
            try:
                _check_sound(conn, name)
                if header.user_version < SCHEMA_VERSION:
                    if read_only:
                        conn = _upgraded_copy_in_memory(conn)
                    else:
                        _migrate(conn)
                opened = cls(target, conn, lock, read_only)
                # Proves every row decodes before anyone relies on it; kept for the first load().
                opened._checked = opened.load() if check_rows else None
            except BaseException:
                conn.close()
                raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return opened

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
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
                cursor = self._conn.execute(f"SELECT * FROM {_table(cls)}{where}")
                names = [d[0] for d in cursor.description]
                for values in cursor:
                    session.put(decode(cls, dict(zip(names, values, strict=True)), sql=True))
        except (ValueError, TypeError) as exc:
            raise SessionFileError(
                f"{self.path.name} holds something this version cannot read ({exc}); "
                "it has been left as it was."
            ) from None
        except sqlite3.DatabaseError as exc:
            raise SessionFileError(
                f"{self.path.name} is damaged and cannot be read ({exc}). "
                "Open an earlier copy; this file has been left as it was."
            ) from None
        return session

    def version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # --- writing ------------------------------------------------------------

    def write(self, changes: Sequence[Change]) -> None:
        """Commit `changes` in one transaction, on disk when this returns.

        Raises SessionFileError, with nothing written, if the disk refuses."""
        if self.read_only:
            raise SessionFileError(
                f"{self.path.name} is open read-only, so changes cannot be saved. "
                "Use File > Save As to keep your work in a new file."
            )
        self._checked = None  # the file moves on; a later load() reads it afresh
        try:
            with _transaction(self._conn):
                for change in changes:
                    if change.new is not None:
                        self._put(change.new)
                    elif change.old is not None:
                        self._remove(change.old)
                self._rewrite_in_key_order({change.kind.KIND for change in changes} & KEY_ORDERED.keys())
        except sqlite3.Error as exc:
            raise SessionFileError(
                f"The last change could not be saved to {self.path.name}: {_plain(exc)}. "
                "Everything before it is safe; free some space or use Save As to another place."
            ) from None
        except (OverflowError, UnicodeEncodeError):
            raise SessionFileError(
                f"The last change could not be saved to {self.path.name}: it holds a number too large "
                "or a character that cannot be stored. Everything before it is safe."
            ) from None

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

    # --- copies -------------------------------------------------------------

    def save_copy(self, path: str | os.PathLike[str]) -> Path:
        """Write a copy of this session to `path` through the backup API; stay on this file."""
        target = Path(path)
        if target.resolve() == self.path.resolve():
            raise SessionFileError(f"{target.name} is the file already open; choose another name.")
        if target.exists() and is_locked(target):
            raise SessionFileError(
                f"{target.name} is open in another copy of coprod-desktop; choose another name."
            )
        try:
            with _temporary_beside(target) as temp:
                dest = sqlite3.connect(temp)
                try:
                    self._conn.backup(dest)
                    dest.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dest.close()
                _fsync_file(temp)
                os.replace(temp, target)
                _fsync_dir(target.parent)
        except (OSError, sqlite3.Error) as exc:
            raise SessionFileError(
                f"Could not save a copy as {target.name}: {_plain(exc)}. "
                "The open session is unchanged; try another folder."
            ) from None
        return target

    def save_as(self, path: str | os.PathLike[str]) -> SessionFile:
        """Copy to `path` and return the copy, opened; this file is closed."""
        target = self.save_copy(path)
        reopened = SessionFile.open(target)
        self.close()
        return reopened


# --- helpers --------------------------------------------------------------------


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    # Deleted content is overwritten, so a withdrawn or unlinked vote leaves no trace in the file.
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("PRAGMA temp_store=MEMORY")


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            conn = sqlite3.connect(path)
            _configure(conn)
    except sqlite3.DatabaseError as exc:
        raise SessionFileError(
            f"{path.name} is damaged and cannot be opened ({exc}). "
            "Open an earlier copy; this file has been left as it was."
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
            f"{name} is damaged (SQLite's check found: {result[0].splitlines()[0][:120]}). "
            "Open an earlier copy of it; "
            "this file has been left as it was."
        )
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= 1:
        expected = {_table(cls) for cls in ENTITY_BY_KIND.values()}
        missing = sorted({t for t in expected if ADDED_IN.get(t, 1) <= version} - present)
        if missing:
            raise SessionFileError(
                f"{name} is damaged: parts of the session are missing ({', '.join(missing)}). "
                "Open an earlier copy; this file has been left as it was."
            )


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One short write transaction: committed (and, with synchronous=FULL, on disk) or rolled back."""
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


def _migrate(conn: sqlite3.Connection) -> None:
    from sqlite_utils import Database

    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    migrations().apply(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()


def _upgraded_copy_in_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
    memory = sqlite3.connect(":memory:")
    conn.backup(memory)
    conn.close()
    _migrate(memory)
    memory.row_factory = sqlite3.Row
    return memory


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A fresh temporary path in the target's folder (so `os.replace` is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(name)  # SQLite wants to create the file itself
    temp = Path(name)
    try:
        yield temp
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
