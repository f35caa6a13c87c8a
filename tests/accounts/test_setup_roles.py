from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.roles import AGENT, AUDITOR, PRIVACY_OFFICER, ROLES, permissions_for, setup_roles


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_setup_roles_creates_the_three_groups(db):
    call_command("setup_roles")
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)


def test_setup_roles_twice_changes_nothing(db):
    setup_roles()
    before = {role: codenames(role) for role in ROLES}
    setup_roles()
    assert Group.objects.count() == 3
    assert {role: codenames(role) for role in ROLES} == before


def test_setup_roles_restores_a_permission_taken_away_and_removes_one_added(db):
    setup_roles()
    auditor = Group.objects.get(name=AUDITOR)
    auditor.permissions.add(Permission.objects.get(codename="delete_user"))
    officer = Group.objects.get(name=PRIVACY_OFFICER)
    officer.permissions.remove(Permission.objects.get(codename="change_user"))
    setup_roles()
    assert "auth.delete_user" not in codenames(AUDITOR)
    assert "auth.change_user" in codenames(PRIVACY_OFFICER)


def test_auditor_holds_only_view_permissions_and_declared_exports(db):
    setup_roles()
    for perm in codenames(AUDITOR):
        app_label, codename = perm.split(".")
        assert codename.startswith(("view_", "export_", "report_")), perm


def test_privacy_officer_manages_users_and_roles(db):
    setup_roles()
    held = codenames(PRIVACY_OFFICER)
    assert {"auth.add_user", "auth.change_user", "auth.change_group"} <= held


def test_nobody_may_change_or_delete_history(db):
    setup_roles()
    for role in ROLES:
        for perm in codenames(role):
            app_label, codename = perm.split(".")
            if "historical" in codename:
                assert codename.startswith("view_"), (role, perm)


def test_agent_holds_exactly_what_the_apps_declare(db, django_app_configs):
    setup_roles()
    declared = {
        f"{config.label}.{codename}"
        for config in django_app_configs
        for codename in getattr(config, "agent_permissions", ())
    }
    assert codenames(AGENT) == declared
    assert set(permissions_for(AGENT)) == set(Group.objects.get(name=AGENT).permissions.all())
