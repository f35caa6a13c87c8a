"""The registry of personal-data sources: every app that holds personal data says, once, how to
find one person's data, export it, rectify it and erase it. The rights (access, portability,
rectification, erasure) walk this registry. An app declares its source on its own `AppConfig`
(`personal_data_source`, the dotted path of a `Source`; or `personal_data_sources`, the dotted path
of a function returning several, one per connected system), as `accounts.roles` reads the
permissions each app lists; this module collects them, in the order of INSTALLED_APPS, so no app
imports one above it and adding a source changes nothing here.

The contract itself (`Person`, `Kept`, `Source`) is `consents.sources`.
"""

from django.apps import apps
from django.utils.module_loading import import_string

from consents.sources import Kept, Person, Rows, Source

__all__ = ["Kept", "Person", "Rows", "Source", "erasure_letter_lines", "sources"]


def sources() -> list[Source]:
    """Every declared source, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        if getattr(config, "personal_data_source", None):
            found.append(import_string(config.personal_data_source))
        if getattr(config, "personal_data_sources", None):
            found += import_string(config.personal_data_sources)()
    return found


def erasure_letter_lines(request) -> list[str]:
    """What each app that reaches other systems says of an erasure in them, a line per system, for
    the confirmation letter (`erasure_letter_lines` on an AppConfig: the dotted path of a function
    of the request)."""
    lines = []
    for config in apps.get_app_configs():
        if getattr(config, "erasure_letter_lines", None):
            lines += import_string(config.erasure_letter_lines)(request)
    return lines
