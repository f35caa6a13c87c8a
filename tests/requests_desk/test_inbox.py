"""The desk's inbox: mails of the privacy mailbox waiting for an agent, a request opened from one
(with its attachments), a mail set aside, a flagged request seen, an attachment downloaded."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from requests_desk.models import (
    DataSubjectRequest,
    EventKind,
    InboundMessage,
    InboundStatus,
)
from requests_desk.services import mail_take_in
from tests.factories import open_request

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def raw_mail(sender="piet@school.example", subject="Inzage graag", attach=False) -> bytes:
    message = EmailMessage()
    message["From"] = f"Piet Jansen <{sender}>"
    message["To"] = "info@rezulto.nl"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="school.example")
    message.set_content("Ik wil weten welke gegevens u van mij heeft.")
    if attach:
        message.add_attachment(PDF, maintype="application", subtype="pdf", filename="brief.pdf")
    return message.as_bytes()


def test_the_inbox_lists_waiting_mails_in_a_fixed_number_of_queries(
    client_as, register, django_assert_max_num_queries
):
    for n in range(15):
        mail_take_in(raw=raw_mail(sender=f"p{n}@school.example", attach=True))
    client = client_as("agent")
    with django_assert_max_num_queries(12):
        response = client.get("/desk/postvak-in/")
    assert response.status_code == 200
    assert response.content.decode().count("Verzoek aanmaken") == 15


def test_a_request_opened_from_a_mail_takes_the_mail_and_its_attachments(client_as, register):
    inbound = mail_take_in(raw=raw_mail(attach=True))
    client = client_as("agent")
    form = client.get(f"/desk/nieuw/?bericht={inbound.pk}").content.decode()
    assert "piet@school.example" in form and "Piet Jansen" in form
    response = client.post(
        "/desk/nieuw/",
        {
            "inbound": inbound.pk,
            "kind": "access",
            "channel": "email",
            "received_at": "2026-01-05T10:00",
            "requester_name": "Piet Jansen",
            "requester_email": "piet@school.example",
            "description": "Inzage",
        },
    )
    assert response.status_code == 302
    request = DataSubjectRequest.objects.get(requester_email="piet@school.example")
    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.LINKED and inbound.request == request
    kept = request.attachments.get()
    page = client.get(f"/desk/{request.reference}/").content.decode()
    assert "brief.pdf" in page
    download = client.get(f"/desk/bijlage/{kept.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert "Verzoek aanmaken" not in client.get("/desk/postvak-in/").content.decode()


def test_a_mail_set_aside_leaves_the_inbox_once(client_as, db):
    inbound = mail_take_in(raw=raw_mail())
    client = client_as("agent")
    assert client.post(f"/desk/postvak-in/{inbound.pk}/geen-verzoek/").status_code == 302
    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.DISMISSED and inbound.handled_by.username == "kees"
    client.post(f"/desk/postvak-in/{inbound.pk}/geen-verzoek/")
    assert InboundMessage.history.filter(id=inbound.pk).count() == 2


def test_a_reply_flags_the_request_until_the_agent_has_seen_it(client_as, register):
    request = open_request()
    mail_take_in(raw=raw_mail(sender=request.requester_email, subject=f"Re: {request.reference}"))
    client = client_as("agent")
    assert request.reference in client.get("/desk/postvak-in/").content.decode()
    assert "Vraagt aandacht" in client.get(f"/desk/{request.reference}/").content.decode()
    client.post(f"/desk/{request.reference}/gezien/")
    request.refresh_from_db()
    assert request.attention_since is None
    assert request.events.filter(kind=EventKind.ATTENTION_SEEN).count() == 1


def test_the_persons_mails_are_in_their_export_and_gone_after_erasure(register, agent):
    from consents.sources import Person
    from requests_desk import personal_data

    request = open_request()
    joined = mail_take_in(
        raw=raw_mail(
            sender=request.requester_email, subject=f"Re: {request.reference}", attach=True
        )
    )
    loose = mail_take_in(raw=raw_mail(sender=request.requester_email, subject="Nog een vraag"))
    kept = joined.attachments.get()
    person = Person.of_request(request)
    exported = personal_data.export(person)["berichten"]
    assert [m["onderwerp"] for m in exported] == [f"Re: {request.reference}"]
    assert exported[0]["bijlagen"] == "brief.pdf"
    personal_data.erase(person, by=agent, reason="Art. 17")
    for inbound in (joined, loose):
        inbound.refresh_from_db()
        assert inbound.from_address == "" and inbound.body == ""
        assert not InboundMessage.history.filter(id=inbound.pk).exists()
    assert not kept.storage().exists(kept.stored_name)
    assert not joined.attachments.exists()
