"""With STAFF_MFA_REQUIRED on, a user with a role (or staff) reaches no page outside the sign-in
pages until this session has passed a second factor: the admin (and with it the API's key
management), the desk, every staff page. One without a factor is sent to enrol one; enrolling
it counts as passing it for this session (the form has just checked a code or the key)."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.roles import role_of
from accounts.second_factor import ENROLLED_KEY, session_has_second_factor

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
        if not self._enrolling(request):
            return self.get_response(request)
        had_factor = is_mfa_enabled(request.user)
        response = self.get_response(request)
        # Here rather than on allauth's authenticator_added, which is sent on commit: inside a
        # test's transaction (or an atomic request) that is after the session was saved.
        if not had_factor and is_mfa_enabled(request.user):
            request.session[ENROLLED_KEY] = True
        return response

    def _enrolling(self, request) -> bool:
        return (
            request.method == "POST"
            and request.path.startswith("/accounts/2fa/")
            and request.user.is_authenticated
        )

    def _refused(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return False
        if not (user.is_staff or user.is_superuser or role_of(user)):
            return False
        return not session_has_second_factor(request)
