"""The sign-in form: allauth's, also accepting the field name `username` that Django's own login
form used (scripts and password managers of the office post it), and refusing the local password
of an SSO user when OIDC_LOCAL_PASSWORDS is off."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.socialaccount.models import SocialAccount
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)

    def clean(self):
        login = self.cleaned_data.get("login")
        if (
            login
            and not settings.OIDC_LOCAL_PASSWORDS
            and SocialAccount.objects.filter(user__username=login).exists()
        ):
            # Before the password is looked at, and in the words of a wrong password: the
            # answer tells nobody which accounts are SSO accounts.
            raise forms.ValidationError(
                _("Gebruikersnaam of wachtwoord klopt niet. Probeer het opnieuw.")
            )
        return super().clean()
