"""The privacy mailbox: mail put into a real Dovecot (IMAP APPEND) is taken in by the poll job,
once per message; a reply from the requester joins its request; a bounce of a letter that went
out through a real SMTP sink fails that letter and tells the agent."""

import threading
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.db import connection, connections
from django.utils import timezone
from imapclient import IMAPClient

from requests_desk.mailbox import mailbox_poll
from requests_desk.models import (
    EventKind,
    InboundAttachment,
    InboundKind,
    InboundMessage,
    InboundStatus,
    OutboxMessage,
    OutboxStatus,
)
from requests_desk.outbox import outbox_send
from requests_desk.tasks import mailbox_poll as mailbox_poll_task
from tests.factories import open_request
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def mailbox(settings, imap_server):
    """The settings point at the test's Dovecot; the folder is emptied before each test."""
    host, port, user, password = imap_server
    settings.DESK_IMAP_HOST, settings.DESK_IMAP_PORT = host, port
    settings.DESK_IMAP_SSL = False
    settings.DESK_IMAP_USER, settings.DESK_IMAP_PASSWORD = user, password
    settings.DESK_IMAP_FOLDER = "INBOX"
    client = IMAPClient(host, port=port, ssl=False)
    client.login(user, password)
    client.select_folder("INBOX")
    existing = client.search(["ALL"])
    if existing:
        client.delete_messages(existing)
        client.expunge()
    yield client
    client.logout()


def deliver(client, message: EmailMessage) -> None:
    client.append("INBOX", message.as_bytes())


def mail(
    *, sender="piet@school.example", subject="Inzageverzoek", body="Ik wil inzage.", **headers
):
    message = EmailMessage()
    message["From"] = f"Piet Jansen <{sender}>"
    message["To"] = "info@rezulto.nl"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = headers.pop("message_id", make_msgid(domain="school.example"))
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


@pytest.mark.django_db
def test_a_new_mail_waits_in_the_inbox_with_its_sender_matched(mailbox, register):
    known = open_request(requester_email="piet@school.example", requester_name="Piet").subject
    deliver(mailbox, mail())
    assert mailbox_poll() == 1
    inbound = InboundMessage.objects.get()
    assert inbound.kind == InboundKind.REQUEST and inbound.status == InboundStatus.OPEN
    assert inbound.data_subject == known
    assert inbound.from_address == "piet@school.example" and inbound.body == "Ik wil inzage."
    mailbox.noop()  # this connection sees the poll's flags after a NOOP
    assert mailbox.search(["UNSEEN"]) == []


@pytest.mark.django_db
def test_a_mail_is_taken_in_once_even_when_it_is_delivered_twice(mailbox, db):
    message = mail()
    deliver(mailbox, message)
    assert mailbox_poll() == 1
    deliver(mailbox, message)  # the same Message-ID, delivered again
    assert mailbox_poll() == 0
    assert mailbox_poll() == 0
    assert InboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_attachments_are_kept_within_their_size_and_type(mailbox, settings, db):
    settings.DESK_ATTACHMENT_MAX_BYTES = 1000
    message = mail()
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="brief.pdf")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="pdf", filename="x.pdf")
    message.add_attachment(b"x" * 2000, maintype="text", subtype="plain", filename="lang.txt")
    message.add_attachment(b"\x00\x01", maintype="application", subtype="zip", filename="a.zip")
    deliver(mailbox, message)
    assert mailbox_poll() == 1
    inbound = InboundMessage.objects.get()
    kept = InboundAttachment.objects.get()
    assert kept.message == inbound and kept.filename == "brief.pdf" and kept.size == len(PDF)
    with kept.open() as stored:
        assert stored.read() == PDF
    assert {(r["name"], r["reason"]) for r in inbound.refused_attachments} == {
        ("x.pdf", "type"),
        ("lang.txt", "too_large"),
        ("a.zip", "type"),
    }


