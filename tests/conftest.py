"""Shared test set-up: no real display, no real user settings."""

from __future__ import annotations

import os

# Before anything imports Qt: render offscreen, so tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings  # noqa: E402

# A busy CI machine can make one example slow; that is not a failure of the code under test.
settings.register_profile("coprod", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("coprod")


import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The app's cache (parsed fonts) in a folder of the test run's own, never the user's
    ~/.cache; child processes the tests start inherit it."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["XDG_CACHE_HOME"] = os.environ["LOCALAPPDATA"] = str(folder)
