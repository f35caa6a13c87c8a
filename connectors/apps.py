from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    """The systems where a person's data actually lives (the register's systems), reached by a
    connector each: a SQL database through a dataset mapping, an HTTP system through our contract,
    or a manual task. Everything here is declared to the apps that use it, never imported by
    them."""

    name = "connectors"
    # What needs attention on the privacy officer's start page (accounts.start_page).
    start_page_sections = "connectors.selectors.start_page_sections"
    verbose_name = _("Koppelingen")
    # Agents see on a request how each system answered; only the officer configures connectors.
    agent_permissions: tuple[str, ...] = ("view_connectorrun",)

    # Each automatic connector is a source of personal data of its own (subject_rights collects
    # them): the access package lists each system with its data, an erasure reaches each system.
    personal_data_sources = "connectors.personal_data.sources"
    # The systems' answers on the desk's request page (requests_desk.selectors.request_panels).
    desk_request_panel = ("connectors", "connectors.selectors.panel", "connectors/_panel.html")
    # The systems a connector carries out itself get no checklist task by hand (requests_desk).
    checklist_automatic_systems = "connectors.selectors.automatic_system_ids"
    # What the register's completeness report adds for the systems (privacy_register reads it).
    register_findings = "connectors.selectors.register_findings"
    # What the erasure's confirmation letter says per system (subject_rights reads it).
    erasure_letter_lines = "connectors.selectors.erasure_letter_lines"
    # Everyone a connected system holds, for the notice to the people affected by a breach
    # (breaches reads them by dotted path: the systems that can list, and the people in them).
    notice_people_systems = "connectors.people.system_ids"
    notice_people = "connectors.people.people_in"
