"""The one desk action of the connectors: ask a system again after its run failed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from connectors.models import ConnectorRun, Operation
from connectors.services import run_retry
from requests_desk.decorators import request_action


@request_action
def retry(request, desk_request, run_id):
    """A failed access run is handed to a worker again; the package follows once it is done."""
    run = get_object_or_404(ConnectorRun, pk=run_id, request=desk_request)
    if run.operation != Operation.ACCESS:
        raise ValidationError(_("Alleen het ophalen voor inzage kan opnieuw."), code="operation")
    run_retry(run=run, by=request.user)
    messages.success(request, _("Het systeem wordt opnieuw gevraagd."))
