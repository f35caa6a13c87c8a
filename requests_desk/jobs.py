"""The desk's jobs: reminders and escalation, closing out the requests that need no human
judgement, and the retention of closed requests. (Sending the outbox is `requests_desk/outbox.py`;
the soft opt-in expiry is a consents job, the register digest a register job.)

Every job works in bulk and is idempotent: running it twice, or on two workers at once, changes
nothing more (a reminder is unique per request, kind and deadline; a closed request is no longer
selected). A job only calls services and the outbox; it never writes around them.
"""

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import PRIVACY_OFFICER, users_in_role
from consents.models import Action, ConsentPurpose, Method
from consents.selectors import subjects_named_by
from consents.services import consents_record, normalise_email
from requests_desk import services
from requests_desk.deadlines import same_date_months_later, working_days_after
from requests_desk.models import (
    CLOSED_STATUSES,
    OPT_OUT_KINDS,
    DataSubjectRequest,
    LetterKind,
    OutboxKind,
    Reminder,
    ReminderKind,
    Status,
)
from requests_desk.outbox import outbox_queue
from requests_desk.personal_data import scrub_requests
from requests_desk.selectors import requests_identity_timed_out

log = logging.getLogger(__name__)


# --- reminders and escalation -------------------------------------------------------------------


def _officers():
    return users_in_role(PRIVACY_OFFICER)


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
            outbox_queue(
                to=person.email,
                kind=OutboxKind.REMINDER,
                subject=_("Privacy Office: %(count)s termijn(en) vragen aandacht")
                % {"count": len(lines)},
                body="\n".join(sorted(lines)) + "\n",
            )
    return len(fresh)


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


def _claim(candidates, pk: int) -> DataSubjectRequest | None:
    """Lock one request of the candidates for this transaction, or None when another run holds
    its row (skipped, not waited for: that run is closing it) or it is no longer a candidate. So
    two close-out runs at once each close different requests, and neither raises."""
    return (
        candidates.select_for_update(skip_locked=True, of=("self",))
        .select_related("subject")
        .filter(pk=pk)
        .first()
    )


EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _named_by(request: DataSubjectRequest) -> list:
    """Every subject an opt-out concerns: its matched subject, and those of every e-mail address
    and phone number the request names (its fields and its description)."""
    emails = [request.requester_email, *EMAIL_IN_TEXT.findall(request.description)]
    named = subjects_named_by(
        emails=[normalise_email(e) for e in emails if e], phones=[request.requester_phone]
    )
    if request.subject_id and all(s.pk != request.subject_id for s in named):
        named.append(request.subject)
    return named


def requests_close_out(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Close what needs no human judgement. An objection to direct marketing or a withdrawal of
    consent is carried out on the ledger (every marketing purpose withdrawn) for every address
    and phone number the request names, its tasks ticked and the request completed with the
    letter — whether or not the identity was confirmed: it can only stop messages and discloses
    nothing (LEGAL.md §4; Art. 12(6), 21(3) GDPR). Any other request whose requester never
    confirmed their identity within the configured days of being asked for it is closed, with a
    letter that says so (not that it was handled)."""
    now = now or timezone.now()
    counts = {"completed": 0, "closed_unverified": 0}
    marketing = list(ConsentPurpose.objects.filter(activity__is_direct_marketing=True))
    ready = DataSubjectRequest.objects.filter(
        kind__in=OPT_OUT_KINDS,
        status__in=(
            Status.NEW,
            Status.IDENTITY_PENDING,
            Status.IN_PROGRESS,
            Status.AWAITING_REQUESTER,
        ),
    )
    for pk in list(ready.values_list("pk", flat=True)):
        with transaction.atomic():
            request = _claim(ready, pk)
            if request is None:
                continue  # another run holds it, or has closed it since the list was read
            subjects = _named_by(request)
            consents_record(
                pairs=[(s.pk, purpose.pk) for s in subjects for purpose in marketing],
                action=Action.WITHDRAWN,
                method=Method.REQUEST,
                reference=request.reference,
            )
            if request.status in (Status.NEW, Status.IDENTITY_PENDING):
                services.request_transition(request=request, action="start", by=None)
            elif request.status == Status.AWAITING_REQUESTER:
                services.request_transition(request=request, action="resume", by=None)
            for task in request.tasks.filter(done_at__isnull=True):
                services.task_complete(task=task, by=None)
            services.request_complete(
                request=request,
                by=None,
                outcome=_(
                    "Wij hebben u afgemeld voor alle marketing: e-mail, post en telefoon, op elk "
                    "e-mailadres en telefoonnummer dat u ons noemde. Dit is direct ingegaan."
                ),
            )
            counts["completed"] += 1
    # Counted from when the identity was asked, not from receipt (selectors say how).
    cutoff = now - dt.timedelta(days=settings.DESK_IDENTITY_TIMEOUT_DAYS)
    stale = requests_identity_timed_out(cutoff=cutoff).exclude(kind__in=OPT_OUT_KINDS)
    days = settings.DESK_IDENTITY_TIMEOUT_DAYS
    for pk in [request.pk for request in stale]:
        try:
            with transaction.atomic():
                request = _claim(
                    DataSubjectRequest.objects.filter(status=Status.IDENTITY_PENDING), pk
                )
                if request is None:
                    continue  # another run holds it, or has closed it already
                request = services.request_transition(
                    request=request,
                    action="withdraw",
                    by=None,
                    note=_("Identiteit niet bevestigd binnen de termijn; verzoek gesloten."),
                    outcome=_(
                        "Wij hebben binnen %(days)s dagen geen bevestiging van uw identiteit "
                        "ontvangen en hebben uw verzoek daarom niet uitgevoerd."
                    )
                    % {"days": days},
                )
                services.letter_queue(request=request, kind=LetterKind.IDENTITY_TIMEOUT, by=None)
        except ValidationError:
            continue
        counts["closed_unverified"] += 1
    return counts
