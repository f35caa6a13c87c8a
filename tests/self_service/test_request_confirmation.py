"""Following the signed link in the confirmation mail: only a valid, unexpired, unused link files
the request; a tampered, expired or reused link gets a clear page and changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.formats import date_format

from consents.models import DataSubject
from requests_desk.models import (
    Channel,
    DataSubjectRequest,
    IdentityMethod,
    IdentityStatus,
    OutboxMessage,
    RequestKind,
)
from self_service.models import PendingSubmission
from self_service.rights import RIGHTS
from tests.factories import DataSubjectFactory
from tests.self_service.conftest import ACCESS_REQUEST, links_in, only_mail, path_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirm_path(client):
    client.post("/privacy/verzoek/", ACCESS_REQUEST)
    [link] = links_in(only_mail())
    return path_of(link)


def test_following_the_link_shows_the_request_and_files_nothing_yet(client, confirm_path):
    response = client.get(confirm_path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bevestig je verzoek" in page and "fatima@voorbeeld.nl" in page
    assert PendingSubmission.objects.count() == 1


def test_a_tampered_link_is_refused_and_changes_nothing(client, confirm_path):
    tampered = confirm_path.replace("/bevestig/", "/bevestig/x")
    for method in ("get", "post"):
        response = getattr(client, method)(tampered)
        assert response.status_code == 400
        assert "Deze link klopt niet" in response.content.decode()
    assert PendingSubmission.objects.count() == 1


def test_a_link_signed_for_another_purpose_is_refused(client, confirm_path):
    from self_service.tokens import preferences_link

    submission = PendingSubmission.objects.get()
    forged = preferences_link.make(str(submission.public_id))
    response = client.post(f"/privacy/verzoek/bevestig/{forged}/")
    assert response.status_code == 400
    assert PendingSubmission.objects.count() == 1


def test_an_expired_link_is_refused_and_changes_nothing(client, confirm_path, settings):
    later = timezone.now() + timedelta(seconds=settings.SELF_SERVICE_CONFIRMATION_MAX_AGE + 60)
    with time_machine.travel(later, tick=False):
        for method in ("get", "post"):
            response = getattr(client, method)(confirm_path)
            assert response.status_code == 410
            assert "Deze link is verlopen" in response.content.decode()
    assert PendingSubmission.objects.count() == 1


def test_a_link_whose_submission_was_removed_says_so(client, confirm_path):
    PendingSubmission.objects.all().delete()
    response = client.post(confirm_path)
    assert response.status_code == 410
    assert "al gebruikt of verlopen" in response.content.decode()


def test_the_confirmation_page_sends_no_cache_headers(client, confirm_path):
    assert "no-cache" in client.get(confirm_path)["Cache-Control"]


def confirm(client, confirm_path):
    response = client.post(confirm_path)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_confirming_files_the_request_from_the_web_form_with_verified_identity(
    client, confirm_path
):
    moment = timezone.now() + timedelta(hours=2)
    with time_machine.travel(moment, tick=False):
        confirm(client, confirm_path)

    desk_request = DataSubjectRequest.objects.get()
    assert desk_request.kind == RequestKind.ACCESS
    assert desk_request.channel == Channel.WEB_FORM
    assert desk_request.received_at == moment  # the clock starts at confirmation, not at submission
    assert desk_request.requester_name == "Fatima de Vries"
    assert desk_request.identity_status == IdentityStatus.VERIFIED
    assert desk_request.identity_method == IdentityMethod.EMAIL
    assert desk_request.subject.email == "fatima@voorbeeld.nl"
    assert not PendingSubmission.objects.exists()


def test_confirming_matches_the_request_to_the_known_subject(client, confirm_path):
    known = DataSubjectFactory(email="fatima@voorbeeld.nl")
    confirm(client, confirm_path)
    assert DataSubjectRequest.objects.get().subject == known


def test_confirming_queues_the_acknowledgement_letter(client, confirm_path):
    confirm(client, confirm_path)
    desk_request = DataSubjectRequest.objects.get()
    assert OutboxMessage.objects.filter(request=desk_request).exists()


def test_the_confirmation_page_shows_the_reference_and_the_promised_date(client, confirm_path):
    page = client.get(confirm(client, confirm_path)["Location"]).content.decode()
    desk_request = DataSubjectRequest.objects.get()
    assert desk_request.reference in page
    assert "Je verzoek is ontvangen" in page
    promised = min(desk_request.target_on, desk_request.due_on)
    assert date_format(promised, "l j F Y") in page


def test_a_used_link_files_nothing_a_second_time(client, confirm_path):
    confirm(client, confirm_path)
    response = client.post(confirm_path)
    assert response.status_code == 410
    assert "al gebruikt of verlopen" in response.content.decode()
    assert DataSubjectRequest.objects.count() == 1


def test_an_unconfirmed_submission_creates_no_request(client, confirm_path):
    client.get(confirm_path)
    assert not DataSubjectRequest.objects.exists()
    assert not DataSubject.objects.exists()


def test_a_failure_while_filing_leaves_the_submission_for_another_try(
    client, confirm_path, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("letter template missing")

    monkeypatch.setattr("self_service.services.request_verify_identity", fail)
    client.raise_request_exception = False
    assert client.post(confirm_path).status_code == 500
    assert not DataSubjectRequest.objects.exists()
    assert PendingSubmission.objects.count() == 1


def test_the_confirmed_page_link_expires(client, confirm_path, settings):
    location = confirm(client, confirm_path)["Location"]
    later = timezone.now() + timedelta(seconds=settings.SELF_SERVICE_CONFIRMED_PAGE_MAX_AGE + 1)
    with time_machine.travel(later, tick=False):
        assert client.get(location).status_code == 410


def test_every_kind_on_the_form_is_a_kind_the_desk_knows():
    assert [right.kind for right in RIGHTS] == list(RequestKind.values)


def test_a_request_the_desk_refuses_gets_a_dutch_page_and_nothing_is_filed(
    client, confirm_path, monkeypatch
):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("Onbekende soort verzoek.")

    monkeypatch.setattr("self_service.services.request_open", refuse)
    response = client.post(confirm_path)
    assert response.status_code == 400
    assert "Onbekende soort verzoek." in response.content.decode()
    assert PendingSubmission.objects.count() == 1


def test_a_general_objection_needs_its_reasons_and_is_filed_for_the_officers_decision(client):
    """Art. 21(1): the form offers the objection to a legitimate-interest processing as a kind of
    its own; without the person's reasons it is refused, with them it reaches the desk open."""
    refused = client.post("/privacy/verzoek/", {**ACCESS_REQUEST, "kind": "objection"})
    assert refused.status_code == 200 and not PendingSubmission.objects.exists()

    reasons = "Ik wil niet dat mijn klikgedrag wordt geanalyseerd; ik ben mantelzorger."
    client.post("/privacy/verzoek/", {**ACCESS_REQUEST, "kind": "objection", "details": reasons})
    [link] = links_in(only_mail())
    confirm(client, path_of(link))
    desk_request = DataSubjectRequest.objects.get()
    assert desk_request.kind == RequestKind.OBJECTION
    assert desk_request.description == reasons
    assert desk_request.is_open
