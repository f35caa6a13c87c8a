"""The breach register at /desk/datalekken/: report, the open breaches with their clocks, a breach's
page (clock, assessment, filings, notice, timeline), the officer's actions, the AP notification as
PDF / JSON / text, the register with filters and its exports, and the yearly overview.

Every member of staff may report; the officer assesses and decides; the auditor reads; an agent sees
only what they reported (a breach of someone else's is a 404 to them)."""

import csv
import datetime as dt
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.formula_injection import escape_formula
from accounts.spreadsheets import CSV_ENCODING, csv_delimiter, sheet_finish
from breaches import ap_form, deadlines, selectors, services
from breaches.forms import (
    GUIDANCE,
    AssessmentForm,
    CloseForm,
    FileForm,
    FollowUpForm,
    NoteForm,
    NoticeForm,
    NotNeededForm,
    RegisterFilterForm,
    ReportForm,
)
from breaches.models import (
    ApFiling,
    Breach,
    BreachEvent,
    BreachStatus,
    Cause,
    Decision,
    FilingKind,
)
from consents.models import ConsentState, DataSubject
from requests_desk.decorators import form_errors

STAFF = ("breaches.report_breach", "breaches.view_breach")
PAGE_SIZE = 50


def staff_view(*permissions):
    """Logged in and holding one of `permissions` (else 403)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not any(request.user.has_perm(p) for p in permissions or STAFF):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _breach(request, reference) -> Breach:
    return get_object_or_404(selectors.visible_to(request.user), reference=reference)


def breach_action(permission):
    """A POST by the officer on one breach; a refusal by the service becomes an error message."""

    def decorate(view):
        @wraps(view)
        @staff_view(permission)
        @require_POST
        def wrapper(request, reference):
            breach = _breach(request, reference)
            try:
                view(request, breach)
            except ValidationError as refused:
                for message in refused.messages:
                    messages.error(request, message)
            return redirect("breaches:detail", reference=reference)

        return wrapper

    return decorate


def _clock(breach: Breach, now=None) -> dict:
    now = now or timezone.now()
    filing = next((f for f in breach.filings.all() if f.kind == FilingKind.INITIAL), None)
    left = deadlines.time_left(breach.aware_at, now)
    hours, seconds = divmod(int(abs(left.total_seconds())), 3600)
    return {
        "starts": timezone.localtime(breach.period_starts_at),
        "deadline": timezone.localtime(breach.notify_by),
        "left_hours": hours,
        "left_minutes": seconds // 60,
        "expired": left.total_seconds() < 0,
        "filed": filing,
        "late": filing is not None and deadlines.is_late(breach.aware_at, filing.filed_at),
        "stopped": filing is not None
        or (hasattr(breach, "assessment") and breach.assessment.decision == Decision.NO_RISK),
    }


@staff_view()
def index(request):
    """The open breaches, each with its clock."""
    breaches = list(selectors.open_breaches(user=request.user).prefetch_related("filings"))
    now = timezone.now()
    rows = [(b, _clock(b, now)) for b in breaches]
    return render(request, "breaches/index.html", {"rows": rows, "section": "open"})


@staff_view(services.REPORT)
def report(request):
    form = ReportForm(request.POST or None, initial={"aware_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_report(by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Datalek %(ref)s is gemeld; de privacy officer is op de hoogte gebracht.")
                % {"ref": breach.reference},
            )
            return redirect("breaches:detail", reference=breach.reference)
    return render(request, "breaches/report.html", {"form": form, "section": "report"})


@staff_view()
def detail(request, reference):
    breach = get_object_or_404(
        selectors.visible_to(request.user).prefetch_related(
            "filings__filed_by",
            "assessment__activities",
            "assessment__systems",
            "assessment__data_categories",
            "assessment__subject_categories",
        ),
        reference=reference,
    )
    notice = getattr(breach, "notice", None)
    lookup = breach.lookups.prefetch_related("systems").order_by("-started_at", "-pk").first()
    can_assess = request.user.has_perm(services.ASSESS)
    filings = list(breach.filings.all())
    withdrawn = any(f.kind == FilingKind.WITHDRAWAL for f in filings)
    initial = next((f for f in filings if f.kind == FilingKind.INITIAL), None)
    return render(
        request,
        "breaches/detail.html",
        {
            "b": breach,
            "a": breach.assessment,
            "clock": _clock(breach),
            "filings": filings,
            "initial": initial,
            "withdrawn": withdrawn,
            "notice": notice,
            "lookup": lookup,
            "events": BreachEvent.objects.filter(breach=breach).select_related("by"),
            "can_assess": can_assess and breach.is_open,
            "can_file": request.user.has_perm(services.FILE),
            "can_see_filing": request.user.has_perm("breaches.view_apfiling"),
            "file_form": FileForm(prefix="file", initial={"filed_at": timezone.localtime()}),
            "follow_up_form": FollowUpForm(
                prefix="follow", initial={"filed_at": timezone.localtime()}
            ),
            "close_form": CloseForm(),
            "note_form": NoteForm(),
            "section": "open",
        },
    )


@staff_view(services.ASSESS)
def assess(request, reference):
    breach = _breach(request, reference)
    a = breach.assessment
    initial = {
        "natures": a.natures,
        "activities": a.activities.all(),
        "systems": a.systems.all(),
        "data_categories": a.data_categories.all(),
        "subject_categories": a.subject_categories.all(),
        **{
            name: getattr(a, name)
            for name in (
                "people_min",
                "people_max",
                "records",
                "encrypted",
                "cross_border",
                "consequences",
                "measures_taken",
                "measures_planned",
                "decision",
                "reasoning",
            )
        },
    }
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(breach=breach, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("De beoordeling is vastgelegd."))
            return redirect("breaches:detail", reference=reference)
    return render(
        request,
        "breaches/assess.html",
        {
            "b": breach,
            "form": form,
            "clock": _clock(breach),
            "guidance": [(Decision(k).label, v) for k, v in GUIDANCE.items()],
            "section": "open",
        },
    )


@breach_action(services.FILE)
def file(request, breach):
    form = FileForm(request.POST, prefix="file")
    if not form.is_valid():
        return form_errors(request, form)
    services.ap_file(breach=breach, by=request.user, **form.cleaned_data)
    messages.success(request, _("De melding bij de AP is vastgelegd."))


@breach_action(services.FILE)
def follow_up(request, breach):
    form = FollowUpForm(request.POST, prefix="follow")
    if not form.is_valid():
        return form_errors(request, form)
    services.ap_follow_up(breach=breach, by=request.user, **form.cleaned_data)
    messages.success(request, _("De aanvulling is vastgelegd."))


@breach_action(services.FILE)
def withdraw(request, breach):
    form = FollowUpForm(request.POST, prefix="follow")
    if not form.is_valid():
        return form_errors(request, form)
    services.ap_withdraw(breach=breach, by=request.user, **form.cleaned_data)
    messages.success(request, _("De intrekking is vastgelegd."))


@breach_action(services.CLOSE)
def close(request, breach):
    form = CloseForm(request.POST)
    if form.is_valid():
        services.breach_close(breach=breach, note=form.cleaned_data["note"], by=request.user)
        messages.success(request, _("Het datalek is afgesloten."))


@breach_action(services.ASSESS)
def note(request, breach):
    form = NoteForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.breach_note(breach=breach, text=form.cleaned_data["text"], by=request.user)


@breach_action(services.NOTIFY)
def not_needed(request, breach):
    form = NotNeededForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.notice_not_needed(breach=breach, by=request.user, **form.cleaned_data)
    messages.success(request, _("Vastgelegd waarom de betrokkenen niet worden geïnformeerd."))


def _ledger_people(purpose):
    """The ledger's subjects (not erased, with an address), streamed in chunks: a fixed number
    of queries per chunk, never one per person."""
    subjects = DataSubject.objects.filter(erased_at__isnull=True, email__isnull=False)
    if purpose is not None:
        subjects = subjects.filter(
            pk__in=ConsentState.objects.filter(purpose=purpose).values("subject_id")
        )
    return subjects.order_by("pk").values_list("email", "name").iterator(chunk_size=5000)


@staff_view(services.NOTIFY)
def notice(request, reference):
    breach = _breach(request, reference)
    subject, body = services.notice_draft(breach=breach)
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "source": "ledger",
            "subject": subject,
            "body": body,
            # The breached systems of the assessment that can list their people.
            "systems": selectors.notice_systems().filter(
                pk__in=breach.assessment.systems.values("pk")
            ),
        },
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data["source"] == "systems":
        data = form.cleaned_data
        try:
            services.notice_lookup_start(
                breach=breach,
                subject=data["subject"],
                body=data["body"],
                systems=data["systems"],
                by=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _(
                    "De betrokkenen worden opgezocht in de gekoppelde systemen; het bericht wordt "
                    "daarna klaargezet en verzonden."
                ),
            )
            return redirect("breaches:detail", reference=reference)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["source"] == "upload":
            people, source = data["people"], _("geüploade lijst")
        else:
            people = _ledger_people(data["purpose"])
            source = _("toestemmingsregister") + (
                f" · {data['purpose']}" if data["purpose"] else ""
            )
        try:
            sent = services.notice_send(
                breach=breach,
                subject=data["subject"],
                body=data["body"],
                people=people,
                source=source,
                by=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Het bericht aan %(n)s betrokkenen staat klaar en wordt verzonden.")
                % {"n": sent.recipients},
            )
            return redirect("breaches:detail", reference=reference)
    return render(
        request,
        "breaches/notice.html",
        {"b": breach, "form": form, "not_needed_form": NotNeededForm(), "section": "open"},
    )


def _filing_fields(request, breach):
    """The AP form's fields: as filed when filed, else as they would be filed now."""
    if not request.user.has_perm("breaches.view_apfiling"):
        raise PermissionDenied
    filing = breach.filings.filter(kind=FilingKind.INITIAL).first()
    if filing is not None:
        return filing.content
    return ap_form.form_fields(breach, filed_at=timezone.now())


