"""Factories of the desk app."""

__all__ = ["DataSubjectRequestFactory", "open_request"]


import factory
from django.utils import timezone

from requests_desk.deadlines import months_after, target_on_for
from requests_desk.models import DataSubjectRequest, RequestKind, Status


def open_request(**overrides) -> DataSubjectRequest:
    """A request taken in through the service, as an agent would (with its checklist and the
    acknowledgement letter)."""
    from requests_desk.services import request_open

    values = {
        "kind": RequestKind.ACCESS,
        "channel": "email",
        "requester_name": "Joke de Vries",
        "requester_email": "joke@school.example",
        "received_at": timezone.now(),
        "opened_by": None,
    }
    values.update(overrides)
    return request_open(**values)


class DataSubjectRequestFactory(factory.django.DjangoModelFactory):
    """A bare request row, for tests that need many of them fast (queue sizes, query counts)."""

    class Meta:
        model = DataSubjectRequest

    reference = factory.Sequence(lambda n: f"AVG-2026-{n + 1:05d}")
    kind = RequestKind.ACCESS
    channel = "email"
    requester_name = factory.Faker("name", locale="nl_NL")
    requester_email = factory.Sequence(lambda n: f"verzoeker{n}@school.example")
    received_at = factory.LazyFunction(timezone.now)
    due_on = factory.LazyAttribute(lambda r: months_after(timezone.localdate(r.received_at), 1))
    target_on = factory.LazyAttribute(
        lambda r: target_on_for(r.kind, timezone.localdate(r.received_at))
    )
    status = Status.NEW
