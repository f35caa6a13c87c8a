"""Absolute URLs of the links we put in e-mails: the confirmation of a request and the preference
centre. `preference_centre_url` is also what every marketing mail carries (Art. 21(4) GDPR: the
right to object is brought to the person's attention explicitly).

The site's address comes from SELF_SERVICE_BASE_URL when it is set (mail sent from a worker has no
request), else from the current request (its Host header is checked against ALLOWED_HOSTS).
"""

from django.conf import settings
from django.urls import reverse

from self_service.tokens import confirm_request_link, preferences_link


def absolute_url(path: str, *, request=None) -> str:
    if settings.SELF_SERVICE_BASE_URL:
        return settings.SELF_SERVICE_BASE_URL.rstrip("/") + path
    if request is None:
        raise ValueError("SELF_SERVICE_BASE_URL is not set and there is no request to take it from")
    return request.build_absolute_uri(path)


def confirmation_url(submission, *, request=None) -> str:
    token = confirm_request_link.make(str(submission.public_id))
    return absolute_url(reverse("self_service:request_confirm", args=[token]), request=request)


def preference_centre_url(subject, *, request=None) -> str:
    """The personal link to a data subject's preference centre, valid for
    SELF_SERVICE_PREFERENCE_LINK_MAX_AGE seconds."""
    token = preferences_link.make(subject.pk)
    return absolute_url(reverse("self_service:preferences", args=[token]), request=request)
