from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsDeskConfig(AppConfig):
    name = "requests_desk"
    # The kinds of request, for the register's activity form (privacy_register.forms).
    request_kinds = "requests_desk.models.RequestKind"
    # What needs attention on the privacy officer's start page (accounts.start_page).
    start_page_sections = "requests_desk.selectors.start_page_sections"
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

    # Where this app keeps personal data, for the rights (subject_rights.sources collects it).
    personal_data_source = "requests_desk.personal_data.SOURCE"
