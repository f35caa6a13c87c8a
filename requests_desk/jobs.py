"""The services the desk's Celery jobs run: sending the outbox, reminders and escalation, closing
out the requests that need no human judgement, and the soft opt-in expiry.

Every job works in bulk and is idempotent: running it twice, or on two workers at once, changes
nothing more (a reminder is unique per request, kind and deadline; an outbox message is locked
while it is sent and marked sent once; a closed request is no longer selected).
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import PRIVACY_OFFICER
from consents.models import Action, ConsentPurpose, ConsentState, Method, PurposeBasis
from consents.services import consents_record
from requests_desk import services
from requests_desk.deadlines import same_date_months_later, working_days_after
from requests_desk.models import (
    CLOSED_STATUSES,
    OPT_OUT_KINDS,
    DataSubjectRequest,
    IdentityStatus,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Reminder,
    ReminderKind,
    Status,
)
from requests_desk.personal_data import scrub_requests
from requests_desk.selectors import requests_identity_timed_out

log = logging.getLogger(__name__)
SOFT_OPT_IN_YEARS = 2
SCRUBBED_ADDRESS = "verzonden@invalid.example"


# --- the outbox ---------------------------------------------------------------------------------


def outbox_send(*, message_id: int) -> bool:
    """Send one queued message. The row is locked while it is sent (a second worker skips it) and
    marked sent in the same transaction; True when this call sent it."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxStatus.QUEUED)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            EmailMessage(message.subject, message.body, to=[message.to]).send()
        except Exception as error:  # noqa: BLE001 — any mail failure is recorded and retried
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            if message.attempts >= settings.DESK_OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            log.warning("outbox message %s not sent (attempt %s)", message.pk, message.attempts)
            return False
        message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
        fields = ["attempts", "status", "sent_at"]
        if message.scrub_after_send:
            message.to, message.body = SCRUBBED_ADDRESS, ""
            fields += ["to", "body"]
        message.save(update_fields=fields)
        return True


def outbox_sweep(*, limit: int = 500) -> int:
    """Send what is queued — letters queued while the broker was down included."""
    ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.QUEUED)
        .order_by("queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_send(message_id=pk) for pk in ids)


# --- reminders and escalation -------------------------------------------------------------------


def _officers():
    return get_user_model().objects.filter(groups__name=PRIVACY_OFFICER, is_active=True)


def reminders_due(*, today: dt.date):
    """The reminder window's end, the escalation window's end, and the open requests with a
    deadline inside the reminder window."""
    horizon = working_days_after(today, settings.DESK_REMINDER_WORKING_DAYS)
    risk = working_days_after(today, settings.DESK_ESCALATION_WORKING_DAYS)
    requests = (
        DataSubjectRequest.objects.open()
        .filter(
            Q(target_on__lte=horizon)
            | Q(extended_due_on__isnull=True, due_on__lte=horizon)
            | Q(extended_due_on__lte=horizon)
        )
        .select_related("assignee")
    )
    return horizon, risk, requests


def _lock_job(name: str) -> None:
    """Two workers running the same job at once: the second waits here for the first to commit
    (PostgreSQL; SQLite takes its write lock at the start of every transaction anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def _queue_internal_mail(*, to: str, kind: str, subject: str, body: str, key: str | None = None):
    message = OutboxMessage.objects.create(
        to=to, letter_kind=kind, subject=subject, body=body, dedupe_key=key
    )
    transaction.on_commit(lambda: services._send_soon(message.pk))
    return message


@transaction.atomic
def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the assignee (the privacy officers when nobody is assigned) before each deadline,
    and escalate to the privacy officers when the statutory date is at risk or past. Each
    reminder is recorded once (unique per request, kind and deadline) and its mail queued in the
    outbox in the same transaction: a worker killed halfway loses none and doubles none."""
    today = today or timezone.localdate()
    _lock_job("desk-reminders")
    horizon, risk, requests = reminders_due(today=today)
    officers = list(_officers())
    wanted = []
    for request in requests:
        statutory = request.statutory_due_on
        people = [request.assignee] if request.assignee else officers
        if request.target_on < statutory and request.target_on <= horizon:
            wanted += [(request, ReminderKind.TARGET, request.target_on, p) for p in people]
        if statutory <= horizon:
            wanted += [(request, ReminderKind.STATUTORY, statutory, p) for p in people]
        if statutory <= risk:
            wanted += [(request, ReminderKind.ESCALATION, statutory, p) for p in officers]
    existing = set(
        Reminder.objects.filter(request__in={w[0] for w in wanted}).values_list(
            "request_id", "kind", "deadline_on"
        )
    )
    fresh, digests = {}, {}
    for request, kind, deadline, person in wanted:
        key = (request.pk, kind, deadline)
        if key in existing:
            continue
        fresh.setdefault(key, (request, kind, deadline, person))
        if person is not None:
            digests.setdefault(person, set()).add(
                f"{request.reference} — {ReminderKind(kind).label}: {deadline:%d-%m-%Y}"
            )
    Reminder.objects.bulk_create(
        [Reminder(request=r, kind=k, deadline_on=d, recipient=p) for r, k, d, p in fresh.values()]
    )
    for person, lines in digests.items():
        if person.email:
            _queue_internal_mail(
                to=person.email,
                kind=OutboxKind.REMINDER,
                subject=f"Privacy Office: {len(lines)} termijn(en) vragen aandacht",
                body="\n".join(sorted(lines)) + "\n",
            )
    return len(fresh)


@transaction.atomic
def register_digest_send(*, today: dt.date | None = None) -> int:
    """Tell the privacy officers which register reviews are overdue and which processor
    agreements have expired or expire within 60 days; once a day at most (a dedupe key)."""
    from privacy_register.selectors import completeness_findings

    today = today or timezone.localdate()
    findings = [
        f
        for f in completeness_findings(today=today)
        if "Review" in f.problem or "erwerkersovereenkomst" in f.problem
    ]
    if not findings:
        return 0
    body = "\n".join(f"{f.subject}: {f.problem}" for f in findings) + "\n"
    queued = 0
    for officer in _officers().exclude(email=""):
        key = f"register-digest:{today.isoformat()}:{officer.pk}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        _queue_internal_mail(
            to=officer.email,
            kind=OutboxKind.REGISTER_DIGEST,
            subject=f"Verwerkingsregister: {len(findings)} punt(en) om na te lopen",
            body=body,
            key=key,
        )
        queued += 1
    return queued


