"""Receivers that write the sign-in history. The events happen inside Django, django-allauth and
django-axes, whose only hook is a signal; each receiver only calls `signin_record`."""

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from simple_history.models import HistoricalRecords

from accounts.models import SignInEventKind
from accounts.services import signin_record


def how_signed_in(request) -> str:
    """The methods of this session's sign-in as allauth recorded them: password+totp, sso:…"""
    methods = []
    for record in request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, []):
        if record.get("method") == "mfa":
            methods.append(record.get("type", "mfa"))
        elif record.get("method") == "socialaccount":
            methods.append(f"sso:{record.get('provider', '')}")
        else:
            methods.append(record.get("method", ""))
    return "+".join(dict.fromkeys(methods))


def on_signed_in(sender, request, user, **kwargs):
    if request is None:  # Client.force_login in tests: no sign-in happened
        return
    signin_record(
        kind=SignInEventKind.SIGNED_IN, request=request, user=user, method=how_signed_in(request)
    )


def on_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or credentials.get("login") or ""
    if getattr(request, "axes_locked_out", False):
        return  # refused while locked: the lockout page records it (accounts.views.locked_out)
    signin_record(
        kind=SignInEventKind.FAILED, request=request, username=username, method="password"
    )


def on_factor_added(sender, request, user, authenticator, **kwargs):
    signin_record(
        kind=SignInEventKind.FACTOR_ADDED,
        request=request,
        user=user,
        method=authenticator.type,
        by=user,
    )


def on_factor_removed(sender, request, user, authenticator, **kwargs):
    signin_record(
        kind=SignInEventKind.FACTOR_REMOVED,
        request=request,
        user=user,
        method=authenticator.type,
        by=user,
    )


def on_factor_failed(sender, request, user, **kwargs):
    signin_record(kind=SignInEventKind.FAILED, request=request, user=user, method="mfa")


def on_roles_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or reverse:
        return
    if action == "pre_clear":
        names = list(instance.groups.values_list("name", flat=True))
        sign = "-"
    else:
        names = list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        sign = "+" if action == "post_add" else "-"
    if not names:
        return
    # The request of this thread (simple_history's middleware keeps it): the admin or an SSO login.
    request = getattr(HistoricalRecords.context, "request", None)
    actor = getattr(request, "user", None)
    by = actor if actor is not None and actor.is_authenticated else None
    path = getattr(request, "path", "")
    method = "admin" if path.startswith("/admin/") else "sso" if "/oidc/" in path else "system"
    signin_record(
        kind=SignInEventKind.ROLE_CHANGED,
        request=request,
        user=instance,
        method=method,
        detail=", ".join(sign + name for name in sorted(names)),
        by=by,
    )


def connect() -> None:
    auth_signals.user_logged_in.connect(on_signed_in, dispatch_uid="accounts.signed_in")
    auth_signals.user_login_failed.connect(on_failed, dispatch_uid="accounts.failed")
    mfa_signals.authenticator_added.connect(on_factor_added, dispatch_uid="accounts.f_added")
    mfa_signals.authenticator_removed.connect(on_factor_removed, dispatch_uid="accounts.f_rm")
    mfa_signals.authentication_failed.connect(on_factor_failed, dispatch_uid="accounts.f_fail")
    m2m_changed.connect(
        on_roles_changed, sender=get_user_model().groups.through, dispatch_uid="accounts.roles"
    )