@staff_view("breaches.view_apfiling")
def ap_pdf(request, reference):
    from weasyprint import HTML  # a heavy import, only where a PDF is made

    breach = _breach(request, reference)
    html = render_to_string(
        "breaches/ap_notification_pdf.html",
        {"b": breach, "fields": _filing_fields(request, breach), "printed": timezone.localtime()},
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{breach.reference}-melding-AP.pdf"'
    return response


@staff_view("breaches.view_apfiling")
def ap_json(request, reference):
    breach = _breach(request, reference)
    fields = _filing_fields(request, breach)
    response = JsonResponse(
        {"reference": breach.reference, "fields": fields},
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{breach.reference}-melding-AP.json"'
    return response


@staff_view("breaches.view_apfiling")
def ap_text(request, reference):
    breach = _breach(request, reference)
    return HttpResponse(
        ap_form.as_text(_filing_fields(request, breach)), content_type="text/plain; charset=utf-8"
    )


@staff_view()
def register(request):
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    breaches = selectors.register(user=request.user, **{k: v for k, v in filters.items() if v})
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(breaches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "breaches/register.html",
        {
            "form": form,
            "page": page,
            "breaches": page.object_list,
            "section": "register",
            "query": query.urlencode(),
            "extra": "&" + query.urlencode() if query else "",
        },
    )


EXPORT_COLUMNS = (
    ("reference", _("kenmerk")),
    ("title", _("korte omschrijving")),
    ("aware_at", _("bekend geworden op")),
    ("deadline", _("uiterste meldmoment")),
    ("cause", _("oorzaak")),
    ("decision", _("besluit")),
    ("people_max", _("aantal betrokkenen (max)")),
    ("filed_at", _("gemeld bij de AP")),
    ("on_time", _("binnen 72 uur")),
    ("status", _("status")),
)


def _export_rows(breaches):
    filed = dict(
        ApFiling.objects.filter(kind=FilingKind.INITIAL, breach__in=breaches).values_list(
            "breach_id", "filed_at"
        )
    )
    for b in breaches:
        filed_at = filed.get(b.pk)
        yield [
            b.reference,
            b.title,
            _local(b.aware_at),
            _local(b.notify_by),
            b.get_cause_display(),
            b.assessment.get_decision_display(),
            b.assessment.people_max,
            _local(filed_at) if filed_at else "",
            (
                ""
                if filed_at is None
                else (_("ja") if not deadlines.is_late(b.aware_at, filed_at) else _("nee"))
            ),
            b.get_status_display(),
        ]


def _local(moment):
    """A moment as the office's wall-clock time without a zone: a date cell in Excel."""
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


@staff_view("breaches.view_breach")
def export(request, fmt):
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    breaches = selectors.register(user=request.user, **{k: v for k, v in filters.items() if v})
    header = [str(label) for _key, label in EXPORT_COLUMNS]
    rows = [
        [escape_formula(v) if isinstance(v, str) else v for v in row]
        for row in _export_rows(breaches)
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=csv_delimiter())
        writer.writerow(header)
        writer.writerows(
            [
                [v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else v for v in row]
                for row in rows
            ]
        )
        response = HttpResponse(
            buffer.getvalue().encode(CSV_ENCODING), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="datalekken.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook()  # not write-only: the finished sheet sets widths and a filter afterwards
    sheet = book.active
    sheet.title = _("Datalekken")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet_finish(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="datalekken.xlsx"'
    return response


@staff_view("breaches.view_breach")
def yearly(request):
    try:
        year = int(request.GET.get("jaar", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    numbers = selectors.yearly(year=year)
    return render(
        request,
        "breaches/yearly.html",
        {
            "year": year,
            "n": numbers,
            "by_cause": [(Cause(k).label, v) for k, v in numbers["by_cause"].items()],
            "by_decision": [
                (Decision(k).label if k else _("nog geen besluit"), v)
                for k, v in numbers["by_decision"].items()
            ],
            "section": "yearly",
        },
    )


def dashboard_panel(request) -> str:
    """The desk's dashboard shows the open breaches to whoever may see them (requests_desk reads
    this by its dotted path on the AppConfig)."""
    if not request.user.has_perm("breaches.view_breach"):
        return ""
    breaches = list(
        selectors.open_breaches(user=request.user)
        .filter(status__in=[BreachStatus.REPORTED, BreachStatus.ASSESSED])
        .prefetch_related("filings")[:20]
    )
    now = timezone.now()
    return render_to_string(
        "breaches/_dashboard_panel.html",
        {"rows": [(b, _clock(b, now)) for b in breaches]},
        request=request,
    )
