"""Stored XSS: markup typed into any free-text field that a page shows back comes out escaped, on
the desk, in the admin and on the public pages."""

import pytest
from django.urls import reverse

from consents.models import DataSubject
from privacy_register.models import ProcessingActivity
from privacy_register.services import statement_publish
from requests_desk.services import request_complete, request_note, request_verify_identity
from tests.factories import open_request

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def assert_escaped(response):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert PAYLOAD not in page and "<script>alert" not in page and "<img src=x" not in page
    return page


@pytest.fixture
def marked_up(register, privacy_officer):
    """A request whose every free text carries markup: name, address, description, a note, the
    outcome (which goes into the completion letter), and the subject's name."""
    request = open_request(
        requester_name=f"Joke {PAYLOAD}",
        requester_address=f"Straat 1 {PAYLOAD}",
        description=f"Graag inzage {PAYLOAD}",
    )
    request_note(request=request, text=f"Gebeld {PAYLOAD}", by=privacy_officer)
    request_verify_identity(request=request, method="email", by=privacy_officer)
    return request_complete(
        request=request,
        by=privacy_officer,
        outcome=f"Verstuurd {PAYLOAD}",
        override_reason=f"Geen systemen {PAYLOAD}",
    )


def test_the_desk_shows_free_text_escaped(client_as, marked_up):
    client = client_as("privacy_officer")
    page = assert_escaped(client.get(reverse("desk:detail", args=[marked_up.reference])))
    assert "&lt;script&gt;" in page  # shown, as text
    assert_escaped(client.get(reverse("desk:queue") + "?tab=closed"))
    assert_escaped(client.get(reverse("desk:search"), {"q": "Joke"}))
    assert_escaped(client.get(reverse("desk:search"), {"q": PAYLOAD}))
    assert_escaped(
        client.get(reverse("desk:letter_preview", args=[marked_up.reference, "acknowledgement"]))
    )


def test_the_admin_shows_free_text_escaped(client_as, marked_up):
    client = client_as("privacy_officer")
    subject = DataSubject.objects.get(pk=marked_up.subject_id)
    for url in (
        reverse("admin:requests_desk_datasubjectrequest_change", args=[marked_up.pk]),
        reverse("admin:requests_desk_datasubjectrequest_changelist") + "?q=Joke",
        reverse("admin:requests_desk_outboxmessage_changelist"),
        reverse("admin:requests_desk_requestevent_changelist"),
        reverse("admin:consents_datasubject_change", args=[subject.pk]),
        reverse("admin:consents_datasubject_history", args=[subject.pk]),
    ):
        assert_escaped(client.get(url))


def test_the_published_statement_shows_register_text_escaped(client_as, register, privacy_officer):
    activity = ProcessingActivity.objects.filter(status="active").first()
    activity.name, activity.purposes = f"Nieuwsbrief {PAYLOAD}", f"Informeren {PAYLOAD}"
    activity.save()
    statement_publish(by=privacy_officer)
    assert_escaped(client_as("anonymous").get(reverse("register_public:statement")))
    assert_escaped(
        client_as("privacy_officer").get(
            reverse("admin:privacy_register_processingactivity_change", args=[activity.pk])
        )
    )
