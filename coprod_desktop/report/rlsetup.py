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

And one of its pure-Python stand-ins for its C accelerator (`rl_accel`, not installed with it) is
slower than it need be: `fp_str`, which writes every number of every page (thousands a page), trims
its zeros a character at a time. `_fp_str` gives the same text, trimmed by `str.rstrip`.
"""

from __future__ import annotations

import math
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


_FP_FORMATS = ("%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f", "%.6f")
_LOG_10 = math.log(10.0)


def _fp_str(*values: Any) -> str:
    """reportlab's `_py_fp_str`, the same text for every number (tests/report/test_speedups.py)."""
    numbers: Any = values[0] if len(values) == 1 and isinstance(values[0], (list, tuple)) else values
    found = []
    for value in numbers:
        size = abs(value)
        if size <= 1e-7:
            found.append("0")
            continue
        places = 6 if size <= 1 else min(max(0, (6 - int(math.log(size) / _LOG_10))), 6)
        text = _FP_FORMATS[places] % value
        if places:
            text = text.rstrip("0")
            if text[-1] == ".":
                text = text[:-1]
        found.append(text if text[0] != "0" or len(text) == 1 else text[1:])
    return " ".join(found)


def _install_fp_str() -> None:
    from reportlab.lib import rl_accel

    slow = rl_accel._py_funcs.get("fp_str")
    if slow is None or rl_accel.fp_str is not slow or "," in slow(0.25):
        return  # the C accelerator, or a locale's decimal comma: leave reportlab's own
    vars(rl_accel)["fp_str"] = _fp_str  # for the modules that import it from now on
    for name, module in list(sys.modules.items()):  # and those that already did
        if name.startswith("reportlab.") and getattr(module, "fp_str", None) is slow:
            vars(module)["fp_str"] = _fp_str


_install_fp_str()
_import_paragraph()


def ready() -> bool:
    """True: imported, so reportlab is set up (for an import that is only for its effect)."""
    return True
