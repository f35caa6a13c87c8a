from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    """The public pages for data subjects (no account): a request form confirmed by e-mail and a
    preference centre. A public package over the domain's services, like pretix's `presale`."""

    name = "self_service"
    verbose_name = _("Zelfservice voor betrokkenen")

    # Where this app keeps personal data, for the rights (subject_rights.sources collects it).
    personal_data_source = "self_service.personal_data.SOURCE"
