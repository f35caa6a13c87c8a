from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreachesConfig(AppConfig):
    """The register of personal-data breaches (Art. 33, 34 GDPR)."""

    name = "breaches"
    # What needs attention on the privacy officer's start page (accounts.start_page).
    start_page_sections = "breaches.selectors.start_page_sections"
    verbose_name = _("Datalekken")
    # Every member of staff reports breaches (accounts.roles reads these); an agent sees only the
    # breaches they reported (breaches.selectors.visible_to), the officer and the auditor see all
    # of them through `view_breach`. Reporting is the one thing an auditor writes: a new report,
    # never a change to what exists.
    agent_permissions: tuple[str, ...] = ("report_breach",)
    auditor_permissions: tuple[str, ...] = ("report_breach",)
    # A panel on the desk's dashboard (requests_desk reads it by dotted path: it never imports
    # this app).
    desk_dashboard_panel = "breaches.views.dashboard_panel"
