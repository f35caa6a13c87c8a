import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts.demo_users import DEMO_USERS, create_demo_users
from accounts.roles import role_of


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_each_demo_user_logs_in_with_the_printed_password_and_has_its_role(roles, debug_on, rf):
    call_command("create_demo_users")
    for username, password, role, *_ in DEMO_USERS:
        user = authenticate(rf.post("/accounts/login/"), username=username, password=password)
        assert user is not None
        assert role_of(user) == role


def test_demo_users_are_created_once(roles, debug_on, django_user_model):
    create_demo_users()
    create_demo_users()
    assert django_user_model.objects.count() == len(DEMO_USERS)


def test_no_demo_users_without_debug(roles, settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        create_demo_users()
    assert not django_user_model.objects.exists()
