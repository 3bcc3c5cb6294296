"""`python -m coprod_desktop` and the `coprod-desktop` command."""

from __future__ import annotations

import sys

from .app import main

if __name__ == "__main__":
    sys.exit(main())