@pytest.mark.django_db
def test_a_reply_from_the_requester_joins_its_request_and_flags_it(
    mailbox, register, smtp_sink, agent
):
    request = open_request(requester_email="joke@school.example")
    letter = OutboxMessage.objects.get(request=request)
    assert outbox_send(message_id=letter.pk)
    letter.refresh_from_db()
    assert smtp_sink[0]["Message-ID"] == letter.message_id
    reply = mail(
        sender="joke@school.example",
        subject=f"Re: {letter.subject}",
        body="Hierbij mijn antwoord.",
        In_Reply_To=letter.message_id,
    )
    reply.add_attachment(PDF, maintype="application", subtype="pdf", filename="antwoord.pdf")
    deliver(mailbox, reply)
    assert mailbox_poll() == 1
    request.refresh_from_db()
    inbound = InboundMessage.objects.get()
    assert inbound.kind == InboundKind.REPLY and inbound.request == request
    assert request.attention_since is not None
    event = request.events.get(kind=EventKind.REPLY)
    assert event.text == "Hierbij mijn antwoord." and event.by is None
    assert request.attachments.get().filename == "antwoord.pdf"


@pytest.mark.django_db
def test_a_reply_by_reference_in_the_subject_from_a_stranger_does_not_join(mailbox, register):
    request = open_request(requester_email="joke@school.example")
    deliver(mailbox, mail(sender="joke@school.example", subject=f"Vraag over {request.reference}"))
    deliver(mailbox, mail(sender="vreemde@elders.example", subject=f"Re: {request.reference}"))
    assert mailbox_poll() == 2
    joined = InboundMessage.objects.get(from_address="joke@school.example")
    stranger = InboundMessage.objects.get(from_address="vreemde@elders.example")
    assert joined.request == request and joined.kind == InboundKind.REPLY
    assert stranger.request is None and stranger.status == InboundStatus.OPEN
    assert request.events.filter(kind=EventKind.REPLY).count() == 1


def dsn(original_message_id: str, recipient: str, action: str = "failed") -> bytes:
    """A delivery status notification as a mail server writes it (RFC 3464)."""
    boundary = "dsn-boundary"
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.rezulto.nl>\r\n"
        "To: privacy@rezulto.nl\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.rezulto.nl')}\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "Your message could not be delivered.\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.rezulto.nl\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_message_id}\r\n"
        f"To: {recipient}\r\n"
        "Subject: Ontvangstbevestiging\r\n"
        f"--{boundary}--\r\n"
    ).encode()


@pytest.mark.django_db
def test_a_bounce_fails_its_letter_and_tells_the_agent(mailbox, register, smtp_sink):
    request = open_request(requester_email="onbekend@school.example")
    letter = OutboxMessage.objects.get(request=request)
    assert outbox_send(message_id=letter.pk)
    letter.refresh_from_db()
    mailbox.append("INBOX", dsn(letter.message_id, "onbekend@school.example"))
    mailbox.append("INBOX", dsn("<elders@x>", "niemand@elders.example", action="delayed"))
    assert mailbox_poll() == 2
    letter.refresh_from_db()
    request.refresh_from_db()
    assert letter.status == OutboxStatus.FAILED and "User unknown" in letter.last_error
    assert request.attention_since is not None
    assert request.events.filter(kind=EventKind.BOUNCED).count() == 1
    assert InboundMessage.objects.filter(kind=InboundKind.BOUNCE).count() == 2
    assert InboundMessage.objects.get(bounced=letter).status == InboundStatus.LINKED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_polls_at_once_take_every_mail_in_once(mailbox):
    for n in range(12):
        deliver(mailbox, mail(sender=f"p{n}@school.example"))
    counts, errors, barrier = [], [], threading.Barrier(2)

    def poll():
        try:
            barrier.wait()
            counts.append(mailbox_poll())
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=poll) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(counts) == 12
    assert InboundMessage.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_the_poll_runs_on_a_real_worker_and_a_second_run_finds_nothing(
    celery_app, celery_worker, mailbox
):
    deliver(mailbox, mail())
    deliver(mailbox, mail(sender="tweede@school.example"))
    celery_worker.reload()
    assert celery_app.send_task(mailbox_poll_task.name).get(timeout=60) == 2
    assert celery_app.send_task(mailbox_poll_task.name).get(timeout=60) == 0
    assert InboundMessage.objects.count() == 2
