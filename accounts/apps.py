from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers en rollen")
    # Append-only tables an auditor exports beside the history tables (audit_exports reads it):
    # model name → the moment the date filter uses.
    event_tables: dict[str, str] = {"signinevent": "at"}

    def ready(self):
        from accounts import sign_in_history

        sign_in_history.connect()


class OfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the office's site (its start page) as `admin.site`."""

    default = False  # named in INSTALLED_APPS; AccountsConfig stays the app's own
    default_site = "accounts.admin_site.OfficeAdminSite"
