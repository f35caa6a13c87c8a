"""The admin's history pages (django-simple-history's and Django's own) in the UI's language:
the changed field by its label, values as the forms show them ("—" for nothing, dates in the
language's format, choices by their label), the person by their full name."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from privacy_register.models import ProcessingActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(register, privacy_officer):
    privacy_officer.first_name, privacy_officer.last_name = "Priya", "Ramdin"
    privacy_officer.save()
    activity = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    activity.next_review_on = None
    activity._history_user = privacy_officer
    activity.save()
    activity.next_review_on = dt.date(2027, 6, 1)
    activity._history_user = privacy_officer
    activity.save()
    return activity


def _history(client, activity, language):
    client.cookies["django_language"] = language
    url = reverse("admin:privacy_register_processingactivity_history", args=[activity.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_history_page_is_in_dutch_with_display_values_and_full_names(
    client, privacy_officer, edited
):
    client.force_login(privacy_officer)
    page = _history(client, edited, "nl")
    assert "Kies een datum in de lijst hieronder" in page
    assert "Gewijzigd door" in page and "Wijzigingen" in page and ">Gewijzigd<" in page
    assert "Volgende review:</strong> — &rarr; 1 juni 2027" in page
    assert "Priya Ramdin" in page and ">priya<" not in page
    assert "None" not in page and "Choose a date" not in page and "Changed by" not in page


def test_the_history_page_is_in_english_when_the_ui_is(client, privacy_officer, edited):
    client.force_login(privacy_officer)
    page = _history(client, edited, "en")
    assert "Choose a date from the list below" in page
    assert "Changed by" in page and ">Changed<" in page
    assert "— &rarr; June 1, 2027" in page
    assert "Kies een datum" not in page and "Gewijzigd door" not in page


def test_djangos_own_history_names_the_person_in_full(client, privacy_officer, auditor):
    privacy_officer.first_name, privacy_officer.last_name = "Priya", "Ramdin"
    privacy_officer.save()
    LogEntry.objects.create(
        user=privacy_officer,
        content_type=ContentType.objects.get_for_model(auditor),
        object_id=str(auditor.pk),
        object_repr=str(auditor),
        action_flag=CHANGE,
    )
    client.force_login(privacy_officer)
    page = client.get(reverse("admin:auth_user_history", args=[auditor.pk])).content.decode()
    assert "Priya Ramdin" in page and "priya (" not in page
