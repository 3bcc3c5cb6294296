"""`escape`, the one part of Python's `html` module the screens shown at start-up use.

Importing `html` builds html.entities' table of 2,231 named characters (for
html.unescape, which no screen calls): 1.4 ms of a start. The step content, the
plain-text helpers and the steps a session may open on (summary, readiness, review)
take `escape` from here instead (`from ..common import htmlescape as html`, so
`html.escape(...)` reads as before); the same code as CPython's html.escape, which
tests/ui/test_htmlescape.py checks it against.
"""

from __future__ import annotations


def escape(s: str, quote: bool = True) -> str:
    """Replace "&", "<" and ">" (and with `quote` both quotation marks) by HTML-safe sequences."""
    s = s.replace("&", "&amp;")  # first
    s = s.replace("<", "&lt;")
    s = s.replace(">", "&gt;")
    if quote:
        s = s.replace('"', "&quot;")
        s = s.replace("'", "&#x27;")
    return s
