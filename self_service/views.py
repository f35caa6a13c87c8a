"""The public pages at /privacy/ (no account needed). Plain function views: each reads a form,
checks the rate limits and the honeypot, and calls a service; the answers never depend on whether
an e-mail address is known to us."""

import smtplib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from consents.receipts import consent_receipt
from consents.services import normalise_email
from requests_desk.models import DataSubjectRequest
from self_service import ratelimits
from self_service.forms import PreferenceLinkForm, PreferencesForm, RequestForm
from self_service.rights import RIGHTS_BY_KIND
from self_service.selectors import preference_receipt_event, preference_rows, subject_by_pk
from self_service.services import (
    SubmissionLinkError,
    WordingChanged,
    preference_link_send,
    preferences_update,
    submission_confirm,
    submission_create,
    submission_for_token,
)
from self_service.tokens import InvalidToken, confirmed_request_link, preferences_link

LINK_PROBLEM_STATUS = {"invalid": 400, "expired": 410, "used": 410}


def _rate_limited_message() -> str:
    return _(
        "Je hebt dit formulier te vaak verstuurd. Wacht een uur en probeer het dan opnieuw. "
        "Lukt het dan nog niet, mail ons op privacy@rezulto.nl."
    )


def _mail_failed_message() -> str:
    return _("We konden je nu geen e-mail sturen. Probeer het over een paar minuten opnieuw.")


def _address_within_limit(request, form_name: str) -> bool:
    """Count this attempt against the client's address."""
    return ratelimits.hit(
        f"{form_name}:ip",
        ratelimits.client_address(request),
        ratelimits.limit_for(f"{form_name}_per_ip"),
    )


def _email_within_limit(form_name: str, email: str) -> bool:
    """Count this attempt against the e-mail address, known to us or not."""
    return ratelimits.hit(
        f"{form_name}:email", normalise_email(email), ratelimits.limit_for(f"{form_name}_per_email")
    )


def _link_problem(request, reason: str):
    return render(
        request,
        "self_service/link_problem.html",
        {"reason": reason},
        status=LINK_PROBLEM_STATUS[reason],
    )


