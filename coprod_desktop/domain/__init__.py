"""The workshop as plain Python: no Qt, no files. See ARCHITECTURE.md."""
