from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreachesConfig(AppConfig):
    """The register of personal-data breaches (Art. 33, 34 GDPR)."""

    name = "breaches"
    verbose_name = _("Datalekken")
    # Agents and the officer report breaches (accounts.roles reads this); an agent sees only the
    # breaches they reported (breaches.selectors.visible_to), the officer and the auditor see all
    # of them through `view_breach`. The auditor only reads: the role changes nothing anywhere.
    agent_permissions: tuple[str, ...] = ("add_breach",)
    # A panel on the desk's dashboard (requests_desk reads it by dotted path: it never imports
    # this app).
    desk_dashboard_panel = "breaches.views.dashboard_panel"
