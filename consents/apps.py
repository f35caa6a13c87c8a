from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentsConfig(AppConfig):
    name = "consents"
    verbose_name = _("Toestemmingen")
    # What the customer-service agents may do here (accounts.roles reads it).
    agent_permissions: tuple[str, ...] = ()
