"""The operations on staff accounts: the sign-in history and the officer's unlock."""

from axes.utils import reset as axes_reset
from django.db import transaction

from accounts.client_address import client_address
from accounts.models import SignInEvent, SignInEventKind


@transaction.atomic
def signin_record(
    *,
    kind: str,
    request=None,
    user=None,
    username: str = "",
    method: str = "",
    detail: str = "",
    by=None,
) -> SignInEvent:
    """One line of the sign-in history; where and with what it came from the request, if any."""
    address = client_address(request) if request is not None else ""
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        method=method[:100],
        detail=detail[:300],
        address=address or None,
        user_agent=agent[:300],
        by=by,
    )


@transaction.atomic
def account_unlock(*, user, request=None, by) -> int:
    """Lift every lock on this user name (per address and across addresses): the privacy
    officer's, from the admin. Returns the number of lock records removed."""
    removed = axes_reset(username=user.get_username())
    signin_record(kind=SignInEventKind.UNLOCKED, request=request, user=user, method="admin", by=by)
    return removed
