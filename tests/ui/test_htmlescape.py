"""htmlescape.escape is Python's html.escape, without importing the html package at start-up."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coprod_desktop.ui.common import htmlescape

REPO = Path(__file__).resolve().parents[2]


@given(st.text(alphabet=st.sampled_from("&<>\"'a b\u00e9\u0645;#x27&amp;")), st.booleans())
def test_escape_is_html_escape(text: str, quote: bool) -> None:
    assert htmlescape.escape(text, quote) == html.escape(text, quote)
    assert htmlescape.escape(text) == html.escape(text)


def test_the_step_content_does_not_import_the_html_package() -> None:
    probe = (
        "import sys\n"
        "import coprod_desktop.ui.workshop.stepcontent, coprod_desktop.ui.common.plaintext\n"
        "print('HTML=' + str('html' in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "HTML=False" in done.stdout
