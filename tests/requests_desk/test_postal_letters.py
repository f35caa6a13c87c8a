"""Letters for people without e-mail: every letter a post or phone requester is sent lands in the
"to post" queue (an extension or a refusal is never silent), prints as an A4 PDF with the
letterhead, the address block, the reference and the date, kept in the "letters" storage, and the
agent records it as posted ("verstuurd per post op …" on the timeline)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_desk.models import LETTERS_STORAGE, OutboxMessage, PostalLetter
from requests_desk.personal_data import scrub_requests
from requests_desk.printing import letter_html
from requests_desk.services import (
    postal_letter_mark_posted,
    postal_letter_pdf,
    request_extend,
    request_reject,
    request_verify_identity,
)
from tests.factories import open_request

pytestmark = pytest.mark.django_db
AMSTERDAM = timezone.get_default_timezone()
ADDRESS = "Dorpsstraat 1\n1234 AB Ergenshoven"


@pytest.fixture
def by_post(register):
    return open_request(
        channel="post",
        requester_name="Gerrit Brink",
        requester_email="",
        requester_address=ADDRESS,
    )


@pytest.fixture
def by_phone(register):
    return open_request(
        channel="phone", requester_name="Sanne Wit", requester_email="", requester_phone="0612"
    )


def test_a_post_request_is_acknowledged_by_post(by_post):
    letter = PostalLetter.objects.get(request=by_post)
    assert letter.letter_kind == "acknowledgement" and letter.address == ADDRESS
    assert not OutboxMessage.objects.filter(request=by_post).exists()


def test_an_extension_for_a_post_requester_lands_in_the_queue(by_post, privacy_officer):
    request_extend(request=by_post, reason="Gegevens in zes systemen.", by=privacy_officer)
    letter = PostalLetter.objects.get(request=by_post, letter_kind="extension")
    assert "Gegevens in zes systemen." in letter.body and not letter.is_posted
    assert by_post.events.filter(kind="letter", data__postal_id=letter.pk).exists()


def test_a_refusal_for_a_phone_requester_is_never_silent(by_phone, privacy_officer):
    request_reject(request=by_phone, reasons="Kennelijk ongegrond.", by=privacy_officer)
    letter = PostalLetter.objects.get(request=by_phone, letter_kind="rejection")
    assert "Kennelijk ongegrond." in letter.body and "rechter" in letter.body
    assert letter.address == ""  # the queue says to ask for it; printing waits for it


def test_the_printed_letter_has_letterhead_address_reference_and_date(by_post, settings):
    settings.DESK_LETTERHEAD = {**settings.DESK_LETTERHEAD, "name": "Rezulto Briefhoofd B.V."}
    letter = PostalLetter.objects.get(request=by_post)
    html = letter_html(
        reference=by_post.reference,
        name=letter.name,
        address=letter.address,
        subject=letter.subject,
        body=letter.body,
        day=dt.date(2026, 12, 2),
    )
    assert "Rezulto Briefhoofd B.V." in html and "KvK 84541423" in html
    assert "Gerrit Brink<br>Dorpsstraat 1<br>1234 AB Ergenshoven" in html
    assert by_post.reference in html and "2 december 2026" in html
    assert "size: A4" in html and "Beste Gerrit Brink," in html


def test_the_pdf_is_a4_and_kept_in_the_letters_storage(by_post, tmp_path):
    letter = PostalLetter.objects.get(request=by_post)
    content = postal_letter_pdf(letter=letter)
    assert content.startswith(b"%PDF")
    from weasyprint import HTML

    html = letter_html(
        reference=by_post.reference,
        name=letter.name,
        address=letter.address,
        subject=letter.subject,
        body=letter.body,
        day=dt.date(2026, 12, 2),
    )
    page = HTML(string=html).render().pages[0]
    assert (round(page.width * 0.75), round(page.height * 0.75)) == (595, 842)  # A4, points
    letter.refresh_from_db()
    assert letter.pdf.name and LETTERS_STORAGE.exists(letter.pdf.name)
    assert (tmp_path / "letters" / letter.pdf.name).exists()  # the storage, not MEDIA_ROOT
    assert postal_letter_pdf(letter=letter) == content  # printed again: the same letter


def test_a_letter_without_an_address_is_not_printed_with_a_blank(by_phone, privacy_officer):
    request_reject(request=by_phone, reasons="Kennelijk ongegrond.", by=privacy_officer)
    letter = PostalLetter.objects.get(request=by_phone)
    with pytest.raises(ValidationError) as refused:
        postal_letter_pdf(letter=letter)
    assert refused.value.code == "missing_data" and "adres" in refused.value.messages[0]


def test_the_address_given_later_is_used(by_phone, privacy_officer, agent):
    from requests_desk.services import request_correct_contact

    request_reject(request=by_phone, reasons="Kennelijk ongegrond.", by=privacy_officer)
    request_correct_contact(request=by_phone, by=agent, requester_address=ADDRESS)
    letter = PostalLetter.objects.get(request=by_phone)
    assert postal_letter_pdf(letter=letter).startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.address == ADDRESS


def test_posting_is_recorded_on_the_timeline_once(by_post, agent):
    letter = PostalLetter.objects.get(request=by_post)
    with time_machine.travel(dt.datetime(2026, 12, 2, 15, tzinfo=AMSTERDAM)):
        postal_letter_mark_posted(letter=letter, by=agent)
    event = by_post.events.get(kind="posted")
    assert "verstuurd per post op 2 december 2026" in event.text and event.by == agent
    with pytest.raises(ValidationError) as refused:
        postal_letter_mark_posted(letter=letter, by=agent)
    assert refused.value.code == "already_posted"


def test_an_erasure_confirmation_by_post_is_scrubbed_once_posted(
    by_post, agent, django_capture_on_commit_callbacks
):
    letter = PostalLetter.objects.get(request=by_post)
    PostalLetter.objects.filter(pk=letter.pk).update(scrub_after_send=True)
    letter.refresh_from_db()
    postal_letter_pdf(letter=letter)
    letter.refresh_from_db()
    name = letter.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        postal_letter_mark_posted(letter=letter, by=agent)
    letter.refresh_from_db()
    assert (letter.name, letter.address, letter.body, letter.pdf.name) == ("", "", "", "")
    assert not LETTERS_STORAGE.exists(name)
    assert "Dorpsstraat" not in str(list(letter.history.values()))  # history keeps no text


def test_erasure_and_retention_remove_the_letters_text_and_pdf(
    by_post, django_capture_on_commit_callbacks
):
    letter = PostalLetter.objects.get(request=by_post)
    postal_letter_pdf(letter=letter)
    letter.refresh_from_db()
    name = letter.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        scrub_requests(ids=[by_post.pk], marker="(gewist)", address="gewist@invalid.example")
    letter.refresh_from_db()
    assert (letter.name, letter.address, letter.body, letter.pdf.name) == ("(gewist)", "", "", "")
    assert not LETTERS_STORAGE.exists(name)


# --- the desk's pages --------------------------------------------------------------------------


def test_the_queue_lists_the_waiting_letters_in_bounded_queries(
    register, client_as, django_assert_max_num_queries
):
    for n in range(12):
        open_request(channel="post", requester_email="", requester_address=f"Straat {n}")
    client = client_as("agent")
    client.get("/desk/post/")  # the session's first page fills caches
    with django_assert_max_num_queries(12):
        page = client.get("/desk/post/").content.decode()
    assert page.count("Verstuurd per post</button>") == 12 and "Straat 11" in page


def test_the_agent_works_off_the_queue(by_post, client_as):
    client = client_as("agent")
    letter = PostalLetter.objects.get(request=by_post)
    pdf = client.get(f"/desk/post/{letter.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    response = client.post(f"/desk/post/{letter.pk}/verstuurd/", follow=True)
    assert "als verstuurd per post vastgelegd" in response.content.decode()
    assert "Er wachten geen brieven op verzending." in response.content.decode()
    timeline = client.get(f"/desk/{by_post.reference}/").content.decode()
    assert "verstuurd per post op" in timeline


def test_an_auditor_sees_the_queue_but_cannot_mark_a_letter_posted(by_post, client_as):
    letter = PostalLetter.objects.get(request=by_post)
    client = client_as("auditor")
    page = client.get("/desk/post/").content.decode()
    assert by_post.reference in page and "Verstuurd per post</button>" not in page
    assert client.post(f"/desk/post/{letter.pk}/verstuurd/").status_code == 403
    assert not PostalLetter.objects.get(pk=letter.pk).is_posted


def test_an_e_mailed_letter_prints_too(register, client_as):
    request = open_request()
    message = OutboxMessage.objects.get(request=request)
    pdf = client_as("agent").get(f"/desk/{request.reference}/brieven/{message.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_verify_identity_does_not_touch_the_queue(by_post, agent):
    request_verify_identity(request=by_post, method="known_details", by=agent)
    assert PostalLetter.objects.filter(request=by_post).count() == 1
