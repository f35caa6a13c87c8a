"""Factories of the public self-service pages."""

__all__ = ["PendingSubmissionFactory"]

import uuid
from datetime import timedelta

import factory
from django.utils import timezone

from self_service.models import PendingSubmission


class PendingSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PendingSubmission

    public_id = factory.LazyFunction(uuid.uuid4)
    kind = "access"
    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"betrokkene{n}@voorbeeld.nl")
    details = ""
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda row: row.created_at + timedelta(hours=24))
