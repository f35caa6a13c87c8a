"""The desk at /desk/: the queue, intake, a request's page with its actions, search and the
dashboard. Plain function views; every change is a POST that calls one service, and a refused
change comes back as a message on the request's page."""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from requests_desk import selectors, services, workflow
from requests_desk.decorators import desk_view, form_errors, request_action
from requests_desk.forms import (
    AnswerOverrideForm,
    CompleteForm,
    ExtendForm,
    IntakeForm,
    NoteForm,
    ObjectionDecisionForm,
    RejectForm,
    SearchForm,
    TaskResultForm,
    VerifyForm,
)
from requests_desk.models import (
    DECISION_LETTERS,
    HAND_LETTERS,
    DataSubjectRequest,
    InboundAttachment,
    InboundMessage,
    InboundStatus,
    LetterKind,
    OutboxMessage,
    PostalLetter,
    RequestEvent,
    RequestKind,
    RequestTask,
)
from requests_desk.services.answer import is_own_system, override_current

PAGE_SIZE = 50
WORK = workflow.WORK


@desk_view()
def queue(request):
    today = timezone.localdate()
    tab = request.GET.get("tab", "mine")
    if tab not in selectors.TABS:
        tab = "open"
    page = Paginator(selectors.queue(user=request.user, tab=tab, today=today), PAGE_SIZE)
    return render(
        request,
        "requests_desk/queue.html",
        {
            "tabs": selectors.TABS,
            "tab": tab,
            "counts": selectors.tab_counts(user=request.user, today=today),
            "page": page.get_page(request.GET.get("page")),
            "today": today,
        },
    )


@desk_view(WORK)
def intake(request):
    initial = {"received_at": timezone.localtime()}
    if "bericht" in request.GET:
        inbound = get_object_or_404(
            InboundMessage, pk=request.GET["bericht"], status=InboundStatus.OPEN
        )
        initial = IntakeForm.initial_from_mail(inbound)
    form = IntakeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        inbound = fields.pop("inbound")
        try:
            if inbound is None:
                desk_request = services.request_open(opened_by=request.user, **fields)
            else:
                desk_request = services.request_open_from_mail(
                    inbound=inbound, by=request.user, **fields
                )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Verzoek %(reference)s is aangemaakt.") % {"reference": desk_request.reference},
            )
            return redirect("desk:detail", reference=desk_request.reference)
    return render(request, "requests_desk/intake.html", {"form": form})


@desk_view()
def detail(request, reference):
    desk_request = get_object_or_404(
        DataSubjectRequest.objects.select_related("assignee", "identity_verified_by", "subject"),
        reference=reference,
    )
    tasks = list(
        RequestTask.objects.filter(request=desk_request).select_related(
            "activity", "system", "done_by"
        )
    )
    for task in tasks:
        task.own_system = is_own_system(task)
    events = RequestEvent.objects.filter(request=desk_request).select_related("by")
    attachments = InboundAttachment.objects.filter(request=desk_request)
    can_work = request.user.has_perm(WORK)
    actions = workflow.actions_for(desk_request, request.user) if can_work else []
    open_outside = [t for t in tasks if not t.is_done and not t.own_system]
    objection_activities = []
    if desk_request.kind == RequestKind.OBJECTION:
        # The register's legitimate interest and balancing, beside the officer's decision.
        objection_activities = list({t.activity_id: t.activity for t in tasks}.values())
    return render(
        request,
        "requests_desk/detail.html",
        {
            "r": desk_request,
            "tasks": tasks,
            "events": events,
            "attachments": attachments,
            "can_work": can_work,
            "plain_actions": [a for a in actions if a.action not in ("complete", "reject")],
            "can_complete": any(a.action == "complete" for a in actions),
            "can_reject": any(a.action == "reject" for a in actions),
            "can_extend": can_work
            and desk_request.is_open
            and not desk_request.extended_due_on
            and request.user.has_perm(services.EXTEND)
            and timezone.localdate() <= desk_request.due_on,
            "verify_form": VerifyForm(),
            "note_form": NoteForm(),
            "complete_form": CompleteForm(),
            "reject_form": RejectForm(),
            "extend_form": ExtendForm(),
            # Only the letters without a decision: those go with their decision's own action.
            "letter_kinds": [(kind, LetterKind(kind).label) for kind in HAND_LETTERS],
            "task_result_form": TaskResultForm(),
            "override": override_current(desk_request) if open_outside else None,
            "can_override": bool(open_outside)
            and desk_request.is_open
            and request.user.has_perm(services.OVERRIDE),
            "override_form": AnswerOverrideForm(),
            "objection_activities": objection_activities,
            "can_decide_objection": desk_request.kind == RequestKind.OBJECTION
            and desk_request.is_open
            and not desk_request.objection_decision
            and request.user.has_perm(services.DECIDE_OBJECTION),
            "objection_form": ObjectionDecisionForm(),
            "today": timezone.localdate(),
            **selectors.request_panels(request=desk_request, user=request.user),
        },
    )


