"""Session files (.coprod, SQLite) and JSON interchange. No Qt."""
