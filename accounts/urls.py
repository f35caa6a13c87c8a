from allauth.account.views import LoginView
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import include, path, re_path

from accounts import sso


def not_offered(request, *args, **kwargs):
    """allauth's pages that staff accounts do not use: sign-up (the officer makes accounts),
    e-mail management, password reset by mail, sign-in codes, linking other accounts."""
    raise Http404


urlpatterns = [
    # allauth's sign-in (with its second-factor stage), under the name the templates use.
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    re_path(r"^(signup|email|password|confirm-email|login/code|3rdparty/?$)", not_offered),
    # Single sign-on: allauth's openid_connect URLs, served by views that also check the ID
    # token's signature and nonce (accounts.sso); first, so they answer before allauth's own.
    path("oidc/<str:provider_id>/login/", sso.login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", sso.callback, name="openid_connect_callback"),
    path("", include("allauth.urls")),
]
