"""Factories of the desk app."""

__all__: list[str] = []
