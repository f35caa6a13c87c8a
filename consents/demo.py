"""The ledger's part of `manage.py load_demo`: the consent purposes of Rezulto's activities with
their first wording, and a few hundred subjects with consent histories, all through the services.
Idempotent: the purposes are matched by slug, the subjects are added once."""

import datetime as dt
import random

from django.utils import timezone

from consents.models import ConsentPurpose, ConsentPurposeVersion, DataSubject
from consents.services import consent_give, consent_withdraw, subject_get_or_create
from privacy_register.models import ProcessingActivity

# slug: (name, activity, channel, legal basis, wording)
PURPOSES = {
    "nieuwsbrief-primair": (
        "Nieuwsbrief primair onderwijs",
        "nieuwsbrieven",
        "email",
        "consent",
        "Ja, stuur mij de nieuwsbrief voor het primair onderwijs.",
    ),
    "nieuwsbrief-voortgezet": (
        "Nieuwsbrief voortgezet onderwijs",
        "nieuwsbrieven",
        "email",
        "consent",
        "Ja, stuur mij de nieuwsbrief voor het voortgezet onderwijs.",
    ),
    "marketing-email": (
        "Aanbiedingen per e-mail voor klanten",
        "marketing-email",
        "email",
        "soft_opt_in",
        "Als klant ontvang je e-mail over gelijksoortige producten; afmelden kan altijd.",
    ),
    "telemarketing": (
        "Telefonische aanbiedingen",
        "telemarketing",
        "phone",
        "consent",
        "Ja, Rezulto mag mij bellen met aanbiedingen.",
    ),
    "direct-mail": (
        "Aanbiedingen per post",
        "direct-mail",
        "post",
        "soft_opt_in",
        "Je ontvangt per post informatie over events en acties; afmelden kan altijd.",
    ),
    "acties": (
        "Advertenties naar aanleiding van acties",
        "acties-en-winacties",
        "email",
        "consent",
        "Ja, Rezulto mag mij op basis van mijn deelname aanbiedingen doen.",
    ),
    "marktonderzoek": (
        "Uitnodigingen voor marktonderzoek",
        "marktonderzoek",
        "email",
        "consent",
        "Ja, nodig mij uit voor marktonderzoek.",
    ),
    "personalisatie": (
        "Persoonlijke voorkeuren op de website",
        "accounts",
        "web",
        "consent",
        "Ja, pas de website aan mijn voorkeuren aan.",
    ),
}
SUBJECTS = 300


def load(*, stdout) -> None:
    purposes = []
    for slug, (name, activity, channel, basis, wording) in PURPOSES.items():
        purpose, _ = ConsentPurpose.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "activity": ProcessingActivity.objects.get(slug=activity),
                "channel": channel,
                "legal_basis": basis,
            },
        )
        ConsentPurposeVersion.objects.get_or_create(
            purpose=purpose, number=1, defaults={"wording": wording}
        )
        purposes.append(purpose)
    if DataSubject.objects.filter(email__endswith="@demo-school.example").exists():
        stdout.write("Consents: demo subjects already there.")
        return
    rng = random.Random(2026)
    now = timezone.now()
    for i in range(SUBJECTS):
        subject = subject_get_or_create(
            email=f"leraar{i:03d}@demo-school.example",
            name=f"Leraar {i:03d}",
            organisation=rng.choice(["OBS De Wilg", "Lyceum Noord", "ROC Amstelland"]),
        )
        for purpose in rng.sample(purposes, k=rng.randint(1, 3)):
            given = now - dt.timedelta(days=rng.randint(30, 900))
            consent_give(
                subject=subject,
                purpose=purpose,
                method="double_opt_in",
                occurred_at=given,
                reference="demo",
            )
            if rng.random() < 0.25:
                consent_withdraw(
                    subject=subject,
                    purpose=purpose,
                    method="unsubscribe_link",
                    occurred_at=given + dt.timedelta(days=rng.randint(1, 29)),
                    reference="demo",
                )
    stdout.write(f"Consents: {len(purposes)} purposes, {SUBJECTS} subjects with their history.")
