"""factory-boy factories, one module per app; import them from here."""

from .accounts import UserFactory  # noqa: F401
