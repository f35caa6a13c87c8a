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
    """A failed run is handed to a worker again; what waited on it (the package, the rest of the
    erasure) follows once it is done. A correction is asked again by applying it again."""
    run = get_object_or_404(ConnectorRun, pk=run_id, request=desk_request)
    if run.operation == Operation.RECTIFY:
        raise ValidationError(
            _("Een correctie vraagt u opnieuw door haar opnieuw toe te passen."), code="operation"
        )
    run_retry(run=run, by=request.user)
    messages.success(request, _("Het systeem wordt opnieuw gevraagd."))
