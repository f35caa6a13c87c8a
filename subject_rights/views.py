"""The rights on the desk (actions on a request's page, and the erasure's confirm step), and the
public download of an access package: the link is all it asks for. A GET shows a page with a
button and never counts a download (link scanners follow links); the POST downloads."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from requests_desk.decorators import desk_view, form_errors, request_action
from requests_desk.models import DataSubjectRequest
from subject_rights import services
from subject_rights.forms import ErasureForm, LiftRestrictionForm, RectificationForm
from subject_rights.models import AccessPackage
from subject_rights.sources import Person, sources
from subject_rights.tokens import read_package_token


@request_action
def package(request, desk_request):
    services.package_order(request=desk_request, by=request.user)
    messages.success(request, _("Het inzagepakket wordt gemaakt; de verzoeker krijgt de link."))


@request_action
def rectify(request, desk_request):
    form = RectificationForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form)
    services.rectification_apply(request=desk_request, changes=form.cleaned_data, by=request.user)
    messages.success(request, _("De correcties zijn in alle bronnen doorgevoerd."))


@request_action
def restrict(request, desk_request):
    services.restriction_apply(request=desk_request, by=request.user)
    messages.success(request, _("De verwerking is beperkt: geen marketing meer."))


@desk_view(services.LIFT)
@require_http_methods(["POST"])
def lift(request, reference):
    desk_request = get_object_or_404(DataSubjectRequest, reference=reference)
    form = LiftRestrictionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            lift = services.restriction_lift_announce(
                request=desk_request, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("Het opheffen is aangekondigd; de beperking vervalt op %(day)s.")
                % {"day": formats.date_format(lift.lift_on, "j F Y")},
            )
        except ValidationError as refused:
            for message in refused.messages:
                messages.error(request, message)
    return redirect("desk:detail", reference=reference)


@desk_view(services.ERASE)
@require_http_methods(["GET", "POST"])
def erase(request, reference):
    """The privacy officer's confirm step: it says what will happen and that it is final."""
    desk_request = get_object_or_404(
        DataSubjectRequest.objects.select_related("subject"), reference=reference
    )
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kept = services.erasure_carry_out(
                request=desk_request,
                by=request.user,
                kept_what=form.cleaned_data["kept_what"],
                kept_reason=form.cleaned_data["kept_reason"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            if kept is None:
                messages.success(
                    request,
                    _(
                        "Het wissen loopt in de gekoppelde systemen; zodra elk systeem klaar is, "
                        "worden onze eigen gegevens gewist en gaat de bevestiging."
                    ),
                )
            else:
                messages.success(request, _("De gegevens zijn gewist in alle bronnen."))
            return redirect("desk:detail", reference=reference)
    person = Person.of_request(desk_request)
    # Per source and table what the person's data is, and for a connected system what erasure
    # will do with it (its dry run), before the officer confirms.
    found = [(source.label, source.preview(person)) for source in sources()]
    return render(
        request,
        "subject_rights/erase_confirm.html",
        {"r": desk_request, "form": form, "found": found},
    )


def _refused(request, message: str, status: int):
    return render(
        request, "subject_rights/download_refused.html", {"message": message}, status=status
    )


@require_http_methods(["GET", "POST"])
def download(request, token):
    try:
        package_id = read_package_token(token)
    except signing.SignatureExpired:
        return _refused(request, _("Deze downloadlink is verlopen."), 410)
    except signing.BadSignature:
        return _refused(request, _("Deze downloadlink is onvolledig of gewijzigd."), 404)
    package = AccessPackage.objects.filter(pk=package_id).first()
    if package is None:
        return _refused(request, _("Dit pakket is niet meer beschikbaar."), 410)
    if request.method == "GET":
        refusal = package.refusal()
        if refusal:
            return _refused(request, refusal, 410)
        return render(request, "subject_rights/download.html", {"package": package})
    try:
        package = services.package_download(package_id=package.pk)
    except ValidationError as refused:
        return _refused(request, " ".join(refused.messages), 410)
    return FileResponse(
        package.file.open("rb"),
        as_attachment=True,
        filename=f"inzage-{package.request.reference}.zip",
        content_type="application/zip",
    )
