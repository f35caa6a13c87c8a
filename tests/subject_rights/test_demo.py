"""The demo office shows the rights at work: an access package built and mailed, a restriction in
force; loading the demo again adds nothing."""

import pytest
from django.core.management import call_command

from consents.models import DataSubject
from requests_desk.models import OutboxMessage
from subject_rights.models import AccessPackage

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_package_and_restricts_once():
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)
    package = AccessPackage.objects.get()
    assert package.request.kind == "access" and package.size_bytes > 0
    assert OutboxMessage.objects.filter(letter_kind="access_package").count() == 1
    assert DataSubject.objects.filter(is_restricted=True).count() == 1
