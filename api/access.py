"""Who is calling and what it may do: the key in `Authorization: Api-Key <prefix>.<secret>`, the
scope each view asks per HTTP method, and the throttle per client."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from api.models import ApiKey

KEYWORD = "Api-Key"
# A key's last use is written at most this often: a busy client does not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`request.auth` is the `ApiKey`; `request.user` stays anonymous (no staff account behind a
    key, so a key never reaches the admin or the desk)."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _space, token = header.partition(" ")
        if keyword != KEYWORD:
            return None
        prefix, _dot, secret = token.strip().partition(".")
        key = (
            ApiKey.objects.select_related("client")
            .filter(prefix=prefix, revoked_at__isnull=True, client__is_active=True)
            .first()
        )
        if key is None or not secret or not key.matches(secret):
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel."))
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <prefix>.<secret>`",
        }


class HasScope(permissions.BasePermission):
    """The view's `scopes` maps an HTTP method to the scope it needs."""

    def has_permission(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            raise exceptions.NotAuthenticated(_("Geef een API-sleutel mee."))
        scope = view.scopes.get(request.method)
        if scope is None or not key.client.has_scope(scope):
            self.message = _("Deze sleutel heeft het recht '%(scope)s' niet.") % {"scope": scope}
            return False
        return True


class ClientThrottle(throttling.SimpleRateThrottle):
    """Calls per client (all its keys together), at API_RATE_LIMIT (e.g. "600/min")."""

    scope = "client"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.client_id}
