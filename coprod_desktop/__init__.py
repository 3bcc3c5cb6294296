"""coprod-desktop: run a co-production workshop from a laptop and a projector."""

__version__ = "0.1.0"
