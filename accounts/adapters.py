"""django-allauth adapter: staff accounts are made by the privacy officer, never by sign-up; the
first second factor may be enrolled straight after signing in."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.utils import is_mfa_enabled


def signed_in_recently(request) -> bool:
    """This session's password (or SSO) sign-in was within ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    records = get_authentication_records(request, request.user)
    moments = [record["at"] for record in records if record.get("method") != "mfa"]
    return bool(moments) and time.time() - max(moments) < account_settings.REAUTHENTICATION_TIMEOUT


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks for the password again before any change of factors. Enrolment is forced
        at first sign-in (accounts.middleware), so for a user who has no factor yet the sign-in of
        a moment ago counts; once a factor exists, changing factors asks again (with the factor)."""
        request = context.request
        if (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and not is_mfa_enabled(request.user)
            and signed_in_recently(request)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
