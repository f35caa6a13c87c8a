"""With STAFF_MFA_REQUIRED on, a user with a role (or staff) reaches no page outside the sign-in
pages until this session has passed a second factor: the admin (and with it the API's key
management), the desk, every staff page. One without a factor is sent to enrol one."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.roles import role_of
from accounts.second_factor import session_has_second_factor

# The sign-in and enrolment pages, the language switch, the public pages and static files.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/privacy/", "/static/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_MFA_REQUIRED and self._refused(request):
            if is_mfa_enabled(request.user):
                messages.warning(request, _("Log opnieuw in met uw tweede factor."))
                return redirect("account_login")
            messages.warning(
                request,
                _("Stel eerst een tweede factor in: een app of een beveiligingssleutel."),
            )
            return redirect("mfa_index")
        return self.get_response(request)

    def _refused(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return False
        if not (user.is_staff or user.is_superuser or role_of(user)):
            return False
        return not session_has_second_factor(request)
