"""factory-boy factories, one module per app; import them from here."""

from .accounts import *  # noqa: F403
from .breaches import *  # noqa: F403
from .consents import *  # noqa: F403
from .desk import *  # noqa: F403
from .register import *  # noqa: F403
from .self_service import *  # noqa: F403
