"""The operations on staff accounts: the sign-in history, the officer's unlock, and the roles
that follow an SSO sign-in's group claims."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.client_address import client_address
from accounts.models import SignInEvent, SignInEventKind
from accounts.roles import ROLES, STAFF_ROLES


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


def roles_from_claims(claims: dict) -> set[str]:
    """Our roles for the groups in an SSO sign-in's claims, by OIDC_GROUP_ROLES (group → role),
    configured per office: Entra ID sends group ids, Keycloak and Google group names."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = settings.OIDC_GROUP_ROLES
    return {mapping[group] for group in groups if mapping.get(group) in ROLES}


@transaction.atomic
def roles_sync_from_claims(*, user, claims: dict) -> None:
    """At every SSO sign-in the user's roles become those their groups map to: a role whose
    group is gone is removed now, not at some later review (each change is in the sign-in
    history, accounts.sign_in_history). Groups that are no role are left alone. With
    OIDC_LOCAL_PASSWORDS off, the user's local password stops working."""
    wanted = roles_from_claims(claims)
    held = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    if held - wanted:
        user.groups.remove(*Group.objects.filter(name__in=held - wanted))
    if wanted - held:
        user.groups.add(*Group.objects.filter(name__in=wanted - held))
    user.is_staff = bool(wanted & set(STAFF_ROLES))
    if not settings.OIDC_LOCAL_PASSWORDS:
        user.set_unusable_password()
    user.save()
