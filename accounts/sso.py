"""Single sign-on with OpenID Connect (django-allauth's openid_connect provider), optional by
settings (OIDC_SERVER_URL): the office's Entra ID, Google or Keycloak signs the user in.

allauth checks the ID token's issuer, audience and expiry, but skips the signature when the token
came straight from the token endpoint, and sends no nonce. Here every sign-in sends a nonce (kept
in allauth's state for this sign-in), and the token's signature and nonce are checked too. The
role follows the group claim at every sign-in (accounts.services.roles_sync_from_claims)."""

import secrets

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _


def office_app():
    """The one provider of the office, from the OIDC_ settings (no SocialApp rows: configured,
    not clicked together in the admin); None when SSO is off."""
    from allauth.socialaccount.models import SocialApp

    if not settings.OIDC_SERVER_URL:
        return None
    return SocialApp(
        provider="openid_connect",
        provider_id=settings.OIDC_PROVIDER_ID,
        name=settings.OIDC_PROVIDER_NAME,
        client_id=settings.OIDC_CLIENT_ID,
        secret=settings.OIDC_CLIENT_SECRET,
        settings={
            "server_url": settings.OIDC_SERVER_URL,
            "token_auth_method": "client_secret_basic",
            "oauth_pkce_enabled": True,
            "scope": settings.OIDC_SCOPES,
        },
    )


def claims_of(sociallogin) -> dict:
    """The ID token's claims, with userinfo's on top (allauth stores both in extra_data)."""
    data = sociallogin.account.extra_data or {}
    return {**data.get("id_token", {}), **data.get("userinfo", {})}


class OfficeOIDCAdapter(OpenIDConnectOAuth2Adapter):
    state: dict | None = None

    def _decode_id_token(self, app, id_token: str) -> dict:
        claims = jwtkit.verify_and_decode(  # signature always: the key from the provider's JWKS
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        expected = (self.state or {}).get("nonce")
        if not expected or not secrets.compare_digest(str(claims.get("nonce", "")), expected):
            raise OAuth2Error("ID token nonce does not match this sign-in")
        return claims


class OfficeOIDCProvider(OpenIDConnectProvider):
    oauth2_adapter_class = OfficeOIDCAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params()
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


class OfficeCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state  # the nonce sent with this sign-in, for _decode_id_token
        return state, response


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        app = office_app()
        if app is None or (provider and provider not in (app.provider, app.provider_id)):
            return []
        return [] if client_id and client_id != app.client_id else [app]

    def get_provider(self, request, provider, client_id=None):
        found = super().get_provider(request, provider, client_id=client_id)
        if isinstance(found, OpenIDConnectProvider) and not isinstance(found, OfficeOIDCProvider):
            return OfficeOIDCProvider(request, app=found.app)
        return found

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """A colleague from the company directory gets an account at first sign-in, but only
        if a group of theirs maps to a role (OIDC_GROUP_ROLES)."""
        from accounts.services import roles_from_claims

        if roles_from_claims(claims_of(sociallogin)):
            return True
        messages.error(request, _("Uw account heeft geen rol in het privacykantoor."))
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        from accounts.services import roles_sync_from_claims

        if sociallogin.is_existing:
            roles_sync_from_claims(user=sociallogin.user, claims=claims_of(sociallogin))

    def save_user(self, request, sociallogin, form=None):
        from accounts.services import roles_sync_from_claims

        user = super().save_user(request, sociallogin, form=form)
        roles_sync_from_claims(user=user, claims=claims_of(sociallogin))
        return user


def _adapter(request, provider_id):
    if not settings.OIDC_SERVER_URL or provider_id != settings.OIDC_PROVIDER_ID:
        raise Http404
    return OfficeOIDCAdapter(request, provider_id)


def login(request, provider_id):
    return OAuth2LoginView.adapter_view(_adapter(request, provider_id))(request)


def callback(request, provider_id):
    return OfficeCallbackView.adapter_view(_adapter(request, provider_id))(request)
