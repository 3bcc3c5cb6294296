"""Exports made from domain objects (PDF, CSV). No Qt; imported lazily."""
