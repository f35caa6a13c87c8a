"""Factories of the register app."""

__all__: list[str] = []
