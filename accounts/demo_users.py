"""One demo user per role, for `make run` on a developer's machine (never in production)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.roles import AGENT, AUDITOR, PRIVACY_OFFICER, STAFF_ROLES

DEMO_USERS = (
    # (username, password, role, first name, last name)
    ("privacy", "privacy-demo-2026", PRIVACY_OFFICER, "Priya", "de Vries"),
    ("agent", "agent-demo-2026", AGENT, "Kees", "Jansen"),
    ("auditor", "auditor-demo-2026", AUDITOR, "Anna", "Bakker"),
)


@transaction.atomic
def create_demo_users() -> list[tuple[str, str, str]]:
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo users are only created when DEBUG is on.")
    User = get_user_model()
    created = []
    for username, password, role, first_name, last_name in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.email = f"{username}@rezulto.example"
        user.is_staff = role in STAFF_ROLES
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        created.append((username, password, role))
    return created
