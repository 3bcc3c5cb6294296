"""The two kinds of failure the app distinguishes.

A `KnownError` means the facilitator's file or input is wrong: its message is one
plain sentence saying what is wrong and what to do, shown as it is, never with a
traceback. Anything else is a bug in the app.
"""

from __future__ import annotations


class KnownError(Exception):
    """A problem with the user's file or input, explained in `str(self)`."""


class SessionFileError(KnownError):
    """A session file cannot be opened or written."""


class TemplateError(KnownError):
    """A workshop template is not valid."""


class InterchangeError(KnownError):
    """A JSON export cannot be read back."""


class PhoneServerError(KnownError):
    """The phones' voting page cannot be served on the chosen address or port."""
