"""Guards against a PySide6 release that leaks references on Signal.emit().

PySide6 6.12.0 dropped a reference to True on every emit from Python, and
Python 3.11 aborted after a few hundred edits in a workshop. pyproject.toml
pins below it; this test fails if a release with the same fault comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    carried = Signal(object)


def test_emitting_keeps_reference_counts_balanced() -> None:
    emitter = _Emitter()
    before_true = sys.getrefcount(True)
    before_none = sys.getrefcount(None)
    for _ in range(200):
        emitter.fired.emit()
        emitter.carried.emit(("a change",))
    # Other threads may touch these counts a little; a leak loses one per emit.
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50
