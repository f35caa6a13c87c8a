"""The three roles of the privacy office and the permissions each one holds.

One table, read by `manage.py setup_roles`, by the templates (which role a user has) and by the
permission-matrix tests. The domain apps declare what an agent may do in their AppConfig
(`agent_permissions`); the officer and the auditor follow from a rule, so a new model is covered
the moment it exists:

- Privacy officer: every permission of the domain apps, plus users and groups (roles); history
  tables only to view, since nobody rewrites history.
- Auditor: every `view_` permission of the domain apps (history included) plus users and groups,
  and whatever an app lists in `auditor_permissions` (exports).
- Klantenservice: exactly what the apps list in `agent_permissions`.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

PRIVACY_OFFICER = "Privacy officer"
AGENT = "Klantenservice"
AUDITOR = "Auditor"
ROLES = (PRIVACY_OFFICER, AGENT, AUDITOR)
# The roles that work in the Django admin; agents work in the desk.
STAFF_ROLES = (PRIVACY_OFFICER, AUDITOR)

DOMAIN_APPS = (
    "privacy_register",
    "consents",
    "requests_desk",
    "audit_exports",
    "subject_rights",
    "connectors",
    "breaches",
    "api",
)


def _declared(attribute: str) -> Q:
    query = Q(pk__in=[])
    for label in DOMAIN_APPS:
        for codename in getattr(apps.get_app_config(label), attribute, ()):
            query |= Q(content_type__app_label=label, codename=codename)
    return query


def permissions_for(role: str):
    domain = Q(content_type__app_label__in=DOMAIN_APPS)
    history = Q(content_type__model__startswith="historical")
    # Users, roles, and the sign-in history (which the services write; the admin edits none of it).
    people = Q(content_type__app_label="auth", content_type__model__in=("user", "group")) | Q(
        content_type__app_label="accounts"
    )
    view = Q(codename__startswith="view_")
    if role == PRIVACY_OFFICER:
        query = (domain & ~history) | (domain & history & view) | people
    elif role == AUDITOR:
        query = ((domain | people) & view) | _declared("auditor_permissions")
    elif role == AGENT:
        query = _declared("agent_permissions")
    else:
        raise ValueError(f"unknown role {role!r}")
    return Permission.objects.filter(query).select_related("content_type")


@transaction.atomic
def setup_roles() -> dict[str, int]:
    """Create the groups and give each exactly its permissions; safe to run again at any time."""
    counts = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        permissions = list(permissions_for(role))
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts


def role_of(user) -> str | None:
    """The role a user has (the first, if someone was put in more than one group)."""
    if not user.is_authenticated:
        return None
    names = {group.name for group in user.groups.all()}
    return next((role for role in ROLES if role in names), None)


def users_in_role(role: str):
    """The active users who hold `role` (the privacy officers a job writes to, say)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=role, is_active=True)
