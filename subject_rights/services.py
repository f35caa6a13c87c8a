"""The rights carried out across the apps, on a desk request. Each function checks the rules,
runs in a transaction, walks the registry of sources (`subject_rights.sources`), writes the
request's timeline and queues the letter the change causes.

Art. 19 GDPR: the recipients of the register's activities that hold the person's data are told of
a rectification, erasure or restriction; each becomes a task on the request's checklist.
"""

import datetime as dt
import hashlib
import logging
import time

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from consents.services import subject_lift_restriction, subject_restrict
from requests_desk import workflow
from requests_desk.deadlines import working_days_after
from requests_desk.models import (
    DataSubjectRequest,
    EventKind,
    LetterKind,
    RequestKind,
    RequestTask,
)
from requests_desk.services import (
    answer_waiting_for,
    letter_queue,
    own_tasks_done,
    per_system_text,
    request_lock,
    require_whole_answer,
    timeline_add,
)
from requests_desk.services.answer import where
from subject_rights.models import AccessPackage, PackageDownload, RestrictionLift
from subject_rights.package import OWN_TEXT, PENDING_TEXT, activities_concerning, build_zip
from subject_rights.sources import Kept, Person, erasure_letter_lines, sources
from subject_rights.tokens import package_url

log = logging.getLogger(__name__)
ERASE = "subject_rights.erase_subject"
LIFT = "subject_rights.lift_restriction"
# The Celery task that builds a package (subject_rights.tasks.build_access_package).
BUILD_TASK = "subject_rights.tasks.build_access_package"
BUILD_SOON = "subject_rights.services._build_soon"
# What the last connected system's erasure run calls, and the task it hands the rest to.
ERASE_FINISH = "subject_rights.services._erasure_finish_soon"
FINISH_TASK = "subject_rights.tasks.finish_erasure"
PACKAGE_KINDS = (RequestKind.ACCESS, RequestKind.PORTABILITY)
RECTIFIABLE = ("name", "phone", "organisation", "function", "email")


def _check(request, *, kinds, by, permission=workflow.WORK, message=None) -> None:
    """The request is open, of the right kind, the requester's identity checked (Art. 12(6)),
    and `by` (None: the system) holds the permission."""
    if by is not None and not by.has_perm(permission):
        raise ValidationError(message or _("U mag dit niet doen."), code="not_permitted")
    if not request.is_open:
        raise ValidationError(_("Dit verzoek is al afgesloten."), code="closed")
    if request.kind not in kinds:
        raise ValidationError(_("Dit kan niet bij dit soort verzoek."), code="kind")
    if not request.identity_verified:
        raise ValidationError(
            _("Controleer eerst de identiteit van de verzoeker (art. 12 lid 6 AVG)."),
            code="identity",
        )


def notify_recipients(*, request, activities, verb: str) -> list[RequestTask]:
    """One task per recipient (category or processor) of each activity (Art. 19 GDPR); a task
    the request already has is not added twice."""
    existing = set(request.tasks.values_list("title", flat=True))
    tasks = []
    for activity in activities:
        names = [c.name for c in activity.recipient_categories.all()]
        names += [p.name for p in activity.processors.all()]
        for name in names:
            title = _("Ontvanger informeren over %(verb)s (art. 19 AVG): %(name)s — %(activity)s")
            title %= {"verb": verb, "name": name, "activity": activity.name}
            if title[:300] not in existing:
                existing.add(title[:300])
                tasks.append(RequestTask(request=request, activity=activity, title=title[:300]))
    return RequestTask.objects.bulk_create(tasks)


# --- access and portability ---------------------------------------------------------------------


@transaction.atomic
def package_order(*, request: DataSubjectRequest, by) -> None:
    """Have the access package built by a worker, once the order is committed. Every system
    outside this application must have answered first (or the officer let it go earlier)."""
    request = request_lock(request)
    _check(request, kinds=PACKAGE_KINDS, by=by, permission="subject_rights.add_accesspackage")
    require_whole_answer(request)
    if not request.requester_email:
        raise ValidationError(
            _("De verzoeker heeft geen e-mailadres: de downloadlink kan niet worden verstuurd."),
            code="no_email",
        )
    timeline_add(request, EventKind.NOTE, by, _("Inzagepakket besteld."))
    transaction.on_commit(lambda: _build_soon(request.pk))


