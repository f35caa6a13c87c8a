"""Erasure (Art. 17): every source erases, history included; only the hash and what the law
keeps remain; the ledger still verifies."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from consents.models import ConsentEvent, DataSubject
from consents.selectors import may_contact
from consents.services import consent_withdraw, email_hash, subject_get_or_create
from requests_desk.models import EventKind, OutboxMessage, OutboxStatus
from requests_desk.outbox import outbox_sweep
from requests_desk.personal_data import ERASED_ADDRESS
from subject_rights.models import AccessPackage
from subject_rights.services import erasure_carry_out
from tests.subject_rights.conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db(transaction=False)


def find_everywhere(*needles: str) -> list[tuple[str, str]]:
    """Every (table, value) in the whole database whose text holds one of the needles."""
    needles = [n.lower() for n in needles]
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    text = str(value).lower() if value is not None else ""
                    if any(n in text for n in needles):
                        found.append((table, str(value)[:80]))
    return found


def test_the_person_is_in_many_tables_before_erasure(person):
    tables = {table for table, _ in find_everywhere(EMAIL, NAME, PHONE)}
    assert {
        "consents_datasubject",
        "consents_historicaldatasubject",
        "requests_desk_datasubjectrequest",
        "requests_desk_historicaldatasubjectrequest",
        "requests_desk_requestevent",
        "requests_desk_outboxmessage",
        "self_service_pendingsubmission",
    } <= tables


def test_after_erasure_no_table_holds_email_name_or_phone(person, privacy_officer):
    package = AccessPackage.objects.get()
    events_before = ConsentEvent.objects.count()
    erasure_carry_out(request=person, by=privacy_officer)
    # The confirmation is the one letter that still knows the address, until it is sent.
    assert {t for t, _ in find_everywhere(EMAIL)} == {"requests_desk_outboxmessage"}
    outbox_sweep()
    assert mail.outbox[-1].to == [EMAIL]
    assert "Uw gegevens zijn verwijderd" in mail.outbox[-1].subject
    assert find_everywhere(EMAIL, NAME, PHONE, "Zonneveld", "4455 6677") == []
    subject = DataSubject.objects.get()
    assert subject.email is None and subject.erased_at is not None
    assert subject.email_hash == email_hash(EMAIL)
    assert ConsentEvent.objects.count() == events_before
    call_command("verify_consent_ledger", verbosity=0)  # raises CommandError when broken
    package.refresh_from_db()
    assert not package.file


def test_what_is_kept_is_recorded_with_its_reason(person, privacy_officer):
    kept = erasure_carry_out(
        request=person,
        by=privacy_officer,
        kept_what="Factuur 2026-118",
        kept_reason="Fiscale bewaarplicht van zeven jaar (art. 52 AWR)",
    )
    assert kept[0].what == "Factuur 2026-118"
    event = person.events.get(kind=EventKind.ERASED)
    assert "Fiscale bewaarplicht" in event.text
    assert {k["what"] for k in event.data["kept"]} >= {
        "Factuur 2026-118",
        "Sleutelhash van uw e-mailadres",
    }
    letter = OutboxMessage.objects.get(request=person, letter_kind="erasure")
    assert "Factuur 2026-118" in letter.body and letter.scrub_after_send


def test_a_kept_item_needs_a_reason(person, privacy_officer):
    with pytest.raises(ValidationError):
        erasure_carry_out(request=person, by=privacy_officer, kept_what="Factuur")


def test_recipients_become_art_19_tasks(person, privacy_officer):
    erasure_carry_out(request=person, by=privacy_officer)
    titles = list(person.tasks.values_list("title", flat=True))
    assert any("art. 19" in t and "E-mailserviceprovider" in t for t in titles)


def test_an_agent_cannot_erase(person, agent):
    with pytest.raises(ValidationError):
        erasure_carry_out(request=person, by=agent)
    assert DataSubject.objects.get().email == EMAIL


def test_an_opt_out_still_holds_when_the_person_comes_back(person, privacy_officer):
    purpose = ConsentEvent.objects.last().purpose
    subject = DataSubject.objects.get()
    assert may_contact(purpose=purpose, subject=subject)
    consent_withdraw(subject=subject, purpose=purpose, method="unsubscribe_link")
    erasure_carry_out(request=person, by=privacy_officer)
    assert not may_contact(purpose=purpose, subject=subject)
    back = subject_get_or_create(email=EMAIL)
    assert back.pk == subject.pk  # found again through the keyed hash
    assert not may_contact(purpose=purpose, email=EMAIL)


def test_the_officer_erases_through_the_confirm_step(person, client_as):
    client = client_as("privacy_officer")
    page = client.get(f"/desk/{person.reference}/rechten/wissen/").content.decode()
    assert "Dit kan niet ongedaan worden gemaakt." in page
    assert "Toestemmingen en voorkeuren: 5 regels" in page  # subject, 1 state, 3 events
    response = client.post(f"/desk/{person.reference}/rechten/wissen/", {"confirm": "on"})
    assert response.status_code == 302
    assert DataSubject.objects.get().erased_at is not None
    assert (
        "De gegevens van deze betrokkene zijn gewist."
        in client.get(f"/desk/{person.reference}/").content.decode()
    )


def test_a_request_without_email_or_subject_cannot_be_erased(register, privacy_officer):
    from requests_desk.services import request_verify_identity
    from tests.factories import open_request

    request = open_request(kind="erasure", requester_email="", requester_phone="010-1")
    request = request_verify_identity(request=request, method="callback", by=None)
    with pytest.raises(ValidationError):
        erasure_carry_out(request=request, by=privacy_officer)


def test_a_person_whose_earlier_request_was_extended_is_erased(person, privacy_officer):
    """Erasure once failed here: the scrub blanked the extension's reason but kept its date,
    which the `desk_extension_has_reason` constraint refuses."""
    from requests_desk.models import DataSubjectRequest
    from requests_desk.services import request_extend
    from tests.subject_rights.conftest import verified

    earlier = verified("access")
    request_extend(request=earlier, reason=f"Veel systemen voor {NAME}", by=privacy_officer)
    erasure_carry_out(request=person, by=privacy_officer)
    outbox_sweep()
    earlier = DataSubjectRequest.objects.get(pk=earlier.pk)
    assert earlier.extended_due_on is not None
    assert NAME not in earlier.extension_reason
    assert find_everywhere(EMAIL, NAME, PHONE) == []


def test_the_retention_job_minimises_an_extended_request(person, privacy_officer):
    from requests_desk.models import DataSubjectRequest
    from requests_desk.personal_data import scrub_requests
    from requests_desk.services import request_extend

    request_extend(request=person, reason=f"Gegevens van {NAME}", by=privacy_officer)
    scrub_requests(ids=[person.pk], marker="(geminimaliseerd)", address="x@invalid.example")
    person = DataSubjectRequest.objects.get(pk=person.pk)
    assert person.extension_reason == "(geminimaliseerd)" and person.extended_due_on


def test_a_letter_still_waiting_when_the_person_is_erased_is_withheld_not_sent_blank(
    person, privacy_officer
):
    # The erasure request's acknowledgement is still in the outbox (no worker took it yet).
    waiting = OutboxMessage.objects.get(request=person, letter_kind="acknowledgement")
    assert waiting.status == OutboxStatus.QUEUED
    erasure_carry_out(request=person, by=privacy_officer)
    waiting.refresh_from_db()
    assert waiting.status == OutboxStatus.WITHHELD
    assert (waiting.to, waiting.body) == (ERASED_ADDRESS, "")
    mail.outbox.clear()
    outbox_sweep()
    # Only the confirmation goes out: no blank mail to the marker's address after it.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([EMAIL], f"Uw gegevens zijn verwijderd ({person.reference})")
    ]
    assert outbox_sweep() == 0


def test_a_letter_that_failed_or_is_being_sent_when_the_person_is_erased_never_goes_out_blank(
    person, privacy_officer, settings
):
    from requests_desk.outbox import _claim, _deliver

    acknowledgement = OutboxMessage.objects.get(request=person, letter_kind="acknowledgement")
    failed = OutboxMessage.objects.create(
        request=person, letter_kind="free_text", to=EMAIL, subject="Vraag", body=f"Beste {NAME}"
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED)
    being_sent = _claim(acknowledgement.pk)  # a worker has it at this moment
    erasure_carry_out(request=person, by=privacy_officer)
    # The worker's mail server then refuses it: it is not queued again, emptied as it now is.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert _deliver(being_sent) is False
    for letter in (acknowledgement, failed):
        letter.refresh_from_db()
        assert (letter.status, letter.to, letter.body) == (
            OutboxStatus.WITHHELD,
            ERASED_ADDRESS,
            "",
        )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    outbox_sweep()
    assert [m.subject for m in mail.outbox] == [
        f"Uw gegevens zijn verwijderd ({person.reference})"
    ]


def test_a_letter_by_post_not_yet_posted_leaves_the_post_queue_when_the_person_is_erased(
    person, privacy_officer
):
    from requests_desk.models import PostalLetter
    from requests_desk.selectors import postal_waiting
    from requests_desk.services import postal_letter_mark_posted, postal_letter_pdf

    letter = PostalLetter.objects.create(
        request=person,
        letter_kind="acknowledgement",
        name=NAME,
        address="Dorpsstraat 1, Zonneveld",
        subject="Ontvangstbevestiging",
        body=f"Beste {NAME},",
    )
    assert list(postal_waiting()) == [letter]
    erasure_carry_out(request=person, by=privacy_officer)
    letter.refresh_from_db()
    assert letter.withheld and (letter.name, letter.address, letter.body) == ("(gewist)", "", "")
    assert list(postal_waiting()) == []
    with pytest.raises(ValidationError) as printed:
        postal_letter_pdf(letter=letter)
    with pytest.raises(ValidationError) as posted:
        postal_letter_mark_posted(letter=letter, by=privacy_officer)
    assert printed.value.code == posted.value.code == "withheld"
