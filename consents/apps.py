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

    # Where this app keeps personal data, for the rights (subject_rights.sources collects it).
    personal_data_source = "consents.personal_data.SOURCE"

    # The ledger's section of the privacy officer's daily digest (privacy_register.jobs reads it).
    register_digest_section = "consents.digest.checkpoint_section"
