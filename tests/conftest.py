"""Shared test set-up: no real display, no real user settings."""

from __future__ import annotations

import os

# Before anything imports Qt: render offscreen, so tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
