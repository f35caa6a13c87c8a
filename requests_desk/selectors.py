"""The desk's reads: the queue and its tabs, search, and the dashboard's figures. Each is a fixed
number of queries whatever the number of requests."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, DateField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.start_page import Item, Section, section
from consents.models import DataSubject
from consents.phones import normalise_phone
from requests_desk.models import (
    DataSubjectRequest,
    EventKind,
    InboundMessage,
    InboundStatus,
    OutboxMessage,
    OutboxStatus,
    PostalLetter,
    RequestEvent,
    RequestKind,
    Status,
)

TABS = {
    "mine": _("Mijn verzoeken"),
    "unassigned": _("Niet toegewezen"),
    "week": _("Deze week"),
    "overdue": _("Te laat"),
    "open": _("Alle open"),
}

# The stricter of the two dates, in SQL: what the queue sorts on.
NEXT_DEADLINE = Least(F("target_on"), Coalesce(F("extended_due_on"), F("due_on")))


def with_next_deadline(queryset):
    return queryset.annotate(next_deadline=NEXT_DEADLINE)


def queue(*, user, tab: str, today: dt.date):
    """The open requests of one tab, nearest date first."""
    requests = with_next_deadline(DataSubjectRequest.objects.open()).select_related("assignee")
    if tab == "mine":
        requests = requests.filter(assignee=user)
    elif tab == "unassigned":
        requests = requests.filter(assignee__isnull=True)
    elif tab == "week":
        requests = requests.filter(next_deadline__lte=today + dt.timedelta(days=7))
    elif tab == "overdue":
        requests = requests.filter(next_deadline__lt=today)
    return requests.order_by("next_deadline", "reference")


def tab_counts(*, user, today: dt.date) -> dict[str, int]:
    """How many requests each tab holds, in one query."""
    week = today + dt.timedelta(days=7)
    return with_next_deadline(DataSubjectRequest.objects.open()).aggregate(
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        week=Count("pk", filter=Q(next_deadline__lte=week)),
        overdue=Count("pk", filter=Q(next_deadline__lt=today)),
        open=Count("pk"),
    )


def search(*, text: str):
    """Requests whose reference, requester's name or e-mail address contains `text`, or whose
    requester (or data subject) has the phone number `text`, however it is typed."""
    text = text.strip()
    if not text:
        return DataSubjectRequest.objects.none()
    matches = (
        Q(reference__iexact=text)
        | Q(reference__icontains=text)
        | Q(requester_name__icontains=text)
        | Q(requester_email__icontains=text)
    )
    if phone := normalise_phone(text):
        matches |= Q(requester_phone_e164=phone) | Q(subject__phone_e164=phone)
    return (
        with_next_deadline(DataSubjectRequest.objects.filter(matches))
        .select_related("assignee")
        .order_by("-received_at")
    )


AGE_BUCKETS = ((0, 7), (8, 14), (15, 28), (29, None))


@dataclass
class MonthFigure:
    month: dt.date
    closed: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.closed if self.closed else 0.0


def open_by_kind_and_age(*, today: dt.date) -> list[dict]:
    """Per kind of request, how many are open, bucketed by days since receipt (one query)."""
    buckets = {}
    for low, high in AGE_BUCKETS:
        newest = today - dt.timedelta(days=low)
        condition = Q(received_at__date__lte=newest)
        if high is not None:
            condition &= Q(received_at__date__gte=today - dt.timedelta(days=high))
        buckets[f"age_{low}"] = Count("pk", filter=condition)
    rows = {
        row["kind"]: row
        for row in DataSubjectRequest.objects.open()
        .values("kind")
        .annotate(total=Count("pk"), **buckets)
    }
    return [
        {
            "kind": label,
            "total": rows.get(kind, {}).get("total", 0),
            "ages": [rows.get(kind, {}).get(f"age_{low}", 0) for low, _high in AGE_BUCKETS],
        }
        for kind, label in RequestKind.choices
    ]


def on_time_per_month(*, since: dt.date) -> list[MonthFigure]:
    """Per month, the completed requests and how many were closed within their statutory
    deadline (the extended one where the term was extended)."""
    deadline = Coalesce(F("extended_due_on"), F("due_on"), output_field=DateField())
    rows = (
        DataSubjectRequest.objects.filter(status="completed", closed_at__date__gte=since)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(
            closed=Count("pk"),
            on_time=Count("pk", filter=Q(closed_at__date__lte=deadline)),
        )
        .order_by("month")
    )
    return [
        MonthFigure(
            row["month"].date() if hasattr(row["month"], "date") else row["month"],
            row["closed"],
            row["on_time"],
        )
        for row in rows
    ]


def requests_identity_timed_out(*, cutoff: dt.datetime):
    """The requests still waiting for the requester's identity that were asked for it before
    `cutoff`. The timeout counts from when the identity was asked (the status change to
    "identity pending" on the timeline), not from receipt: a request asked for identity late gets
    the full time to answer. One query."""
    asked_at = (
        RequestEvent.objects.filter(
            request=OuterRef("pk"),
            kind=EventKind.STATUS,
            data__target=Status.IDENTITY_PENDING,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        DataSubjectRequest.objects.filter(status=Status.IDENTITY_PENDING)
        .annotate(identity_asked_at=Coalesce(Subquery(asked_at), F("received_at")))
        .filter(identity_asked_at__lt=cutoff)
    )


def request_panels(*, request, user) -> dict:
    """The cards that apps above the desk add to a request's page. An app declares one on its
    `AppConfig` as `desk_request_panel = (context name, dotted path of a function (request, user)
    → context, template)`; the desk reads the declarations and never imports those apps. Returns
    the template context: each card's context under its name, and `panel_templates` in order."""
    context, templates = {}, []
    for config in apps.get_app_configs():
        declared = getattr(config, "desk_request_panel", None)
        if declared:
            name, function, template = declared
            context[name] = import_string(function)(request=request, user=user)
            templates.append(template)
    return {**context, "panel_templates": templates}


