"""The rights a data subject can exercise through the public request form, in the order the form
shows them, each with its plain-language explanation and the article of the GDPR.

The values are the request kinds of the desk (`requests_desk` uses the same English values); the
texts are what a person reads before choosing. Pure data, no database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Right:
    kind: str
    title: str
    explanation: str
    article: str
    details_required: bool = False


RIGHTS = (
    Right(
        kind="access",
        title=_("Inzage in mijn gegevens"),
        explanation=_(
            "Je ontvangt een overzicht van alle persoonsgegevens die Rezulto van je verwerkt, "
            "waarvoor, op welke grondslag, met wie we ze delen en hoe lang we ze bewaren. "
            "We antwoorden binnen vier weken."
        ),
        article=_("artikel 15 AVG"),
    ),
    Right(
        kind="rectification",
        title=_("Correctie van mijn gegevens"),
        explanation=_(
            "Kloppen je gegevens niet of zijn ze onvolledig? Vertel ons in de toelichting wat er "
            "niet klopt en wat het moet zijn; wij passen het aan."
        ),
        article=_("artikel 16 AVG"),
        details_required=True,
    ),
    Right(
        kind="erasure",
        title=_("Verwijdering van mijn gegevens"),
        explanation=_(
            "We verwijderen je gegevens en je account. Wat we volgens de wet moeten bewaren, "
            "zoals facturen voor de belastingdienst, bewaren we tot de termijn verstreken is; "
            "we laten je weten wat en waarom."
        ),
        article=_("artikel 17 AVG"),
    ),
    Right(
        kind="restriction",
        title=_("Beperking van de verwerking"),
        explanation=_(
            "Betwist je de juistheid van je gegevens of heb je bezwaar gemaakt? Dan kun je vragen "
            "je gegevens tijdelijk niet te gebruiken, alleen te bewaren, tot dit is opgelost."
        ),
        article=_("artikel 18 AVG"),
    ),
    Right(
        kind="portability",
        title=_("Mijn gegevens meenemen (overdraagbaarheid)"),
        explanation=_(
            "Je ontvangt de gegevens die je zelf aan ons hebt verstrekt in een gangbaar, "
            "machineleesbaar bestand (JSON en CSV), zodat je ze aan een ander kunt geven."
        ),
        article=_("artikel 20 AVG"),
    ),
    Right(
        kind="objection_direct_marketing",
        title=_("Bezwaar tegen direct marketing"),
        explanation=_(
            "Je ontvangt van ons geen reclame meer per e-mail, telefoon of post. We verwerken je "
            "afmelding binnen twintig werkdagen, meestal direct."
        ),
        article=_("artikel 21 AVG"),
    ),
    Right(
        kind="withdraw_consent",
        title=_("Mijn toestemming intrekken"),
        explanation=_(
            "Je trekt de toestemming in die je eerder gaf, bijvoorbeeld voor een nieuwsbrief of "
            "marktonderzoek. Wat we eerder op basis van je toestemming deden, blijft rechtmatig. "
            "Per onderwerp kiezen kan ook in het voorkeurencentrum."
        ),
        article=_("artikel 7, lid 3 AVG"),
    ),
    Right(
        kind="objection",
        title=_("Bezwaar tegen een verwerking op grond van gerechtvaardigd belang"),
        explanation=_(
            "Gebruikt Rezulto je gegevens omdat wij daar zelf een belang bij hebben, en weegt dat "
            "in jouw situatie niet op tegen jouw belang? Vertel ons in de toelichting waarom. De "
            "privacy officer weegt het af; stoppen we niet, dan leggen we je uit waarom."
        ),
        article=_("artikel 21, lid 1 AVG"),
        details_required=True,
    ),
)

RIGHTS_BY_KIND = {right.kind: right for right in RIGHTS}
KIND_CHOICES = [(right.kind, right.title) for right in RIGHTS]
