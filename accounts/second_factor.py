"""Whether this session has passed the second factor: allauth records an `mfa` method in the
session when the code or the security key was checked at sign-in, and enrolling a factor in
this session counts too (the user has just proved they hold it; accounts.middleware marks it)."""

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

ENROLLED_KEY = "accounts_second_factor_enrolled"


def session_has_second_factor(request) -> bool:
    if request.session.get(ENROLLED_KEY):
        return True
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    return any(record.get("method") == "mfa" for record in records)
