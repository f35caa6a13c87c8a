"""The desk's view decorators and form helper, public because the apps above the desk (the rights
on a request's page) guard their views the same way: `desk_view` (logged in, holding a
permission), `request_action` (a POST on one request whose refusals become messages) and
`form_errors` (a form's errors as messages)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from requests_desk.models import DataSubjectRequest
from requests_desk.workflow import WORK

VIEW = "requests_desk.view_datasubjectrequest"


def desk_view(permission=VIEW):
    """Logged in, and holding `permission` (else 403): the desk's guard on every view."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def request_action(view=None, *, permission=WORK):
    """A POST on one request by someone with `permission` (by default: who may work requests); a
    refusal by the service becomes an error message, and the user is sent back to the request's
    page either way. Used bare (`@request_action`) or with a permission."""
    if view is None:
        return lambda view: request_action(view, permission=permission)

    @wraps(view)
    @desk_view(permission)
    @require_POST
    def wrapper(request, reference, *args, **kwargs):
        desk_request = get_object_or_404(DataSubjectRequest, reference=reference)
        try:
            view(request, desk_request, *args, **kwargs)
        except ValidationError as refused:
            for message in refused.messages:
                messages.error(request, message)
        return redirect("desk:detail", reference=reference)

    return wrapper


def form_errors(request, form) -> None:
    """Each of the form's errors as an error message, with its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
