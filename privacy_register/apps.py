from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyRegisterConfig(AppConfig):
    name = "privacy_register"
    # What needs attention on the privacy officer's start page (accounts.start_page).
    start_page_sections = "privacy_register.selectors.start_page_sections"
    verbose_name = _("Verwerkingsregister")
    # What the customer-service agents may do here (accounts.roles reads it): read only.
    agent_permissions: tuple[str, ...] = ()
