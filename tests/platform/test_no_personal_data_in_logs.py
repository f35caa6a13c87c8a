"""No personal data in the logs: a whole flow — a request filed on the site and confirmed, a
mistyped login, an agent's intake by phone, the identity check, completion, a letter that fails
to send once, a consent by phone and an unsubscribe — logs at DEBUG level, and not one record
holds the person's e-mail address, name or phone number."""

import io
import json
import logging
import logging.config
import re
from smtplib import SMTPRecipientsRefused
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from consents.models import DataSubject
from consents.tokens import unsubscribe_url
from requests_desk.models import DataSubjectRequest
from requests_desk.outbox import outbox_sweep
from tests.factories import purpose_with_wording

pytestmark = pytest.mark.django_db

EMAIL, NAME, PHONE = "fatima.devries@voorbeeld.nl", "Fatima de Vries", "0612345678"


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def json_lines():
    """The records as LOG_FORMAT=json writes them (the formatter of settings.LOGGING)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.config.dictConfigClass({}).configure_custom(
            dict(settings.LOGGING["formatters"]["json"])
        )
    )
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_a_full_flow_logs_no_personal_data(
    client, caplog, register, privacy_officer, settings, json_lines
):
    settings.SELF_SERVICE_BASE_URL = ""
    caplog.set_level(logging.DEBUG)
    purpose = purpose_with_wording()

    # The person files an access request on the site and confirms it from the mail.
    client.post(
        "/privacy/verzoek/",
        {"kind": "access", "name": NAME, "email": EMAIL, "details": "", "website": ""},
    )
    [link] = re.findall(r"https?://\S+", mail.outbox[-1].body)
    client.post(path_of(link))
    web_request = DataSubjectRequest.objects.get(requester_email=EMAIL)

    # Someone types the person's address as a user name and the wrong password.
    client.post("/accounts/login/", {"username": EMAIL, "password": "fout"})
    client.force_login(privacy_officer)

    # The officer takes in a second request by phone, checks identity and completes both.
    client.post(
        reverse("desk:intake"),
        {
            "kind": "erasure",
            "channel": "phone",
            "received_at": "2026-11-20T10:00",
            "requester_name": NAME,
            "requester_phone": PHONE,
            "requester_email": EMAIL,
            "description": f"Belde vanaf {PHONE}",
        },
    )
    for desk_request in DataSubjectRequest.objects.all():
        detail = [desk_request.reference]
        client.post(reverse("desk:verify", args=detail), {"method": "email"})
        client.post(
            reverse("desk:complete", args=detail),
            {"outcome": "Afgehandeld.", "override_reason": "Geen systemen."},
        )
    assert DataSubjectRequest.objects.filter(status="completed").count() == 2, (
        "the flow itself failed"
    )

    # A letter bounces once (the SMTP error names the address), then goes.
    refused = SMTPRecipientsRefused({EMAIL: (550, b"unknown user")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        outbox_sweep()
    outbox_sweep()

    # A consent by phone, and an unsubscribe in one click.
    client.post(
        reverse("consents_desk:phone"),
        {
            "email": EMAIL,
            "name": NAME,
            "purposes": [purpose.pk],
            "action": "give",
            "wording_read": "on",
        },
    )
    subject = DataSubject.objects.get(email=EMAIL)
    client.post(path_of(unsubscribe_url(subject=subject, purpose=purpose)))
    assert list(subject.consent_events.values_list("action", flat=True)) == ["given", "withdrawn"]

    assert web_request.pk and caplog.records, "nothing was logged: the capture did not work"
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert "not sent" in logged and "AXES" in logged  # the bounce and the login were logged
    for personal in (EMAIL, NAME, PHONE, "fatima"):
        assert personal.lower() not in logged.lower(), personal

    # The same records as JSON lines, one object each, with the same care.
    lines = json_lines.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) >= len(caplog.records) // 2 and {"time", "level", "logger", "message"} <= (
        records[0].keys()
    )
    for personal in (EMAIL, NAME, PHONE, "fatima"):
        assert personal.lower() not in json_lines.getvalue().lower(), personal
