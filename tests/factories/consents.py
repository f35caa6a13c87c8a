"""Factories of the consents app."""

__all__: list[str] = []
