"""The operations of the public pages. Each runs in one transaction: a request is either filed,
verified and acknowledged as a whole, or not at all."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from consents.models import Method
from consents.services import consent_give, consent_withdraw
from requests_desk.models import Channel, DataSubjectRequest, IdentityMethod
from requests_desk.services import request_open, request_verify_identity
from self_service.links import confirmation_url, preference_centre_url
from self_service.models import PendingSubmission
from self_service.rights import RIGHTS_BY_KIND
from self_service.selectors import preference_rows, subject_for_email
from self_service.tokens import InvalidToken, confirm_request_link


class SubmissionLinkError(Exception):
    """A confirmation link that cannot be used: `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _send(*, template: str, to: str, context: dict) -> None:
    # Letters and mails to data subjects are Dutch, whatever language the page had.
    with translation.override("nl"):
        subject = render_to_string(f"self_service/email/{template}_subject.txt", context)
        body = render_to_string(f"self_service/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


@transaction.atomic
def submission_create(
    *,
    kind: str,
    name: str,
    email: str,
    details: str = "",
    request=None,
    now: datetime | None = None,
) -> PendingSubmission:
    """Keep a request from the public form until its e-mail address is confirmed, and send the
    signed confirmation link to that address.

    Nothing is opened yet: a request exists, and its deadline (Art. 12(3) GDPR) runs, only from
    the moment the person proves control of the address. Sending happens inside the transaction,
    so a mail that cannot be sent leaves no pending row behind.
    """
    if kind not in RIGHTS_BY_KIND:
        raise ValueError(f"unknown request kind {kind!r}")
    now = now or timezone.now()
    submission = PendingSubmission.objects.create(
        public_id=uuid.uuid4(),
        kind=kind,
        name=name.strip(),
        email=email.strip(),
        details=details.strip(),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.SELF_SERVICE_CONFIRMATION_MAX_AGE),
    )
    _send(
        template="confirm_request",
        to=submission.email,
        context={
            "submission": submission,
            "right": RIGHTS_BY_KIND[kind],
            "url": confirmation_url(submission, request=request),
        },
    )
    return submission


def submission_for_token(*, token: str, now: datetime | None = None) -> PendingSubmission:
    """The pending submission a confirmation link points to, or SubmissionLinkError."""
    now = now or timezone.now()
    try:
        public_id = confirm_request_link.read(token)
    except InvalidToken as error:
        raise SubmissionLinkError("expired" if error.expired else "invalid") from error
    submission = PendingSubmission.objects.filter(public_id=public_id).first()
    if submission is None:
        # Confirmed already (the row is gone), or removed after expiry.
        raise SubmissionLinkError("used")
    if submission.is_expired(now=now):
        raise SubmissionLinkError("expired")
    return submission


@transaction.atomic
def submission_confirm(*, token: str, now: datetime | None = None) -> DataSubjectRequest:
    """Turn a confirmed submission into a request on the desk.

    The request is received at the moment of confirmation (the clock of Art. 12(3) GDPR starts
    then), on the web-form channel; the identity is verified by e-mail control, which is enough
    for a request about the data we hold under that address (Art. 12(6) GDPR: ask no more than
    needed). The desk queues the acknowledgement letter. The pending row is deleted in the same
    transaction, so a link works once.
    """
    now = now or timezone.now()
    submission = submission_for_token(token=token, now=now)
    # Lock the row: of two clicks at once, the second waits and then finds it gone.
    submission = PendingSubmission.objects.select_for_update().filter(pk=submission.pk).first()
    if submission is None:
        raise SubmissionLinkError("used")
    desk_request = request_open(
        kind=submission.kind,
        channel=Channel.WEB_FORM,
        requester_name=submission.name,
        requester_email=submission.email,
        received_at=now,
        description=submission.details,
        opened_by=None,
    )
    request_verify_identity(request=desk_request, method=IdentityMethod.EMAIL, by=None)
    submission.delete()
    return desk_request


@transaction.atomic
def pending_submissions_remove_expired(*, now: datetime | None = None) -> int:
    """Delete the submissions whose confirmation link has expired: an unconfirmed submission is
    not a request, and we keep no personal data without a purpose (Art. 5(1)(c) and (e) GDPR).
    Safe to run at any time and any number of times; returns how many were removed."""
    deleted, _ = PendingSubmission.objects.expired(now=now or timezone.now()).delete()
    return deleted


class WordingChanged(Exception):
    """The wording of a purpose changed while the person had the page open: they must see the
    new text before their choice is recorded (Art. 7(1) GDPR: consent to what was shown)."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def preference_link_send(*, email: str, request=None) -> None:
    """Mail the personal preference-centre link to a known address; to an unknown (or erased)
    address, a short note that there is nothing to manage. Either way a mail goes out and the
    page answers the same, so the form reveals nobody's presence in our files."""
    subject = subject_for_email(email=email)
    if subject is None:
        _send(template="preference_unknown", to=email.strip(), context={})
        return
    _send(
        template="preference_link",
        to=subject.email,
        context={
            "url": preference_centre_url(subject, request=request),
            "valid_until": timezone.now()
            + timedelta(seconds=settings.SELF_SERVICE_PREFERENCE_LINK_MAX_AGE),
        },
    )


@transaction.atomic
def preferences_update(
    *, subject, wanted: dict[int, bool], shown_versions: dict[int, str], now=None
) -> list[tuple[object, bool]]:
    """Record each change a person makes in the preference centre as a ledger event: given or
    withdrawn, collection method "preference centre", with the wording version that was shown
    (Art. 7(1) GDPR: the controller shows what the person agreed to). A choice left unchanged
    writes nothing. Withdrawing is as easy as giving (Art. 7(3)) and is never held up; a consent
    is only recorded for the wording that is current, so if that changed while the page was open,
    nothing is recorded and the person reads the new text first. All or nothing."""
    now = now or timezone.now()
    changes = [
        row
        for row in preference_rows(subject=subject)
        if row.purpose.pk in wanted and wanted[row.purpose.pk] != row.given
    ]
    outdated = [
        row.name
        for row in changes
        if wanted[row.purpose.pk] and shown_versions.get(row.purpose.pk) != row.version_key
    ]
    if outdated:
        raise WordingChanged(outdated)
    for row in changes:
        record = consent_give if wanted[row.purpose.pk] else consent_withdraw
        record(
            subject=subject,
            purpose=row.purpose,
            method=Method.PREFERENCE_CENTRE,
            reference="voorkeurencentrum",
            occurred_at=now,
            purpose_version=row.version,
        )
    return [(row.purpose, wanted[row.purpose.pk]) for row in changes]
