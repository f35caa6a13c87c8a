"""Erasure works whatever state the person's earlier requests are in — extended, rejected,
completed, withdrawn, taken in without an e-mail address, with the subject edited in the admin —
and afterwards no table (the admin's log and the history tables included) and no storage folder
holds the person's e-mail address, name or phone number. A confirmation mail that fails is
scrubbed as well."""

import html
import re

import pytest
from django.core import mail

from consents.services import subject_get_or_create
from requests_desk.models import OutboxMessage, OutboxStatus, PostalLetter, TaskResult
from requests_desk.outbox import outbox_sweep
from requests_desk.services import (
    postal_letter_mark_posted,
    request_complete,
    request_extend,
    request_note,
    request_reject,
    request_transition,
    request_verify_identity,
    task_record_result,
)
from subject_rights.services import erasure_carry_out, package_build
from tests.factories import open_request
from tests.subject_rights.conftest import EMAIL, NAME, PHONE, tick_all, verified
from tests.subject_rights.traces import find_everywhere, find_in_folders

pytestmark = pytest.mark.django_db

NEEDLES = (EMAIL, NAME, PHONE, "4455 6677", "0644556677", "Zonneveld")


def _extended(officer):
    request = verified("access")
    request_extend(request=request, reason=f"Veel systemen voor {NAME}", by=officer)


def _rejected(officer):
    request = verified("access")
    request_reject(request=request, reasons=f"{NAME} vroeg dit al vijf keer", by=officer)


def _completed(officer):
    request = verified("rectification")
    request_note(request=request, text=f"{NAME} belde vanaf {PHONE}", by=officer)
    request_complete(request=request, outcome=f"Adres van {NAME} gecorrigeerd", by=officer)


def _withdrawn(officer):
    request = verified("access")
    request_transition(request=request, action="withdraw", by=officer, note=f"{NAME} trekt het in")


def _without_email(officer):
    request = open_request(
        kind="access",
        channel="phone",
        requester_name=NAME,
        requester_email="",
        requester_phone="06-44556677",
        description=f"Gebeld door {NAME} vanaf 06-44556677",
    )
    request_verify_identity(request=request, method="callback", by=officer)


def _form_fields(page: str) -> dict:
    """The values an admin change form would post back as it stands (inputs, selects,
    textareas), so a test edits one field the way the officer does."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("submit", "button", "file")):
            continue
        if kind and kind.group(1) == "checkbox" and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        default = "on" if kind and kind.group(1) == "checkbox" else ""
        data[name.group(1)] = html.unescape(value.group(1)) if value else default
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(body.strip())
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def _edited_in_the_admin(officer, client):
    subject = subject_get_or_create(email=EMAIL, name=NAME, phone=PHONE)
    client.force_login(officer)
    url = f"/admin/consents/datasubject/{subject.pk}/change/"
    data = _form_fields(client.get(url).content.decode())
    data.update(name=f"{NAME} (gecorrigeerd)", function="Adjunct-directeur", _save="Opslaan")
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(object_repr__icontains=EMAIL).exists()
    request = verified("access")
    request_note(request=request, text=f"In de admin bijgewerkt: {NAME}", by=officer)


STATES = {
    "extended": _extended,
    "rejected": _rejected,
    "completed": _completed,
    "withdrawn": _withdrawn,
    "without_email": _without_email,
    "edited_in_the_admin": _edited_in_the_admin,
}


@pytest.mark.parametrize("state", STATES)
def test_the_person_is_erased_whatever_the_state_of_their_requests(
    state, register, privacy_officer, client, django_capture_on_commit_callbacks
):
    subject_get_or_create(email=EMAIL, name=NAME, phone=PHONE)
    maker = STATES[state]
    if state == "edited_in_the_admin":
        maker(privacy_officer, client)
    else:
        maker(privacy_officer)
    access = verified("access")
    package_build(request=access)
    outbox_sweep()
    assert find_everywhere(*NEEDLES)  # she is there before
    erasure = verified("erasure", description=f"Wis alles van {NAME}, ook {PHONE}")
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(request=erasure, by=privacy_officer)
    outbox_sweep()
    assert mail.outbox[-1].to == [EMAIL]
    assert find_everywhere(*NEEDLES) == []
    assert find_in_folders(*NEEDLES) == []


def test_a_phone_only_erasure_request_erases_the_phone_only_requests(
    register, privacy_officer, django_capture_on_commit_callbacks
):
    _without_email(privacy_officer)
    erasure = open_request(
        kind="erasure",
        channel="phone",
        requester_name=NAME,
        requester_email="",
        requester_phone="+31 6 4455 6677",
    )
    erasure = request_verify_identity(request=erasure, method="callback", by=privacy_officer)
    tick_all(erasure)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(request=erasure, by=privacy_officer)
    # Without an e-mail address the confirmation goes by post: it keeps her name and address
    # until the agent has posted it, and nothing else does.
    (letter,) = PostalLetter.objects.filter(request=erasure, posted_at__isnull=True)
    assert {table for table, _value in find_everywhere(*NEEDLES)} <= {
        "requests_desk_postalletter"
    }
    with django_capture_on_commit_callbacks(execute=True):
        postal_letter_mark_posted(letter=letter, by=privacy_officer)
    assert find_everywhere(*NEEDLES) == []


def test_an_uploaded_export_is_erased_with_the_person(
    register, privacy_officer, agent, django_capture_on_commit_callbacks
):
    subject_get_or_create(email=EMAIL, name=NAME, phone=PHONE)
    access = verified("access", answered=False)
    task = access.tasks.exclude(system__slug="privacy-office").first()
    task_record_result(
        task=task,
        result_kind=TaskResult.EXPORTED,
        by=agent,
        note=f"Klantkaart van {NAME}",
        file_name="crm.csv",
        file_content=f"naam,e-mail\n{NAME},{EMAIL}\n".encode(),
    )
    task.refresh_from_db()
    stored, storage = task.result_file.name, task.result_file.storage  # a folder or S3
    with storage.open(stored) as upload:
        assert EMAIL.encode() in upload.read()
    erasure = verified("erasure")
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(request=erasure, by=privacy_officer)
    outbox_sweep()
    assert not storage.exists(stored)
    assert find_in_folders(*NEEDLES) == []
    assert find_everywhere(*NEEDLES) == []


def test_a_failed_erasure_confirmation_is_scrubbed_too(
    register, privacy_officer, settings, django_capture_on_commit_callbacks
):
    subject_get_or_create(email=EMAIL, name=NAME, phone=PHONE)
    erasure = verified("erasure")
    # A mail server that is not there: the real SMTP backend, refused at a closed port.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.DESK_OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(request=erasure, by=privacy_officer)
    outbox_sweep()
    letter = OutboxMessage.objects.get(request=erasure, letter_kind="erasure")
    assert letter.status == OutboxStatus.QUEUED and letter.to == EMAIL  # retried, not lost yet
    outbox_sweep()
    letter.refresh_from_db()
    assert letter.status == OutboxStatus.FAILED
    assert find_everywhere(*NEEDLES) == []
