"""Reads of the breach register. Each page runs a fixed number of queries whatever the number of
breaches (select_related / prefetch_related; the tests assert it)."""

from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.start_page import Item, Section, section
from breaches import deadlines
from breaches.models import Breach, BreachStatus, FilingKind
from privacy_register.models import System

VIEW_ALL = "breaches.view_breach"


def visible_to(user) -> QuerySet:
    """Every breach for the officer and the auditor; for anyone else only what they reported."""
    breaches = Breach.objects.select_related("assessment", "reported_by", "processor")
    if user.has_perm(VIEW_ALL):
        return breaches
    return breaches.filter(reported_by=user)


def open_breaches(*, user) -> QuerySet:
    """Open breaches, the nearest deadline first (the deadline follows awareness)."""
    return (
        visible_to(user)
        .exclude(status=BreachStatus.CLOSED)
        .annotate(filed=Count("filings", filter=Q(filings__kind=FilingKind.INITIAL)))
        .order_by("aware_at")
    )


def register(*, user, year=None, decision="", cause="", status="") -> QuerySet:
    breaches = visible_to(user).annotate(
        filed=Count("filings", filter=Q(filings__kind=FilingKind.INITIAL))
    )
    if year:
        breaches = breaches.filter(aware_at__year=year)
    if decision:
        breaches = breaches.filter(assessment__decision=decision)
    if cause:
        breaches = breaches.filter(cause=cause)
    if status:
        breaches = breaches.filter(status=status)
    return breaches.order_by("-aware_at", "-pk")


def yearly(*, year: int) -> dict:
    """The annual report's numbers: breaches by cause, by decision, and notified on time.
    Three queries, whatever the year holds."""
    breaches = Breach.objects.filter(aware_at__year=year)
    by_cause = dict(breaches.values_list("cause").annotate(n=Count("pk")).order_by())
    by_decision = dict(
        breaches.values_list("assessment__decision").annotate(n=Count("pk")).order_by()
    )
    filed = breaches.filter(filings__kind=FilingKind.INITIAL).values_list(
        "aware_at", "filings__filed_at"
    )
    on_time = sum(1 for aware, filed_at in filed if not deadlines.is_late(aware, filed_at))
    return {
        "total": sum(by_cause.values()),
        "by_cause": by_cause,
        "by_decision": by_decision,
        "notified": len(filed),
        "on_time": on_time,
        "late": len(filed) - on_time,
    }


def start_page_sections(*, user, now) -> list[Section]:
    """The open breaches, each with what is left of its 72 hours (Art. 33(1) GDPR) until the
    authority has been told."""
    if not user.has_perm(VIEW_ALL):
        return []

    def clock_item(breach) -> Item:
        left = deadlines.time_left(breach.aware_at, now)
        hours = int(abs(left).total_seconds() // 3600)
        if breach.filed:
            detail, level = _("gemeld bij de AP"), ""
        elif left.total_seconds() < 0:
            detail, level = _("72 uur verstreken, %(hours)s uur geleden") % {"hours": hours}, "bad"
        else:
            until = deadlines.in_amsterdam(deadlines.notify_deadline(breach.aware_at))
            detail = _("nog %(hours)s uur om te melden (tot %(at)s)") % {
                "hours": hours,
                "at": date_format(until, "SHORT_DATETIME_FORMAT"),
            }
            level = "warn"
        return Item(
            label=f"{breach.reference} · {breach.title}",
            detail=detail,
            url=reverse("breaches:detail", args=[breach.reference]),
            level=level,
        )

    return [
        section(
            key="breaches",
            title=_("Open datalekken"),
            rows=open_breaches(user=user),
            item=clock_item,
            all_url=reverse("breaches:index"),
            all_label=_("Naar de datalekken"),
        )
    ]


# The people in the connected systems, as the apps that reach those systems declare them on their
# AppConfig (`notice_people_systems`, `notice_people`; the connectors app): never imported here.


def _declared(attribute: str) -> list:
    return [
        import_string(getattr(config, attribute))
        for config in apps.get_app_configs()
        if getattr(config, attribute, None)
    ]


def notice_systems() -> QuerySet:
    """The register's systems whose people can be listed for a notice (Art. 34)."""
    ids = [pk for system_ids in _declared("notice_people_systems") for pk in system_ids()]
    return System.objects.filter(pk__in=ids).order_by("name")


def people_in_systems(*, system_ids: Iterable[int]) -> Iterator[tuple[str, str]]:
    """(address, name) of everyone in the systems, streamed, as the systems hold them (the notice
    normalises and deduplicates). A system's failure raises a RuntimeError that says why."""
    system_ids = list(system_ids)
    for people_in in _declared("notice_people"):
        yield from people_in(system_ids=system_ids)
