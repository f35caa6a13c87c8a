"""Whether this session has passed the second factor: allauth records an `mfa` method in the
session when the code or the security key was checked at sign-in, and enrolling a factor in
this session counts too (the user has just proved they hold it; accounts.middleware marks it),
and so does a single sign-on when the office's provider is trusted to have asked its own."""

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings

ENROLLED_KEY = "accounts_second_factor_enrolled"


def session_has_second_factor(request) -> bool:
    if request.session.get(ENROLLED_KEY):
        return True
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    if any(record.get("method") == "mfa" for record in records):
        return True
    # An SSO sign-in: the office's provider asked its own second factor (OIDC_COUNTS_AS_…).
    return settings.OIDC_COUNTS_AS_SECOND_FACTOR and any(
        record.get("method") == "socialaccount" for record in records
    )