def _build_soon(request_id: int) -> None:
    """Hand the build to a worker; when the broker is unreachable, build it here and now. The task
    is named, not imported: tasks import services, never the reverse. (Also what a gathering
    source calls once its systems have answered: `BUILD_SOON`.)"""
    try:
        current_app.send_task(BUILD_TASK, args=[request_id])
    except Exception:  # noqa: BLE001 — no broker: the requester should not wait for one
        log.warning("broker unreachable; building the access package in the web process")
        package_build(request=DataSubjectRequest.objects.get(pk=request_id))


@transaction.atomic
def package_build(*, request: DataSubjectRequest, by=None) -> AccessPackage | None:
    """Build the ZIP from every source, store it, record its build time, size and hash, and mail
    the requester a signed link that expires and allows a limited number of downloads
    (Art. 15(3): the copy; Art. 20: machine-readable). While a source is still gathering the data
    of a connected system, nothing is built (None): that source builds it again once all is in.
    It holds the exports the systems outside this application gave, and the letter says per
    system what was done."""
    request = request_lock(request)
    _check(request, kinds=PACKAGE_KINDS, by=by, permission="subject_rights.add_accesspackage")
    person = Person.of_request(request)
    # One wait for every system: a connected one while its run is under way; any other (and a
    # connected one whose run failed, which became a task) until its task has its result.
    waiting = [
        label
        for source in sources()
        if source.gather
        for label in source.gather(person, request=request, then=BUILD_SOON)
    ]
    waiting += sorted({where(task) for task in answer_waiting_for(request)} - set(waiting))
    if waiting:
        timeline_add(request, EventKind.NOTE, by, _("Wacht op: %s") % ", ".join(waiting))
        return None
    own_tasks_done(request=request, by=by)
    started = time.perf_counter()
    content = build_zip(request=request, person=person)
    now = timezone.now()
    package = AccessPackage(
        request=request,
        built_at=now,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        expires_at=now + dt.timedelta(days=settings.ACCESS_PACKAGE_DAYS),
        max_downloads=settings.ACCESS_PACKAGE_MAX_DOWNLOADS,
    )
    package.file.save(f"{request.reference}-{package.sha256[:12]}.zip", ContentFile(content))
    package.build_seconds = time.perf_counter() - started
    package.save()
    timeline_add(
        request,
        EventKind.PACKAGE,
        by,
        _("%(size)s kB, %(seconds).2f s")
        % {"size": package.size_bytes // 1024 or 1, "seconds": package.build_seconds},
        package=package.pk,
    )
    with translation.override("nl"):
        expires = formats.date_format(timezone.localtime(package.expires_at), "j F Y")
    letter_queue(
        request=request,
        kind=LetterKind.ACCESS_PACKAGE,
        by=by,
        scrub_after_send=True,  # the link is the key to the data: it leaves no copy behind
        link=package_url(package),
        verloopt_op=expires,
        per_systeem=per_system_text(request=request, own_text=OWN_TEXT, pending_text=PENDING_TEXT),
    )
    return package


def packages_remove_expired(*, now=None) -> int:
    """Delete the files of the packages whose link has expired or is used up: the copy of a
    person's data is kept no longer than the link needs it (Art. 5(1)(e) GDPR). The rows stay,
    without the file, as the record that a package was provided."""
    now = now or timezone.now()
    done = AccessPackage.objects.exclude(file="").filter(
        Q(expires_at__lte=now) | Q(downloads__gte=F("max_downloads"))
    )
    removed = 0
    for package in done:
        with transaction.atomic():
            package.file.delete(save=False)
            AccessPackage.objects.filter(pk=package.pk).update(file="")
        removed += 1
    return removed


@transaction.atomic
def package_download(*, package_id: int, now=None) -> AccessPackage:
    """Count and log one download, or refuse it (expired, used up, erased)."""
    package = AccessPackage.objects.select_for_update().get(pk=package_id)
    refusal = package.refusal(now=now)
    if refusal:
        raise ValidationError(refusal, code="refused")
    AccessPackage.objects.filter(pk=package.pk).update(downloads=F("downloads") + 1)
    PackageDownload.objects.create(package=package, at=now or timezone.now())
    package.refresh_from_db()
    return package


# --- rectification ------------------------------------------------------------------------------


@transaction.atomic
def rectification_apply(*, request: DataSubjectRequest, changes: dict[str, str], by) -> dict:
    """Apply the corrections (Art. 16 GDPR) in every source, each with its own history, and make
    the Art. 19 notifications tasks. The timeline names the corrected fields, not their values."""
    request = request_lock(request)
    _check(request, kinds=(RequestKind.RECTIFICATION,), by=by)
    changes = {k: (v or "").strip() for k, v in changes.items() if k in RECTIFIABLE}
    changes = {k: v for k, v in changes.items() if v}
    if not changes:
        raise ValidationError(_("Vul ten minste één correctie in."), code="empty")
    person = Person.of_request(request)
    activities = list(activities_concerning(person))
    changed = {}
    for source in sources():
        fields = source.rectify(person, changes=changes, by=by, reason=request.reference)
        if fields:
            changed[source.key] = fields
    if not changed:
        raise ValidationError(_("Er was niets te corrigeren."), code="unchanged")
    fields = sorted({f for names in changed.values() for f in names})
    timeline_add(request, EventKind.RECTIFIED, by, ", ".join(fields), sources=changed)
    notify_recipients(request=request, activities=activities, verb=_("de correctie"))
    return changed


# --- erasure ------------------------------------------------------------------------------------


def _kept_text(kept: list[Kept]) -> str:
    return "\n".join(f"- {k.what}: {k.reason}" for k in kept) or "-"


@transaction.atomic
def erasure_carry_out(
    *, request: DataSubjectRequest, by, kept_what: str = "", kept_reason: str = ""
) -> list[Kept] | None:
    """Erase the person's data in every source, history rows included (Art. 17 GDPR). Only the
    privacy officer, and it cannot be undone. A connected system is erased by a Celery task of
    its own (`gather`); while one has not finished, the decision waits on the timeline and this
    returns None; the last system to finish calls `erasure_finish`, which erases our own tables
    and sends the letter. Without connected systems that happens here, at once."""
    request = request_lock(request)
    _check(
        request,
        kinds=(RequestKind.ERASURE,),
        by=by,
        permission=ERASE,
        message=_("Alleen de privacy officer mag gegevens wissen."),
    )
    if bool(kept_what.strip()) != bool(kept_reason.strip()):
        raise ValidationError(
            _("Geef bij wat bewaard blijft ook de reden (art. 17 lid 3 AVG)."), code="kept_reason"
        )
    person = Person.of_request(request)
    if not person.email and person.subject is None and not person.phone:
        raise ValidationError(
            _(
                "Bij dit verzoek hoort geen e-mailadres, telefoonnummer of betrokkene: er is "
                "niets te vinden."
            ),
            code="no_person",
        )
    if _erasure_decision(request) is not None:
        raise ValidationError(_("Tot wissen is al besloten."), code="already_decided")
    # The confirmation tells the whole answer: every system outside this application has erased
    # (or found nothing), or the officer let it go earlier with the date the rest follows.
    require_whole_answer(request)
    timeline_add(
        request,
        EventKind.NOTE,
        by,
        _("Besloten tot wissen (art. 17 AVG)."),
        erasure={"kept_what": kept_what.strip(), "kept_reason": kept_reason.strip()},
    )
    waiting = _erasure_waiting(request, person)
    if waiting:
        timeline_add(
            request,
            EventKind.NOTE,
            by,
            _("Wacht op: %(systems)s") % {"systems": ", ".join(waiting)},
        )
        return None
    return erasure_finish(request=request)


def _erasure_decision(request):
    return (
        request.events.filter(kind=EventKind.NOTE, data__has_key="erasure").order_by("-pk").first()
    )


def _erasure_waiting(request, person) -> list[str]:
    """The connected systems still erasing (or failed: a task for a person), each source's
    system runs started when they are missing; then the last of them calls `ERASE_FINISH`."""
    return [
        label
        for source in sources()
        if source.gather is not None
        for label in source.gather(person, request=request, then=ERASE_FINISH)
    ]


def _erasure_finish_soon(request_id: int) -> None:
    """What the last connected system's run calls: finish the erasure in a worker, or here when
    the broker is unreachable."""
    try:
        current_app.send_task(FINISH_TASK, args=[request_id])
    except Exception:  # noqa: BLE001 — no broker
        log.warning("broker unreachable; finishing the erasure in this process")
        erasure_finish(request=DataSubjectRequest.objects.get(pk=request_id))


@transaction.atomic
def erasure_finish(*, request: DataSubjectRequest) -> list[Kept] | None:
    """Once every connected system is done: erase our own sources, record what each kept, tell
    the recipients (Art. 19) and queue the confirmation, which lists every system (what each
    erased, nulled and kept, and the tasks done by hand). The request's row is locked and the
    erasure recorded once: asked again (a task delivered twice), it does nothing (None). The
    letter goes to the address read before our sources erased it; the outbox forgets it once
    sent. By e-mail, or by post for a requester without one (the "to post" queue)."""
    request = request_lock(request)
    decision = _erasure_decision(request)
    if decision is None or request.events.filter(kind=EventKind.ERASED).exists():
        return None
    person = Person.of_request(request)
    if _erasure_waiting(request, person):
        return None
    by = decision.by
    kept_what, kept_reason = (
        decision.data["erasure"]["kept_what"],
        decision.data["erasure"]["kept_reason"],
    )
    own_tasks_done(request=request, by=by)
    # Written now: the erasure blanks the timeline the officer's override is recorded on.
    per_system = per_system_text(
        request=request, own_text=ERASED_HERE, pending_text=ERASURE_PENDING
    )
    systems = erasure_letter_lines(request)
    activities = list(activities_concerning(person))
    needles = _needles(request, person)
    kept = [Kept(kept_what, kept_reason)] if kept_what else []
    for source in sources():
        kept += source.erase(person, by=by, reason=request.reference)
    admin_log_scrub(needles=needles)
    timeline_add(
        request,
        EventKind.ERASED,
        by,
        _kept_text(kept),
        kept=[{"what": str(k.what), "reason": str(k.reason)} for k in kept],
        sources=[s.key for s in sources()],
    )
    notify_recipients(request=request, activities=activities, verb=_("de verwijdering"))
    # `request` still holds the details read before the sources erased them (it is never saved
    # again).
    letter_queue(
        request=request,
        kind=LetterKind.ERASURE,
        by=by,
        scrub_after_send=True,
        bewaard=_kept_text(kept),
        systemen="\n".join(systems) or "-",
        per_systeem=per_system,
    )
    return kept


ERASED_HERE = "gewist in deze applicatie"
ERASURE_PENDING = "nog niet verwijderd; dat gebeurt uiterlijk %(day)s"


def _needles(request, person) -> list[str]:
    """The person's e-mail address, name and phone number, as the request and subject hold them."""
    subject = person.subject
    values = [person.email, request.requester_name, request.requester_phone, person.phone]
    if subject is not None:
        values += [subject.email or "", subject.name, subject.phone]
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 5})


