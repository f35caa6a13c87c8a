"""What every operation on a request shares: the one way to lock a request, the one way to write
its timeline, and the two refusals every service may give (not permitted, already closed)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from requests_desk.models import DataSubjectRequest, RequestEvent

EXTEND = "requests_desk.extend_datasubjectrequest"
OVERRIDE = "requests_desk.override_open_tasks"


def request_lock(request: DataSubjectRequest) -> DataSubjectRequest:
    """Lock the request's row until the transaction ends and bring the caller's instance up to
    date, so two agents acting at once are served one after the other, on fresh data."""
    DataSubjectRequest.objects.select_for_update().filter(pk=request.pk).values_list("pk").get()
    request.refresh_from_db()
    return request


def timeline_add(
    request: DataSubjectRequest, kind: str, by, text: str = "", **data
) -> RequestEvent:
    """One line on the request's timeline: what happened (`kind`), who did it, a short text and
    the plain values that go with it."""
    return RequestEvent.objects.create(request=request, kind=kind, by=by, text=text, data=data)


def require_permission(user, permission: str, message: str) -> None:
    """Refuse unless `user` holds the permission (None, the system, always may)."""
    if user is not None and not user.has_perm(permission):
        raise ValidationError(message, code="not_permitted")


def require_open(request: DataSubjectRequest) -> None:
    if not request.is_open:
        raise ValidationError(
            _("Dit verzoek is al afgesloten (%(status)s).")
            % {"status": request.get_status_display()},
            code="closed",
        )