def _mail_form(request, form, *, name: str, send, sent: str, template: str):
    """The flow both public forms share: count the attempt against the client's address, answer a
    bot exactly as a person (it learns nothing; nothing is kept or sent), count it against the
    e-mail address, send the mail — a failing mail server gets a clear message — and go to the
    "look in your mailbox" page."""
    status = 200
    if request.method == "POST":
        address_ok = _address_within_limit(request, name)
        if form.is_valid() and form.is_bot:
            return redirect(sent)
        if form.is_valid() and address_ok and _email_within_limit(name, form.cleaned_data["email"]):
            try:
                send(form.cleaned_data)
            except (smtplib.SMTPException, OSError):
                form.add_error(None, _mail_failed_message())
                status = 503
            else:
                return redirect(sent)
        elif form.is_valid() or not address_ok:
            form.add_error(None, _rate_limited_message())
            status = 429
    return render(request, template, {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def request_form(request):
    return _mail_form(
        request,
        RequestForm(request.POST or None),
        name="request",
        send=lambda data: submission_create(
            kind=data["kind"],
            name=data["name"],
            email=data["email"],
            details=data["details"],
            request=request,
        ),
        sent="self_service:request_sent",
        template="self_service/request_form.html",
    )


def request_sent(request):
    hours = settings.SELF_SERVICE_CONFIRMATION_MAX_AGE // 3600
    return render(request, "self_service/request_sent.html", {"link_hours": hours})


@never_cache
@require_http_methods(["GET", "POST"])
def request_confirm(request, token: str):
    """GET shows what will be filed with one button; only the POST files it. Mail scanners that
    open every link in a message must not file requests on the person's behalf."""
    if request.method == "POST":
        if not _address_within_limit(request, "confirm"):
            return render(
                request,
                "self_service/link_problem.html",
                {"reason": "rate_limited", "message": _rate_limited_message()},
                status=429,
            )
        try:
            desk_request = submission_confirm(token=token)
        except SubmissionLinkError as error:
            return _link_problem(request, error.reason)
        except ValidationError as refused:
            # The desk refused the request as entered (its own rules); nothing was filed and the
            # submission stays, so the person can write to us or try again.
            return render(
                request,
                "self_service/link_problem.html",
                {"reason": "refused", "message": " ".join(refused.messages)},
                status=400,
            )
        return redirect(
            "self_service:request_confirmed", token=confirmed_request_link.make(desk_request.pk)
        )
    try:
        submission = submission_for_token(token=token)
    except SubmissionLinkError as error:
        return _link_problem(request, error.reason)
    return render(
        request,
        "self_service/request_confirm.html",
        {"submission": submission, "right": RIGHTS_BY_KIND[submission.kind]},
    )


@never_cache
def request_confirmed(request, token: str):
    """The reference and the dates we promise, shown right after confirming."""
    try:
        pk = confirmed_request_link.read(token)
    except InvalidToken as error:
        return _link_problem(request, "expired" if error.expired else "invalid")
    desk_request = DataSubjectRequest.objects.filter(pk=pk).first()
    if desk_request is None:
        return _link_problem(request, "invalid")
    # The company's own promise (e.g. access within four weeks) where it is tighter than the law.
    promised_on = min(day for day in (desk_request.target_on, desk_request.due_on) if day)
    return render(
        request,
        "self_service/request_confirmed.html",
        {
            "desk_request": desk_request,
            "right": RIGHTS_BY_KIND.get(desk_request.kind),
            "promised_on": promised_on,
        },
    )


@require_http_methods(["GET", "POST"])
def preference_link(request):
    """Ask for the personal link to the preference centre. The same answer whether or not the
    address is known to us."""
    return _mail_form(
        request,
        PreferenceLinkForm(request.POST or None),
        name="preference_link",
        send=lambda data: preference_link_send(email=data["email"], request=request),
        sent="self_service:preference_link_sent",
        template="self_service/preference_link_form.html",
    )


def preference_link_sent(request):
    return render(request, "self_service/preference_link_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token: str):
    """The preference centre of the person the signed link names: every purpose, its wording and
    current state; each change becomes a ledger event."""
    try:
        subject_pk = preferences_link.read(token)
    except InvalidToken as error:
        return _link_problem(request, "expired" if error.expired else "invalid")
    subject = subject_by_pk(pk=subject_pk)
    if subject is None:
        return _link_problem(request, "invalid")

    form = PreferencesForm(request.POST or None, rows=preference_rows(subject=subject))
    status = 200
    if request.method == "POST":
        if not _address_within_limit(request, "preferences"):
            form.add_error(None, _rate_limited_message())
            status = 429
        elif form.is_valid() and form.is_bot:
            return redirect(request.path)
        elif form.is_valid():
            wanted = form.wanted()
            if request.POST.get("action") == "all_off":
                wanted = dict.fromkeys(wanted, False)
            try:
                changes = preferences_update(
                    subject=subject, wanted=wanted, shown_versions=form.shown_versions()
                )
            except WordingChanged as error:
                # Show the new wording with the person's own choices kept; nothing saved yet.
                rows = preference_rows(subject=subject)
                data = request.POST.copy()
                for row in rows:
                    data[f"version_{row.purpose.pk}"] = row.version_key
                form = PreferencesForm(data, rows=rows)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "De tekst bij %(names)s is net gewijzigd. Lees de nieuwe tekst en kies "
                        "opnieuw; er is nog niets opgeslagen."
                    )
                    % {"names": ", ".join(f"“{name}”" for name in error.names)},
                )
                status = 409
            else:
                if changes:
                    messages.success(request, _("Je voorkeuren zijn opgeslagen."))
                else:
                    messages.info(
                        request, _("Er was niets veranderd; je voorkeuren blijven zoals ze waren.")
                    )
                return redirect(request.path)
    return render(
        request,
        "self_service/preferences.html",
        {"form": form, "subject": subject, "token": token},
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def preference_receipt(request, token: str, purpose_pk: int):
    """The consent receipt of the person's current choice for one purpose, as JSON to keep: the
    ledger event with its inclusion proof against a signed checkpoint, which anyone can check
    offline with tools/verify_receipt.py and the published public key. Only through the
    person's own signed link, and only for their own events."""
    try:
        subject_pk = preferences_link.read(token)
    except InvalidToken as error:
        return _link_problem(request, "expired" if error.expired else "invalid")
    subject = subject_by_pk(pk=subject_pk)
    if subject is None:
        return _link_problem(request, "invalid")
    event = preference_receipt_event(subject=subject, purpose_pk=purpose_pk)
    if event is None:
        raise Http404(_("Voor dit onderwerp is nog niets vastgelegd."))
    if not event.is_integrated:  # recorded seconds ago; its proof follows once integrated
        return HttpResponse(
            _(
                "Je keuze is vastgelegd. Het bewijs is over enkele seconden klaar; probeer het zo "
                "nog eens."
            ),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = JsonResponse(consent_receipt(event), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="toestemmingsbewijs-{event.sequence}.json"'
    )
    return response
