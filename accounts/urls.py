from allauth.account.views import LoginView
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    # allauth's sign-in (with its second-factor stage), under the name the templates use.
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("allauth.urls")),
]
