"""Factories of the consents app."""

__all__ = ["ConsentPurposeFactory", "DataSubjectFactory", "purpose_with_wording"]

import factory

from consents.models import ConsentPurpose, ConsentPurposeVersion, DataSubject
from consents.services import email_hash
from privacy_register.models import ProcessingActivity


class DataSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSubject

    email = factory.Sequence(lambda n: f"leraar{n}@school.example")
    email_hash = factory.LazyAttribute(lambda s: email_hash(s.email))
    name = factory.Faker("name", locale="nl_NL")


class ConsentPurposeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentPurpose

    slug = factory.Sequence(lambda n: f"doel-{n}")
    name = factory.Sequence(lambda n: f"Nieuwsbrief {n}")
    activity = factory.LazyFunction(
        lambda: ProcessingActivity.objects.get_or_create(
            slug="nieuwsbrieven",
            defaults={
                "name": "Nieuwsbrieven",
                "purposes": "Nieuwsbrief sturen",
                "legal_basis": "consent",
                "retention_event": "until_opt_out",
            },
        )[0]
    )
    channel = "email"
    legal_basis = "consent"


def purpose_with_wording(wording="Ja, stuur mij de nieuwsbrief.", **kwargs) -> ConsentPurpose:
    purpose = ConsentPurposeFactory(**kwargs)
    ConsentPurposeVersion.objects.create(purpose=purpose, number=1, wording=wording)
    return purpose
