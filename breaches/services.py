"""The operations of the breach register. Every write goes through one function here, in one
transaction: lock, check, change, the timeline line, the mail through the outbox (sent on commit).

Every breach is documented (Art. 33(5)); one that is a risk is notified to the AP
within 72 hours of awareness, later only with the reasons for the delay (Art. 33(1)), in phases if
need be (Art. 33(4)); when the risk is high the people are told (Art. 34(1)-(2)) unless Art. 34(3)
applies.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import PRIVACY_OFFICER
from breaches import ap_form, deadlines, mail, selectors
from breaches.models import (
    ApFiling,
    Assessment,
    Breach,
    BreachEvent,
    BreachEventKind,
    BreachStatus,
    Decision,
    FilingKind,
    HowFound,
    LookupStatus,
    NoticeGround,
    NoticeLookup,
    PeopleNotice,
    ReferenceCounter,
)
from consents.addresses import normalise_email
from privacy_register.models import Controller

ASSESS = "breaches.change_assessment"
FILE = "breaches.add_apfiling"
NOTIFY = "breaches.add_peoplenotice"
CLOSE = "breaches.change_breach"
REPORT = "breaches.report_breach"
# The Celery task that looks the people up in the systems, named rather than imported (the tasks
# import this module).
LOOKUP_TASK = "breaches.tasks.notice_lookup"
NAME_PLACEHOLDER = "{naam}"
log = logging.getLogger(__name__)


def _require(user, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise ValidationError(_("Alleen de privacy officer mag dit doen."), code="not_permitted")


def _lock(breach: Breach) -> Breach:
    """Lock the breach's row until the transaction ends and refresh the caller's instance."""
    Breach.objects.select_for_update().filter(pk=breach.pk).values_list("pk").get()
    breach.refresh_from_db()
    return breach


def _event(breach, kind, by, text="") -> BreachEvent:
    return BreachEvent.objects.create(breach=breach, kind=kind, by=by, text=text)


def _require_open(breach: Breach) -> None:
    if not breach.is_open:
        raise ValidationError(_("Dit datalek is al afgesloten."), code="closed")


def _next_reference(year: int) -> str:
    """DL-YYYY-NNNN, gap-free per year (the year's counter row is locked until commit)."""
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
    except IntegrityError:  # another report created the year's row at the same moment
        pass
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return f"DL-{year}-{counter.last:04d}"


def officers():
    return (
        get_user_model()
        .objects.filter(groups__name=PRIVACY_OFFICER, is_active=True)
        .exclude(email="")
    )


def _link(breach: Breach) -> str:
    return settings.SITE_URL + reverse("breaches:detail", args=[breach.reference])


@transaction.atomic
def breach_report(
    *,
    title: str,
    what_happened: str,
    aware_at,
    how_found: str,
    cause: str,
    occurred_at=None,
    processor=None,
    processor_reported_at=None,
    by,
) -> Breach:
    """Record a breach reported by any member of staff and tell the privacy officers at once (a
    mail through the outbox; the desk's dashboard lists it). Awareness is kept to the minute; it
    may not lie in the future, and the breach cannot have happened after we became aware of it.
    A processor's report (Art. 33(2)) names the processor from the register."""
    _require(by, REPORT)
    now = timezone.now()
    aware_at = aware_at.replace(second=0, microsecond=0)
    if aware_at > now:
        raise ValidationError(
            _("Het moment van bekend worden ligt in de toekomst."), code="aware_in_future"
        )
    if occurred_at and occurred_at > aware_at + dt.timedelta(minutes=1):
        raise ValidationError(
            _("Het lek kan niet later zijn gebeurd dan het bekend werd."), code="occurred_after"
        )
    if how_found == HowFound.PROCESSOR and processor is None:
        raise ValidationError(
            _("Noem de verwerker die het lek meldde (art. 33(2))."), code="processor_missing"
        )
    breach = Breach.objects.create(
        reference=_next_reference(timezone.localtime(now).year),
        title=title.strip(),
        what_happened=what_happened.strip(),
        occurred_at=occurred_at,
        aware_at=aware_at,
        how_found=how_found,
        cause=cause,
        processor=processor,
        processor_reported_at=processor_reported_at,
        reported_by=by,
        reported_at=now,
    )
    Assessment.objects.create(breach=breach)
    _event(breach, BreachEventKind.REPORTED, by, breach.title)
    deadline = timezone.localtime(breach.notify_by)
    for officer in officers():
        mail.queue_internal(
            to=officer.email,
            subject=_("Datalek gemeld: %(ref)s — %(title)s")
            % {
                "ref": breach.reference,
                "title": breach.title,
            },
            body=_(
                "Er is een datalek gemeld door %(by)s.\n\n%(what)s\n\n"
                "Bekend geworden op: %(aware)s\nUiterste meldmoment bij de AP (72 uur): "
                "%(deadline)s\n\nBeoordeel het lek: %(link)s\n"
            )
            % {
                "by": by.get_full_name() or by.username,
                "what": breach.what_happened,
                "aware": timezone.localtime(breach.aware_at).strftime("%d-%m-%Y %H:%M"),
                "deadline": deadline.strftime("%d-%m-%Y %H:%M"),
                "link": _link(breach),
            },
        )
    return breach


@transaction.atomic
def assessment_update(
    *,
    breach: Breach,
    activities: Iterable = (),
    systems: Iterable = (),
    data_categories: Iterable = (),
    subject_categories: Iterable = (),
    decision: str = "",
    by,
    **fields,
) -> Assessment:
    """The officer's assessment: what, whom, how many, the consequences and measures, and the
    decision with its reasoning. A decision needs reasoning; once the AP has been notified the
    decision can no longer become "no risk" (withdraw the notification first)."""
    _require(by, ASSESS)
    _lock(breach)
    _require_open(breach)
    assessment = breach.assessment
    if decision and not fields.get("reasoning", "").strip():
        raise ValidationError(
            _("Onderbouw het besluit: waarom is dit (geen) risico?"), code="reasoning_missing"
        )
    filed = breach.filings.filter(kind=FilingKind.INITIAL).exists()
    withdrawn = breach.filings.filter(kind=FilingKind.WITHDRAWAL).exists()
    if decision == Decision.NO_RISK and filed and not withdrawn:
        raise ValidationError(
            _("Het lek is al gemeld bij de AP: trek de melding in voordat u 'geen risico' kiest."),
            code="filed",
        )
    if fields.get("people_max", 0) < fields.get("people_min", 0):
        raise ValidationError(
            _("Het maximum aantal betrokkenen ligt onder het minimum."), code="people_range"
        )
    previous = assessment.decision
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.decision = decision
    if decision and decision != previous:
        assessment.decided_by, assessment.decided_at = by, timezone.now()
    assessment.save()
    assessment.activities.set(activities)
    assessment.systems.set(systems)
    assessment.data_categories.set(data_categories)
    assessment.subject_categories.set(subject_categories)
    if decision and breach.status == BreachStatus.REPORTED:
        breach.status = BreachStatus.ASSESSED
        breach.save(update_fields=["status"])
    if decision and decision != previous:
        _event(breach, BreachEventKind.DECIDED, by, Decision(decision).label)
    else:
        _event(breach, BreachEventKind.ASSESSED, by)
    return assessment


def _filing(breach, kind, by, filed_at, **fields) -> ApFiling:
    if filed_at > timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError(_("Het tijdstip van indienen ligt in de toekomst."), code="future")
    content = ap_form.form_fields(
        breach,
        kind=kind,
        filed_at=filed_at,
        late_reasons=fields.get("late_reasons", ""),
        ap_reference=fields.get("ap_reference", ""),
    )
    return ApFiling.objects.create(
        breach=breach, kind=kind, filed_at=filed_at, filed_by=by, content=content, **fields
    )


def _initial(breach):
    return breach.filings.filter(kind=FilingKind.INITIAL).first()


@transaction.atomic
def ap_file(*, breach: Breach, filed_at, ap_reference: str, late_reasons: str = "", by) -> ApFiling:
    """Record the notification filed with the AP: its time and the AP's reference, with the form's
    fields as filed. Only for a breach decided to be a risk; after 72 hours only with the reasons
    for the delay (Art. 33(1)); once per breach (later information is a follow-up)."""
    _require(by, FILE)
    _lock(breach)
    _require_open(breach)
    if not breach.assessment.must_notify_ap:
        raise ValidationError(
            _("Meld pas bij de AP als het besluit 'risico' of 'hoog risico' is."), code="no_risk"
        )
    if _initial(breach):
        raise ValidationError(
            _("Dit lek is al gemeld: leg nieuwe informatie vast als aanvulling."), code="filed"
        )
    if not ap_reference.strip():
        raise ValidationError(_("Vul het meldnummer van de AP in."), code="reference_missing")
    if deadlines.is_late(breach.aware_at, filed_at) and not late_reasons.strip():
        raise ValidationError(
            _(
                "De melding is later dan 72 uur na het bekend worden: geef de redenen voor de "
                "vertraging (art. 33(1) AVG)."
            ),
            code="late_reasons_missing",
        )
    filing = _filing(
        breach,
        FilingKind.INITIAL,
        by,
        filed_at,
        ap_reference=ap_reference.strip(),
        late_reasons=late_reasons.strip(),
    )
    late = deadlines.is_late(breach.aware_at, filed_at)
    _event(
        breach,
        BreachEventKind.FILED,
        by,
        (_("Na de 72 uur gemeld") if late else _("Binnen 72 uur gemeld"))
        + f" · {filing.ap_reference}",
    )
    return filing


@transaction.atomic
def ap_follow_up(*, breach: Breach, filed_at, text: str, by) -> ApFiling:
    """A later phase of the notification (Art. 33(4)): new information, dated."""
    _require(by, FILE)
    _lock(breach)
    initial = _initial(breach)
    if initial is None:
        raise ValidationError(_("Er is nog geen melding om aan te vullen."), code="not_filed")
    if breach.filings.filter(kind=FilingKind.WITHDRAWAL).exists():
        raise ValidationError(_("De melding is ingetrokken."), code="withdrawn")
    if not text.strip():
        raise ValidationError(_("Beschrijf wat u aanvult."), code="text_missing")
    if filed_at < initial.filed_at:
        raise ValidationError(
            _("Een aanvulling kan niet vóór de melding zijn ingediend."), code="before_initial"
        )
    filing = _filing(
        breach,
        FilingKind.FOLLOW_UP,
        by,
        filed_at,
        ap_reference=initial.ap_reference,
        text=text.strip(),
    )
    _event(breach, BreachEventKind.FOLLOW_UP, by, text.strip())
    return filing


@transaction.atomic
def ap_withdraw(*, breach: Breach, filed_at, text: str, by) -> ApFiling:
    """Withdraw the notification (e.g. it turned out no personal data was involved), with the
    reason, dated; once."""
    _require(by, FILE)
    _lock(breach)
    initial = _initial(breach)
    if initial is None:
        raise ValidationError(_("Er is nog geen melding om in te trekken."), code="not_filed")
    if breach.filings.filter(kind=FilingKind.WITHDRAWAL).exists():
        raise ValidationError(_("De melding is al ingetrokken."), code="withdrawn")
    if not text.strip():
        raise ValidationError(_("Geef de reden voor de intrekking."), code="text_missing")
    filing = _filing(
        breach,
        FilingKind.WITHDRAWAL,
        by,
        filed_at,
        ap_reference=initial.ap_reference,
        text=text.strip(),
    )
    _event(breach, BreachEventKind.WITHDRAWN, by, text.strip())
    return filing


def notice_draft(*, breach: Breach) -> tuple[str, str]:
    """The notice to the people (Art. 34(2)) from the Dutch template, filled from the assessment:
    what happened, the DPO's contact, the likely consequences, the measures, what to do."""
    from django.template.loader import render_to_string

    controller = Controller.objects.first()
    subject = f"Belangrijk: een datalek bij {controller.name if controller else 'ons'}"
    body = render_to_string(
        "breaches/notice.txt",
        {"breach": breach, "assessment": breach.assessment, "controller": controller},
    )
    return subject, body


def _dpo_contact() -> str:
    controller = Controller.objects.first()
    return (controller.dpo_email or controller.email) if controller else ""


def _notice_check(breach: Breach, subject: str, body: str) -> None:
    """What a notice needs before anyone is told (the breach row locked by the caller)."""
    _require_open(breach)
    if not breach.assessment.decision:
        raise ValidationError(_("Neem eerst een besluit over het risico."), code="undecided")
    if PeopleNotice.objects.filter(breach=breach).exists():
        raise ValidationError(
            _("Voor dit lek is het informeren van de betrokkenen al vastgelegd."), code="done"
        )
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Vul het onderwerp en de tekst in."), code="text_missing")
    contact = _dpo_contact()
    if contact and contact not in body:
        raise ValidationError(
            _(
                "De tekst moet de contactgegevens van de functionaris gegevensbescherming noemen "
                "(%(contact)s, art. 34(2) AVG)."
            )
            % {"contact": contact},
            code="dpo_missing",
        )


@transaction.atomic
def notice_send(
    *, breach: Breach, subject: str, body: str, people: Iterable[tuple[str, str]], source: str, by
) -> PeopleNotice:
    """Tell the people affected (Art. 34): one message each through the outbox, queued in batches
    of a few statements (never one per person) and sent by the workers. The text must name the
    DPO's contact (Art. 34(2)); `{naam}` becomes each person's name. Once per breach. Addresses
    are normalised as the ledger does (consents.addresses) and each is told once."""
    _require(by, NOTIFY)
    _lock(breach)
    _notice_check(breach, subject, body)
    notice = PeopleNotice.objects.create(
        breach=breach,
        subject=subject.strip(),
        body=body,
        source=source,
        by=by,
        queued_at=timezone.now(),
    )
    seen: set[str] = set()
    personal = NAME_PLACEHOLDER in body

    def messages():
        for email, name in people:
            # One spelling per address, as the ledger keys its subjects: the same person from the
            # ledger, a list and a system (`X@School.example`, `x@school.example`) is told once.
            email = normalise_email(email)
            if "@" not in email or email in seen:
                continue
            seen.add(email)
            yield email, (body.replace(NAME_PLACEHOLDER, name or "") if personal else body)

    ids = mail.queue_bulk(notice_id=notice.pk, subject=notice.subject, messages=messages())
    if not ids:
        raise ValidationError(_("Er zijn geen ontvangers gekozen."), code="no_recipients")
    notice.recipients = len(ids)
    notice.save(update_fields=["recipients"])
    _event(
        breach,
        BreachEventKind.NOTICE,
        by,
        _("%(n)s personen (%(source)s)") % {"n": len(ids), "source": source},
    )
    return notice


@transaction.atomic
def notice_lookup_start(
    *, breach: Breach, subject: str, body: str, systems: Iterable, by
) -> NoticeLookup:
    """Tell everyone whose data is in the breached systems (Art. 34): record the officer's choice
    of connected systems and the text, and hand the lookup to a worker once committed (a system
    of 50,000 people is listed there, a chunk at a time, not in the officer's request). The text
    is checked now as `notice_send` will check it; one lookup waits per breach at a time."""
    _require(by, NOTIFY)
    _lock(breach)
    _notice_check(breach, subject, body)
    systems = list(systems)
    if not systems:
        raise ValidationError(_("Kies ten minste één gekoppeld systeem."), code="no_systems")
    listable = set(selectors.notice_systems().values_list("pk", flat=True))
    if any(system.pk not in listable for system in systems):
        raise ValidationError(
            _("Alleen systemen met een automatische koppeling kunnen hun betrokkenen opsommen."),
            code="not_listable",
        )
    if breach.lookups.filter(status=LookupStatus.WAITING).exists():
        raise ValidationError(
            _("De betrokkenen worden al opgezocht in de systemen."), code="lookup_waiting"
        )
    lookup = NoticeLookup.objects.create(breach=breach, subject=subject.strip(), body=body, by=by)
    lookup.systems.set(systems)
    _event(
        breach,
        BreachEventKind.NOTICE_LOOKUP,
        by,
        ", ".join(sorted(system.name for system in systems)),
    )
    transaction.on_commit(lambda: _lookup_soon(lookup.pk))
    return lookup


def _lookup_soon(lookup_id: int) -> None:
    """Hand the lookup to a worker; with no broker, carry it out here (the choice is committed,
    and the people should not wait for a broker)."""
    try:
        current_app.send_task(LOOKUP_TASK, args=[lookup_id])
    except Exception:  # noqa: BLE001 — no broker
        log.warning("broker unreachable; looking up notice %s in this process", lookup_id)
        notice_lookup_run(lookup_id=lookup_id)


def notice_lookup_run(*, lookup_id: int) -> NoticeLookup:
    """Look the people up in the lookup's systems and queue the notice to them (`notice_send`:
    deduplicated by the ledger's address normalisation, in batches), in one transaction with the
    lookup marked done. Idempotent: the lookup's row is locked, and only a waiting one runs. A
    system that fails midway, or a refusal, rolls the notice back and marks the lookup failed
    with the reason, on the breach's timeline too."""
    try:
        with transaction.atomic():
            lookup = (
                NoticeLookup.objects.select_for_update(of=("self",))
                .select_related("breach", "by")
                .get(pk=lookup_id)
            )
            if lookup.status != LookupStatus.WAITING:
                return lookup
            systems = list(lookup.systems.order_by("name"))
            source = _("gekoppelde systemen: %(names)s") % {
                "names": ", ".join(system.name for system in systems)
            }
            notice = notice_send(
                breach=lookup.breach,
                subject=lookup.subject,
                body=lookup.body,
                people=selectors.people_in_systems(system_ids=[s.pk for s in systems]),
                source=source[:200],
                by=lookup.by,
            )
            lookup.status, lookup.recipients = LookupStatus.DONE, notice.recipients
            lookup.finished_at = timezone.now()
            lookup.save(update_fields=["status", "recipients", "finished_at"])
            return lookup
    except ValidationError as refused:
        reason = " ".join(refused.messages)
    except RuntimeError as error:  # a system failed (the connectors' ConnectorFailed)
        reason = str(error)
    return _lookup_fail(lookup_id=lookup_id, reason=reason)


@transaction.atomic
def _lookup_fail(*, lookup_id: int, reason: str) -> NoticeLookup:
    lookup = (
        NoticeLookup.objects.select_for_update(of=("self",))
        .select_related("breach")
        .get(pk=lookup_id)
    )
    if lookup.status != LookupStatus.WAITING:
        return lookup
    lookup.status, lookup.error, lookup.finished_at = LookupStatus.FAILED, reason, timezone.now()
    lookup.save(update_fields=["status", "error", "finished_at"])
    _event(lookup.breach, BreachEventKind.NOTICE_LOOKUP_FAILED, None, reason)
    return lookup


@transaction.atomic
def notice_not_needed(*, breach: Breach, ground: str, reason: str, by) -> PeopleNotice:
    """Record why the people need not be told (Art. 34(3)), with the explanation."""
    _require(by, NOTIFY)
    _lock(breach)
    _require_open(breach)
    if ground not in NoticeGround.values:
        raise ValidationError(_("Kies een grond uit art. 34(3)."), code="ground_missing")
    if not reason.strip():
        raise ValidationError(_("Licht de grond toe."), code="reason_missing")
    if PeopleNotice.objects.filter(breach=breach).exists():
        raise ValidationError(
            _("Voor dit lek is het informeren van de betrokkenen al vastgelegd."), code="done"
        )
    notice = PeopleNotice.objects.create(
        breach=breach, not_needed=ground, not_needed_reason=reason.strip(), by=by
    )
    _event(breach, BreachEventKind.NOTICE_NOT_NEEDED, by, NoticeGround(ground).label)
    return notice


@transaction.atomic
def breach_note(*, breach: Breach, text: str, by) -> BreachEvent:
    _require(by, ASSESS)
    if not text.strip():
        raise ValidationError(_("Een lege notitie is niet vastgelegd."), code="empty")
    return _event(breach, BreachEventKind.NOTE, by, text.strip())


@transaction.atomic
def breach_close(*, breach: Breach, note: str, by) -> Breach:
    """Close the file: only once decided, notified to the AP when the decision requires it (or
    the notification withdrawn), and the people told or the reason recorded when the risk is
    high."""
    _require(by, CLOSE)
    _lock(breach)
    _require_open(breach)
    assessment = breach.assessment
    if not assessment.decision:
        raise ValidationError(_("Neem eerst een besluit over het risico."), code="undecided")
    if assessment.must_notify_ap and not _initial(breach):
        raise ValidationError(_("Het lek moet eerst bij de AP worden gemeld."), code="not_filed")
    if assessment.must_tell_people and not PeopleNotice.objects.filter(breach=breach).exists():
        raise ValidationError(
            _("Informeer eerst de betrokkenen, of leg vast waarom dat niet nodig is."),
            code="people_not_told",
        )
    breach.status, breach.closed_at, breach.closing_note = (
        BreachStatus.CLOSED,
        timezone.now(),
        note.strip(),
    )
    breach.save(update_fields=["status", "closed_at", "closing_note"])
    _event(breach, BreachEventKind.CLOSED, by, note.strip())
    return breach
