"""Qt widgets, views and the document that owns the open session."""
