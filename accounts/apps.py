from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers en rollen")
    # Append-only tables an auditor exports beside the history tables (audit_exports reads it):
    # model name → the moment the date filter uses.
    event_tables: dict[str, str] = {"signinevent": "at"}

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from accounts import sign_in_history
        from accounts.second_factor import mark_enrolled

        sign_in_history.connect()
        authenticator_added.connect(mark_enrolled, dispatch_uid="accounts.second_factor")