def admin_log_scrub(*, needles: list[str]) -> int:
    """The admin's log (`django_admin_log`) keeps each changed object's text as it was — a
    subject's is its e-mail address. Blank that text wherever it names the person; the entry
    itself (who changed which row, when) stays."""
    from django.contrib.admin.models import LogEntry

    match = Q(pk__in=[])
    for needle in needles:
        match |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    return LogEntry.objects.filter(match).update(object_repr="(gewist)", change_message="")


# --- restriction --------------------------------------------------------------------------------


@transaction.atomic
def restriction_apply(*, request: DataSubjectRequest, by):
    """Restrict the processing (Art. 18 GDPR): no marketing purpose may contact the person any
    more; the recipients are told (Art. 19)."""
    request = request_lock(request)
    _check(request, kinds=(RequestKind.RESTRICTION,), by=by)
    if request.subject is None:
        raise ValidationError(_("Bij dit verzoek hoort geen betrokkene."), code="no_subject")
    subject_restrict(subject=request.subject, by=by, reason=request.reference)
    person = Person.of_request(request)
    systems = [
        name
        for source in sources()
        if source.restrict is not None
        for name in source.restrict(person, by=by, reason=request.reference)
    ]
    timeline_add(request, EventKind.RESTRICTED, by, ", ".join(systems), systems=systems)
    activities = activities_concerning(person)
    notify_recipients(request=request, activities=activities, verb=_("de beperking"))
    return request.subject