# --- retention ----------------------------------------------------------------------------------

MINIMISED = "(geminimaliseerd)"


def requests_past_retention(*, today: dt.date):
    """Closed requests older than the retention the register gives for handling requests (the
    activity `privacyverzoeken`: N months after closing). None when the register sets no term."""
    from privacy_register.models import ProcessingActivity

    activity = ProcessingActivity.objects.filter(slug="privacyverzoeken").first()
    if activity is None or activity.retention_months is None:
        return DataSubjectRequest.objects.none()
    cutoff = same_date_months_later(today, -activity.retention_months)
    return DataSubjectRequest.objects.filter(
        status__in=CLOSED_STATUSES, closed_at__date__lt=cutoff, minimised_at__isnull=True
    ).order_by("closed_at")


@transaction.atomic
def requests_minimise(*, today: dt.date | None = None, dry_run: bool = True) -> list[str]:
    """Minimise the closed requests past their retention: the requester's details, the free
    texts, the letters' bodies and the request's history rows are removed; the reference, kind,
    dates and status stay (what was asked and whether it was answered in time). With dry_run,
    only say which would go."""
    today = today or timezone.localdate()
    requests = list(requests_past_retention(today=today))
    references = [r.reference for r in requests]
    if dry_run or not requests:
        return references
    scrub_requests(
        ids=[r.pk for r in requests],
        marker=MINIMISED,
        address="geminimaliseerd@invalid.example",
        subject=None,
        minimised_at=timezone.now(),
    )
    return references


# --- close-out ----------------------------------------------------------------------------------


def requests_close_out(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Close what needs no human judgement: an objection to direct marketing or a withdrawal of
    consent from a verified requester is carried out on the ledger (every marketing purpose
    withdrawn), its tasks ticked and the request completed with the letter; a requester who never
    confirmed their identity within the configured days of being asked gets the request closed,
    with a letter."""
    now = now or timezone.now()
    counts = {"completed": 0, "closed_unverified": 0}
    marketing = list(ConsentPurpose.objects.filter(activity__is_direct_marketing=True))
    ready = DataSubjectRequest.objects.filter(
        kind__in=OPT_OUT_KINDS,
        status=Status.IN_PROGRESS,
        identity_status=IdentityStatus.VERIFIED,
        subject__isnull=False,
    ).select_related("subject")
    for request in ready:
        with transaction.atomic():
            consents_record(
                pairs=[(request.subject_id, purpose.pk) for purpose in marketing],
                action=Action.WITHDRAWN,
                method=Method.REQUEST,
                reference=request.reference,
            )
            for task in request.tasks.filter(done_at__isnull=True):
                services.task_complete(task=task, by=None)
            services.request_complete(
                request=request,
                by=None,
                outcome=(
                    "Wij hebben u afgemeld voor alle marketing: e-mail, post en telefoon. "
                    "Dit is direct ingegaan."
                ),
            )
            counts["completed"] += 1
    # Counted from when the identity was asked, not from receipt (selectors say how).
    cutoff = now - dt.timedelta(days=settings.DESK_IDENTITY_TIMEOUT_DAYS)
    stale = requests_identity_timed_out(cutoff=cutoff)
    days = settings.DESK_IDENTITY_TIMEOUT_DAYS
    for request in stale:
        try:
            with transaction.atomic():
                request = services.request_transition(
                    request=request,
                    action="withdraw",
                    by=None,
                    note="Identiteit niet bevestigd binnen de termijn; verzoek gesloten.",
                )
                DataSubjectRequest.objects.filter(pk=request.pk).update(
                    outcome=(
                        f"Wij hebben binnen {days} dagen geen bevestiging van uw identiteit "
                        "ontvangen en hebben uw verzoek daarom gesloten. U kunt altijd een nieuw "
                        "verzoek indienen."
                    )
                )
                request.refresh_from_db()
                if request.requester_email:
                    services.letter_send(request=request, kind="completion", by=None)
        except ValidationError:
            continue
        counts["closed_unverified"] += 1
    return counts


# --- soft opt-in expiry -------------------------------------------------------------------------


def soft_opt_in_expire(*, today: dt.date | None = None) -> int:
    """Two years after the last purchase or the end of a subscription, the soft opt-in for
    e-mail marketing lapses (Telecommunicatiewet art. 11.7; the privacy statement)."""
    today = today or timezone.localdate()
    limit = same_date_months_later(today, -12 * SOFT_OPT_IN_YEARS)
    lapsed = ConsentState.objects.filter(
        status="given",
        purpose__legal_basis=PurposeBasis.SOFT_OPT_IN,
        subject__customer_until__lt=limit,
    ).values_list("subject_id", "purpose_id")
    events = consents_record(
        pairs=list(lapsed), action=Action.EXPIRED, method=Method.SYSTEM, reference="soft-opt-in"
    )
    return len(events)
