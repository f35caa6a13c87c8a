from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditExportsConfig(AppConfig):
    name = "audit_exports"
    verbose_name = _("Auditexports")
    # Auditors may export (and read the log); they change nothing (accounts.roles reads it).
    auditor_permissions: tuple[str, ...] = ("export_history",)
    agent_permissions: tuple[str, ...] = ()
