"""reportlab, set up for making reports quickly: imported before any other reportlab module.

Three of reportlab's defaults cost time and buy a report nothing:

- `shapeChecking` validates every attribute of every shape of a drawing as it is set (the
  canvas of 5,000 cards sets some 400,000); our drawings are made by our own code and tested.
- `useA85` writes every compressed stream (pages, embedded fonts) as ASCII base-85 text, which
  makes the file a quarter larger and costs a pure-Python pass over every byte. The streams are
  written as binary instead, as most PDF makers do; what they draw is the same.
- Importing `reportlab.platypus.paragraph` compiles a case-insensitive regular expression for
  web addresses over most of Unicode (30-50 ms, a tenth of a command-line export). It is used
  only to hyphenate web addresses (`uriWasteReduce`), which no style of ours asks for, so it is
  compiled the first time it is used instead (`_LazyPattern`).
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from reportlab import rl_config

__all__ = ["ready"]

rl_config.shapeChecking = 0
rl_config.useA85 = 0

# The start of the web-address pattern that reportlab's paragraph module compiles at import.
_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
_compile = re.compile


class _LazyPattern:
    """A compiled pattern that is compiled when it is first used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def _real(self) -> re.Pattern[str]:
        with self._lock:
            if self._compiled is None:
                self._compiled = _compile(self._pattern, self._flags)
            return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)


def _deferring_compile(pattern: Any, flags: Any = 0) -> Any:
    if isinstance(pattern, str) and pattern.startswith(_URI_PATTERN_START):
        return _LazyPattern(pattern, int(flags))
    return _compile(pattern, flags)


def _import_paragraph() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    re.compile = _deferring_compile
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = _compile


_import_paragraph()


def ready() -> bool:
    """True: imported, so reportlab is set up (for an import that is only for its effect)."""
    return True
