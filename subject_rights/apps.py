from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The data subjects' rights carried out across the apps: access and portability (a ZIP with
    a signed link), rectification, erasure and restriction, over the registry of personal-data
    sources (`subject_rights.sources`) that every app fills in its own `ready()`."""

    name = "subject_rights"
    verbose_name = _("Rechten van betrokkenen")
    # Agents build an access package and enter corrections; erasing and lifting a restriction is
    # the privacy officer's (the custom permissions on AccessPackage).
    agent_permissions: tuple[str, ...] = ("view_accesspackage", "add_accesspackage")

    def ready(self):
        from subject_rights import personal_data
        from subject_rights.sources import register

        register(personal_data.SOURCE)