def subjects_without_request(*, text: str, limit: int = 50):
    """The people in the ledger without any request whose name or address contains `text`, or
    who have the phone number `text`: a caller the desk knows only from their consents."""
    text = text.strip()
    if not text:
        return DataSubject.objects.none()
    matches = Q(name__icontains=text) | Q(email__icontains=text)
    if phone := normalise_phone(text):
        matches |= Q(phone_e164=phone)
    return DataSubject.objects.filter(
        matches, erased_at__isnull=True, merged_into__isnull=True, requests__isnull=True
    ).order_by("name", "pk")[:limit]


def postal_waiting():
    """The letters waiting to be posted, oldest first, with their requests (one query a page)."""
    return (
        PostalLetter.objects.filter(posted_at__isnull=True, withheld=False)
        .select_related("request")
        .order_by("queued_at", "pk")
    )


def postal_recent(*, limit: int = 20) -> list[PostalLetter]:
    """The letters posted last, newest first (one query)."""
    return list(
        PostalLetter.objects.filter(posted_at__isnull=False)
        .select_related("request", "posted_by")
        .order_by("-posted_at", "-pk")[:limit]
    )


# --- The privacy officer's start page (accounts.start_page) ----------------------------------
# Requests this many days before their nearest date are "near" it.
NEAR_DAYS = 7


def start_page_sections(*, user, now: dt.datetime) -> list[Section]:
    """Open requests at or past their nearest date within a week, and letters that failed."""
    today = timezone.localdate(now)
    sections = []
    if user.has_perm("requests_desk.view_datasubjectrequest"):

        def near_item(req) -> Item:
            late = req.next_deadline < today
            text = (
                _("%(days)s dag(en) over de datum (%(date)s)")
                if late
                else _("uiterlijk %(date)s, over %(days)s dag(en)")
            )
            days = abs((req.next_deadline - today).days)
            return Item(
                label=f"{req.reference} · {req.get_kind_display()}",
                detail=text % {"date": date_format(req.next_deadline), "days": days},
                url=reverse("desk:detail", args=[req.reference]),
                level="bad" if late else "warn",
            )

        near = (
            with_next_deadline(DataSubjectRequest.objects.open())
            .filter(next_deadline__lte=today + dt.timedelta(days=NEAR_DAYS))
            .order_by("next_deadline", "reference")
        )
        sections.append(
            section(
                key="requests",
                title=_("Verzoeken bij of over hun datum"),
                rows=near,
                item=near_item,
                all_url=reverse("desk:queue") + "?tab=week",
                all_label=_("Naar de verzoekenbalie"),
            )
        )
    if user.has_perm("requests_desk.view_outboxmessage"):
        failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
        sections.append(
            section(
                key="letters",
                title=_("Mislukte brieven"),
                rows=failed.order_by("-queued_at", "-id"),
                item=lambda message: Item(
                    label=message.subject,
                    detail=_("mislukt na %(attempts)s poging(en), klaargezet op %(date)s")
                    % {"attempts": message.attempts, "date": date_format(message.queued_at.date())},
                    url=reverse("admin:requests_desk_outboxmessage_change", args=[message.pk]),
                    level="bad",
                ),
                all_url=reverse("admin:requests_desk_outboxmessage_changelist")
                + f"?status__exact={OutboxStatus.FAILED}",
                all_label=_("Alle mislukte brieven"),
            )
        )
    return sections


def inbox_open():
    """The mails of the privacy mailbox waiting for an agent, oldest first, with their sender's
    data subject and their attachments (two queries)."""
    return (
        InboundMessage.objects.filter(status=InboundStatus.OPEN)
        .select_related("data_subject")
        .prefetch_related("attachments")
        .order_by("received_at", "pk")
    )


def requests_flagged():
    """The requests that ask for the agent's attention (a reply came in, a letter bounced),
    longest waiting first."""
    return (
        DataSubjectRequest.objects.filter(attention_since__isnull=False)
        .select_related("assignee")
        .order_by("attention_since")
    )
