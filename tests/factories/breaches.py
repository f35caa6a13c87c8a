"""Breaches, reported through the service as a member of staff would."""

import datetime as dt

from django.utils import timezone

from breaches.models import Cause, HowFound
from breaches.services import assessment_update, breach_report

__all__ = ["report_breach", "decide"]


def report_breach(*, by, aware_at=None, **fields):
    return breach_report(
        title=fields.pop("title", "Klantlijst naar verkeerde ontvanger"),
        what_happened=fields.pop("what_happened", "Een Excel-lijst met 40 klanten is gemaild."),
        aware_at=aware_at or timezone.now() - dt.timedelta(hours=1),
        how_found=fields.pop("how_found", HowFound.STAFF),
        cause=fields.pop("cause", Cause.WRONG_RECIPIENT),
        by=by,
        **fields,
    )


def decide(breach, *, decision, by, **fields):
    defaults = {
        "people_min": 40,
        "people_max": 40,
        "records": 40,
        "encrypted": "none",
        "natures": ["confidentiality"],
        "consequences": "Phishing met de namen en e-mailadressen.",
        "measures_taken": "Ontvanger gevraagd de lijst te verwijderen.",
        "measures_planned": "Verzendlijsten alleen nog via het systeem.",
        "reasoning": "Namen en e-mailadressen bij een onbekende: risico op phishing.",
        "cross_border": False,
    }
    return assessment_update(breach=breach, decision=decision, by=by, **{**defaults, **fields})
