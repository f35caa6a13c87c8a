from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentsConfig(AppConfig):
    name = "consents"
    verbose_name = _("Toestemmingen")
    # What the customer-service agents may do here (accounts.roles reads it).
    # Agents record a consent or an opt-out given by phone, and may look a subject up.
    agent_permissions: tuple[str, ...] = (
        "add_consentevent",
        "view_consentpurpose",
        "view_datasubject",
    )

    def ready(self):
        from consents import personal_data
        from subject_rights.sources import register

        register(personal_data.SOURCE)