@request_action
def act(request, desk_request):
    services.request_transition(
        request=desk_request, action=request.POST.get("action", ""), by=request.user
    )


@request_action
def verify(request, desk_request):
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.request_verify_identity(
        request=desk_request, method=form.cleaned_data["method"], by=request.user
    )
    messages.success(request, _("De identiteit is vastgelegd als gecontroleerd."))


@request_action
def assign(request, desk_request):
    assignee = request.user if request.POST.get("to") == "me" else None
    services.request_assign(request=desk_request, assignee=assignee, by=request.user)


@request_action
def note(request, desk_request):
    form = NoteForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.request_note(request=desk_request, text=form.cleaned_data["text"], by=request.user)


@request_action
def task_toggle(request, desk_request, task_id):
    task = get_object_or_404(RequestTask, pk=task_id, request=desk_request)
    if task.is_done:
        services.task_reopen(task=task, by=request.user)
    else:
        services.task_complete(task=task, by=request.user)


@request_action
def tasks_tick(request, desk_request):
    """Tick off the tasks whose boxes are checked, in one action."""
    ids = [int(value) for value in request.POST.getlist("tasks") if value.isdigit()]
    done = services.tasks_complete(request=desk_request, task_ids=ids, by=request.user)
    messages.success(
        request,
        ngettext("%(count)s taak afgevinkt.", "%(count)s taken afgevinkt.", len(done))
        % {"count": len(done)},
    )


@request_action
def task_result(request, desk_request, task_id):
    task = get_object_or_404(RequestTask, pk=task_id, request=desk_request)
    form = TaskResultForm(request.POST, request.FILES)
    if not form.is_valid():
        return form_errors(request, form)
    upload = form.cleaned_data["export"]
    if upload and upload.size > settings.DESK_TASK_UPLOAD_MAX_MEGABYTES * 1024 * 1024:
        # Refused before it is read into memory; the service checks the bytes themselves.
        raise ValidationError(
            _("Het bestand is groter dan %(limit)s MB.")
            % {"limit": settings.DESK_TASK_UPLOAD_MAX_MEGABYTES}
        )
    services.task_record_result(
        task=task,
        result_kind=form.cleaned_data["result_kind"],
        records_count=form.cleaned_data["records_count"],
        note=form.cleaned_data["note"],
        file_name=upload.name if upload else "",
        file_content=upload.read() if upload else None,
        by=request.user,
    )
    messages.success(request, _("Het resultaat is vastgelegd en de taak afgevinkt."))


@request_action(permission=services.OVERRIDE)
def answer_override(request, desk_request):
    """The privacy officer lets the answer go before every system has answered."""
    form = AnswerOverrideForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.answer_override(request=desk_request, by=request.user, **form.cleaned_data)
    messages.success(request, _("Vastgelegd: het antwoord mag eerder, met wat nog volgt."))


@request_action(permission=services.DECIDE_OBJECTION)
def objection_decide(request, desk_request):
    """The privacy officer decides a general objection (Art. 21(1)), with the balancing."""
    form = ObjectionDecisionForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.objection_decide(request=desk_request, by=request.user, **form.cleaned_data)
    messages.success(request, _("Het besluit op het bezwaar is vastgelegd."))


@request_action
def attention_clear(request, desk_request):
    services.request_attention_clear(request=desk_request, by=request.user)


@desk_view()
def inbox(request):
    """The privacy mailbox's mails waiting for an agent, and the requests a mail flagged."""
    return render(
        request,
        "requests_desk/inbox.html",
        {
            "page": Paginator(selectors.inbox_open(), PAGE_SIZE).get_page(request.GET.get("page")),
            "flagged": selectors.requests_flagged()[:PAGE_SIZE],
            "today": timezone.localdate(),
        },
    )


