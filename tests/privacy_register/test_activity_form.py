"""The register's activity form in the admin shows its list field as ticks, not raw JSON ("[]"),
and refuses an unknown kind with a message in the UI's language."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from privacy_register.forms import ProcessingActivityForm
from privacy_register.models import ProcessingActivity

pytestmark = pytest.mark.django_db


def test_the_request_kinds_are_ticks_with_the_desks_labels(client, privacy_officer, register):
    activity = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    activity.request_kinds = ["access", "erasure"]
    activity.save()
    client.force_login(privacy_officer)
    url = reverse("admin:privacy_register_processingactivity_change", args=[activity.pk])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="request_kinds" value="access"' in page
    assert "Inzage" in page and "Bezwaar tegen direct marketing" in page
    assert "[]" not in page and "&quot;access&quot;" not in page
    form = ProcessingActivityForm(instance=activity)
    assert form["request_kinds"].value() == ["access", "erasure"]


def test_the_ticks_save_as_the_list_the_desk_reads():
    field = ProcessingActivityForm.base_fields["request_kinds"]
    assert field.clean(["restriction", "portability"]) == ["restriction", "portability"]
    assert field.clean([]) == []


@pytest.mark.parametrize(
    ("language", "message"),
    [("nl", "Selecteer een geldige keuze"), ("en", "Select a valid choice")],
)
def test_an_unknown_kind_is_refused_in_the_ui_language(language, message):
    field = ProcessingActivityForm.base_fields["request_kinds"]
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            field.clean(["everything"])
        assert message in str(refused.value.messages[0])
