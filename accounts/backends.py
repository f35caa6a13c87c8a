"""Authentication backends beside django-axes (settings.AUTHENTICATION_BACKENDS).

axes locks the pair (user name, address). That leaves an attacker with many addresses as many
guesses; the ceiling here counts the failures of one user name over every address within the
cool-off time (axes' own AccessAttempt rows, so an officer's unlock in the admin resets both):
after ACCOUNT_SLOW_AFTER failures an attempt must wait 2, 4, 8 … seconds after the last failure,
after ACCOUNT_LOCK_AFTER it is refused until the cool-off ends. The user name is counted whether
or not such an account exists, so the answer never tells which names do.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.utils import timezone


def account_failures(username: str) -> tuple[int, object]:
    """(failures of this user name over all addresses within the cool-off, the last one's time)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    found = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return found["failures"] or 0, found["last"]


def account_wait(username: str) -> timedelta | None:
    """How long this user name must still wait before its next attempt (None: it may try now)."""
    failures, last = account_failures(username)
    if failures >= settings.ACCOUNT_LOCK_AFTER:
        return last + settings.AXES_COOLOFF_TIME - timezone.now()
    if failures >= settings.ACCOUNT_SLOW_AFTER:
        delay = timedelta(seconds=2 ** (failures - settings.ACCOUNT_SLOW_AFTER + 1))
        left = last + delay - timezone.now()
        return left if left > timedelta(0) else None
    return None


class AccountCeilingBackend:
    """Refuses every attempt (the right password too) while the user name waits or is locked.
    Deliberately no get_user(): sessions (and force_login) belong to the backend that signed in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        wait = account_wait(username)
        if wait is not None:
            # AxesMiddleware turns this flag into the lockout page (accounts.views.locked_out).
            request.axes_locked_out = True
            request.account_wait = wait
            raise PermissionDenied
        return None
