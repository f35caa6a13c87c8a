import pytest
from django.apps import apps


@pytest.fixture
def django_app_configs():
    return list(apps.get_app_configs())