@desk_view(WORK)
@require_POST
def inbox_dismiss(request, inbound_id):
    inbound = get_object_or_404(InboundMessage, pk=inbound_id)
    try:
        services.inbound_dismiss(inbound=inbound, by=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Het bericht is opzijgelegd: het is geen verzoek."))
    return redirect("desk:inbox")


@desk_view()
def attachment(request, attachment_id):
    """A kept attachment, as a download (never shown inline: it came from outside)."""
    kept = get_object_or_404(InboundAttachment, pk=attachment_id)
    return FileResponse(
        kept.open(), as_attachment=True, filename=kept.filename, content_type=kept.content_type
    )


@request_action
def complete(request, desk_request):
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.request_complete(request=desk_request, by=request.user, **form.cleaned_data)
    messages.success(request, _("Het verzoek is afgerond en de brief staat klaar."))


@request_action
def reject(request, desk_request):
    form = RejectForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.request_reject(
        request=desk_request, reasons=form.cleaned_data["reasons"], by=request.user
    )
    messages.success(request, _("Het verzoek is afgewezen en de brief staat klaar."))


@request_action
def extend(request, desk_request):
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.request_extend(request=desk_request, by=request.user, **form.cleaned_data)
    messages.success(request, _("De termijn is verlengd en de brief staat klaar."))


@desk_view()
def letter_preview(request, reference, kind):
    """The letters an agent may send by hand (no decision in them), as the requester would get
    them. A letter that reports a decision is never offered here: it goes with its decision."""
    desk_request = get_object_or_404(DataSubjectRequest, reference=reference)
    if kind not in LetterKind.values:
        return redirect("desk:detail", reference=reference)
    if kind in DECISION_LETTERS:
        messages.error(
            request,
            _(
                "De brief '%(kind)s' meldt een beslissing en gaat alleen mee met die beslissing: "
                "u kunt hem hier niet los bekijken of versturen."
            )
            % {"kind": LetterKind(kind).label},
        )
        return redirect("desk:detail", reference=reference)
    text = request.GET.get("tekst", "")
    subject = body = ""
    try:
        subject, body = services.letter_preview(request=desk_request, kind=kind, tekst=text)
    except ValidationError as refused:
        if kind != LetterKind.FREE_TEXT:  # a free-text letter waits for its text
            messages.error(request, " ".join(refused.messages))
            return redirect("desk:detail", reference=reference)
    return render(
        request,
        "requests_desk/letter_preview.html",
        {
            "r": desk_request,
            "kind": kind,
            "subject": subject,
            "body": body,
            "text": text,
            "is_free_text": kind == LetterKind.FREE_TEXT,
            "may_send": request.user.has_perm(WORK)
            and desk_request.is_open
            and (kind != LetterKind.FREE_TEXT or request.user.has_perm(services.SEND_FREE_TEXT)),
        },
    )


@request_action
def letter_send(request, desk_request, kind):
    services.letter_send(
        request=desk_request, kind=kind, by=request.user, tekst=request.POST.get("tekst", "")
    )
    if desk_request.requester_email:
        messages.success(request, _("De brief staat klaar om te worden verzonden."))
    else:
        messages.success(request, _("De brief staat in de wachtrij 'Te posten'."))


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@desk_view()
def outbox_pdf(request, reference, message_id):
    message = get_object_or_404(
        OutboxMessage.objects.select_related("request"),
        pk=message_id,
        request__reference=reference,
    )
    try:
        content = services.outbox_letter_pdf(message=message)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("desk:detail", reference=reference)
    return _pdf_response(content, f"{reference}-{message.letter_kind}.pdf")


@desk_view()
def postal_queue(request):
    """The letters waiting to be posted, oldest first, and the ones posted lately. Three queries
    whatever their number."""
    waiting = selectors.postal_waiting()
    return render(
        request,
        "requests_desk/postal_queue.html",
        {
            "waiting": Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page")),
            "recent": selectors.postal_recent(),
            "can_work": request.user.has_perm(WORK),
        },
    )


@desk_view()
def postal_pdf(request, letter_id):
    letter = get_object_or_404(PostalLetter.objects.select_related("request"), pk=letter_id)
    try:
        content = services.postal_letter_pdf(letter=letter)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("desk:postal_queue")
    return _pdf_response(content, f"{letter.request.reference}-{letter.letter_kind}.pdf")


@desk_view(WORK)
@require_POST
def postal_posted(request, letter_id):
    letter = get_object_or_404(PostalLetter.objects.select_related("request"), pk=letter_id)
    try:
        services.postal_letter_mark_posted(letter=letter, by=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(reference)s: de brief is als verstuurd per post vastgelegd.")
            % {"reference": letter.request.reference},
        )
    return redirect("desk:postal_queue")


@desk_view()
def search(request):
    form = SearchForm(request.GET or None)
    results = people = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"]
        found = selectors.search(text=text)
        exact = found.filter(reference__iexact=text.strip()).first()
        if exact:
            return redirect("desk:detail", reference=exact.reference)
        results = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        people = selectors.subjects_without_request(text=text)
    return render(
        request,
        "requests_desk/search.html",
        {"form": form, "page": results, "people": people, "today": timezone.localdate()},
    )


def _dashboard_panels(request) -> list[str]:
    """The panels other apps add to the dashboard, named by dotted path on their AppConfig
    (`desk_dashboard_panel`): the desk never imports an app above it."""
    return [
        import_string(config.desk_dashboard_panel)(request)
        for config in apps.get_app_configs()
        if getattr(config, "desk_dashboard_panel", None)
    ]


@desk_view()
def dashboard(request):
    today = timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    months = selectors.on_time_per_month(since=since)
    return render(
        request,
        "requests_desk/dashboard.html",
        {
            "by_kind": selectors.open_by_kind_and_age(today=today),
            "age_buckets": selectors.AGE_BUCKETS,
            "months": months,
            "today": today,
            "panels": _dashboard_panels(request),
        },
    )