@transaction.atomic
def restriction_lift_announce(*, request: DataSubjectRequest, by, reason: str) -> RestrictionLift:
    """Announce that the restriction will be lifted (Art. 18(3) GDPR): only the privacy officer,
    with the reason. The person is told first: the letter (by e-mail, or into the "to post" queue)
    names the day, `DESK_RESTRICTION_NOTICE_DAYS` working days from today; the restriction holds
    until then, and `restrictions_lift_due` lifts it on that day."""
    if by is not None and not by.has_perm(LIFT):
        raise ValidationError(
            _("Alleen de privacy officer mag een beperking opheffen."), code="not_permitted"
        )
    request = request_lock(request)
    subject = request.subject
    if subject is None:
        raise ValidationError(_("Bij dit verzoek hoort geen betrokkene."), code="no_subject")
    if not reason.strip():
        raise ValidationError(_("Geef de reden van het opheffen."), code="reason")
    if not subject.is_restricted:
        raise ValidationError(_("De verwerking is niet beperkt."), code="not_restricted")
    if RestrictionLift.objects.filter(subject=subject, lifted_at__isnull=True).exists():
        raise ValidationError(
            _("Het opheffen van deze beperking is al aangekondigd."), code="already_announced"
        )
    lift_on = working_days_after(timezone.localdate(), settings.DESK_RESTRICTION_NOTICE_DAYS)
    lift = RestrictionLift.objects.create(
        request=request, subject=subject, reason=reason.strip(), announced_by=by, lift_on=lift_on
    )
    with translation.override("nl"):
        day = formats.date_format(lift_on, "j F Y")
    timeline_add(
        request,
        EventKind.NOTE,
        by,
        _("Opheffen van de beperking aangekondigd per %(day)s: %(reason)s")
        % {"day": day, "reason": reason.strip()},
        lift_on=lift_on.isoformat(),
    )
    letter_queue(
        request=request,
        kind=LetterKind.RESTRICTION_LIFTED,
        by=by,
        redenen=reason.strip(),
        opheffen_op=day,
    )
    return lift


def restrictions_lift_due(*, today: dt.date | None = None) -> int:
    """Lift the restrictions whose announced day has come (the job). Each in its own transaction,
    the announcement's row locked (a second worker skips it) and marked lifted: running twice, or
    on two workers at once, lifts each once."""
    today = today or timezone.localdate()
    due = list(
        RestrictionLift.objects.filter(lifted_at__isnull=True, lift_on__lte=today)
        .order_by("lift_on", "pk")
        .values_list("pk", flat=True)
    )
    lifted = 0
    for pk in due:
        with transaction.atomic():
            lift = (
                RestrictionLift.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, lifted_at__isnull=True)
                .select_related("request", "subject")
                .first()
            )
            if lift is None:
                continue
            if lift.subject.is_restricted:
                subject_lift_restriction(subject=lift.subject, by=None, reason=lift.reason)
            lift.lifted_at = timezone.now()
            lift.save(update_fields=["lifted_at"])
            timeline_add(lift.request, EventKind.UNRESTRICTED, None, lift.reason)
            lifted += 1
    return lifted
