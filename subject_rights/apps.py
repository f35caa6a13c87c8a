from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The data subjects' rights carried out across the apps: access and portability (a ZIP with
    a signed link), rectification, erasure and restriction, over the registry of personal-data
    sources (`subject_rights.sources`) that every app declares on its own `AppConfig`."""

    name = "subject_rights"
    # What needs attention on the privacy officer's start page (accounts.start_page).
    start_page_sections = "subject_rights.selectors.start_page_sections"
    verbose_name = _("Rechten van betrokkenen")
    # Agents build an access package and enter corrections; erasing and lifting a restriction is
    # the privacy officer's (the custom permissions on AccessPackage).
    agent_permissions: tuple[str, ...] = ("view_accesspackage", "add_accesspackage")

    # Where this app keeps personal data, for the rights (subject_rights.sources collects it).
    personal_data_source = "subject_rights.personal_data.SOURCE"
    # The rights card on the desk's request page (requests_desk.selectors.request_panels reads it).
    desk_request_panel = ("rights", "subject_rights.selectors.panel", "subject_rights/_panel.html")
