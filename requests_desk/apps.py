from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsDeskConfig(AppConfig):
    name = "requests_desk"
    verbose_name = _("Verzoekenbalie")
    # What the customer-service agents may do here (accounts.roles reads it).
    agent_permissions: tuple[str, ...] = (
        "view_datasubjectrequest",
        "add_datasubjectrequest",
        "change_datasubjectrequest",
        "view_requestevent",
        "view_requesttask",
        "change_requesttask",
        "view_lettertemplate",
        "view_outboxmessage",
    )

    def ready(self):
        from requests_desk import personal_data
        from subject_rights.sources import register

        register(personal_data.SOURCE)
