"""Bugs are logged and shown, never lost on a stderr nobody reads.

`ErrorLog.install()` routes every unexpected exception to one place: an exception in the
main thread, in a Qt slot or virtual method (PySide6 reports those through
`sys.excepthook`), and in any other thread (`threading.excepthook`). Each is written with
its traceback to a rotating log file in the app's data folder, and `caught` is emitted
with one plain sentence for the main window's banner. The signal is queued when the error
happened in another thread, so no widget is touched from there.

A `KnownError` that reaches the hook is the user's problem, not a bug: its own sentence is
shown. A bug that repeats (a paint event fails on every frame) is logged in full a few
times, then counted, so the log stays readable and small.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject, Signal, qVersion

from ... import __version__
from ...domain.errors import KnownError
from ...domain.i18n import N_, _

if TYPE_CHECKING:
    import logging

    from PySide6.QtCore import QUrl

# logging, traceback and platform are imported when the first error comes: a run with none
# (the usual one) does not pay for them at start-up.

LOG_NAME = "coprod-desktop.log"
LOG_BYTES = 1_000_000  # per file; with the backups, the log never takes more than 4 MB
LOG_BACKUPS = 3
FULL_REPEATS = 3  # a repeating bug is logged in full this often, then every REPEAT_EVERY-th time
REPEAT_EVERY = 100

BUG_SENTENCE = N_(
    "Something went wrong inside coprod-desktop (a bug, not a problem with your file): "
    "every change saved so far is safe, and the details are in the log folder."
)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_folder() -> Path:
    """Where the log files go: "logs" in the app's data folder (a test folder under test mode)."""
    from .settings import data_folder

    return data_folder() / "logs"


def open_url(url: QUrl) -> bool:
    """Open `url` with the desktop's own application (replaced in tests)."""
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(url)


def show_log_folder() -> Path:
    """Open the log folder in the file manager, making it first if need be."""
    # QUrl (and its enums, which PySide6 makes with the class) only when a folder is opened.
    from PySide6.QtCore import QUrl

    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    open_url(QUrl.fromLocalFile(str(folder)))
    return folder


class ErrorLog(QObject):
    """The exception hook: logs every unexpected error and announces it in plain words."""

    caught = Signal(str)  # one plain sentence for the facilitator

    _installed: ClassVar[ErrorLog | None] = None

    def __init__(self, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder or log_folder()
        self._logger: logging.Logger | None = None
        self._handler: logging.Handler | None = None
        self._seen: Counter[tuple[str, ...]] = Counter()
        self._lock = threading.Lock()
        self._announcing = threading.local()
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook

    @property
    def logger(self) -> logging.Logger:
        if self._logger is None:
            import logging

            self._logger = logging.getLogger("coprod_desktop.errors")
            self._logger.propagate = False
            self._logger.setLevel(logging.INFO)
        return self._logger

    @property
    def path(self) -> Path:
        return self.folder / LOG_NAME

    # --- installing ---------------------------------------------------------

    @classmethod
    def install(cls, folder: Path | None = None, parent: QObject | None = None) -> ErrorLog:
        """Make this the process's exception hook (replacing one installed before)."""
        if cls._installed is not None:
            cls._installed.uninstall()
        hook = cls(folder, parent)
        hook._previous_hook = sys.excepthook
        hook._previous_thread_hook = threading.excepthook
        sys.excepthook = hook.excepthook
        threading.excepthook = hook.thread_excepthook
        cls._installed = hook
        return hook

    def uninstall(self) -> None:
        """Put back the hooks there were before, and close the log file."""
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self.thread_excepthook:
            threading.excepthook = self._previous_thread_hook
        if self._handler is not None:
            self.logger.removeHandler(self._handler)
            self._handler.close()
            self._handler = None
        if ErrorLog._installed is self:
            ErrorLog._installed = None

    # --- the hooks ----------------------------------------------------------

    def excepthook(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit):
            sys.__excepthook__(kind, error, tb)
            return
        self.report((kind, error, tb), where=threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        where = args.thread.name if args.thread is not None else "a thread"
        self.report((args.exc_type, args.exc_value, args.exc_traceback), where=where)

    def report(self, info: ExcInfo, *, where: str = "") -> None:
        """Log one unexpected error and announce it. Never raises: it runs inside the hook.

        A bug that repeats is announced only while it is still logged in full, and a bug
        raised while announcing one (in the banner, say) is logged but not announced again,
        so a failing paint or a failing banner cannot keep the event loop busy with itself."""
        _kind, error, _tb = info
        count = 0
        try:
            count = self._log(info, where)
        except Exception as failure:  # noqa: BLE001 - the hook must not fail in its turn
            import traceback

            print(f"coprod-desktop: could not write the log ({failure})", file=sys.stderr)
            traceback.print_exception(*info, file=sys.stderr)
        if count > FULL_REPEATS or getattr(self._announcing, "busy", False):
            return
        sentence = str(error) if isinstance(error, KnownError) and str(error) else _(BUG_SENTENCE)
        self._announcing.busy = True
        try:
            self.caught.emit(sentence)
        finally:
            self._announcing.busy = False

    # --- writing ------------------------------------------------------------

    def _log(self, info: ExcInfo, where: str) -> int:
        """Write `info` to the log; returns how often this same bug has come so far."""
        import logging
        import platform
        import traceback

        kind, error, tb = info
        frames = traceback.extract_tb(tb)
        signature = (kind.__qualname__, str(error)[:200], *(f"{f.filename}:{f.lineno}" for f in frames[-3:]))
        with self._lock:
            self._seen[signature] += 1
            count = self._seen[signature]
        if count > FULL_REPEATS and count % REPEAT_EVERY:
            return count
        handler = self._open()
        level = logging.WARNING if isinstance(error, KnownError) else logging.ERROR
        repeat = f" (seen {count} times)" if count > 1 else ""
        self.logger.log(
            level,
            "Unexpected %s in %s%s; coprod-desktop %s, Python %s, Qt %s, %s",
            kind.__qualname__,
            where or "the app",
            repeat,
            __version__,
            platform.python_version(),
            qVersion(),
            platform.platform(),
            exc_info=info,
        )
        handler.flush()
        return count

    def _open(self) -> logging.Handler:
        """The log file, opened when the first error comes (a run with none writes nothing)."""
        if self._handler is None:
            import logging.handlers

            self.folder.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                self.path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
            )
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            self.logger.addHandler(handler)
            self._handler = handler
        return self._handler
