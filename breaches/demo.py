"""The breach register's part of the demo office: an open breach whose clock is running (assessed
as a risk, the 24-hour reminder sent), and last month's stolen laptop, notified to the AP within
72 hours with a follow-up, the people not told because the disk was encrypted. Idempotent."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import AGENT, PRIVACY_OFFICER
from breaches import jobs, services
from breaches.models import Breach, Cause, Decision, Encryption, HowFound, NoticeGround
from privacy_register.models import PersonalDataCategory, ProcessingActivity


def load(*, stdout) -> None:
    if Breach.objects.exists():
        stdout.write("Breaches: demo incidents already there.")
        return
    users = get_user_model().objects.filter(is_active=True)
    officer = users.filter(groups__name=PRIVACY_OFFICER).first()
    reporter = users.filter(groups__name=AGENT).first() or officer
    if officer is None:
        stdout.write("Breaches: no privacy officer yet, no demo incidents.")
        return
    now = timezone.now()
    activity = ProcessingActivity.objects.order_by("pk").first()
    categories = list(PersonalDataCategory.objects.order_by("pk")[:2])
    assessment = {
        "natures": ["confidentiality"],
        "activities": [activity] if activity else [],
        "data_categories": categories,
        "people_min": 180,
        "people_max": 212,
        "records": 212,
        "encrypted": Encryption.NONE,
        "cross_border": False,
        "consequences": "Gerichte phishing met naam, school en e-mailadres.",
        "measures_taken": "Ontvanger heeft bevestigd de lijst te hebben verwijderd.",
        "measures_planned": "Exports met persoonsgegevens alleen nog via beveiligde links.",
        "reasoning": "Namen en e-mailadressen bij een externe partij: risico, niet hoog.",
    }
    running = services.breach_report(
        title="Deelnemerslijst training naar verkeerde trainer gemaild",
        what_happened="Een Excel-bestand met de deelnemers van drie trainingen is naar een "
        "externe trainer gestuurd die er niet bij hoorde.",
        occurred_at=now - dt.timedelta(hours=31),
        aware_at=now - dt.timedelta(hours=30),
        how_found=HowFound.STAFF,
        cause=Cause.WRONG_RECIPIENT,
        by=reporter,
    )
    services.assessment_update(breach=running, decision=Decision.RISK, by=officer, **assessment)
    jobs.reminders_send(now=now)

    aware = now - dt.timedelta(days=35)
    laptop = services.breach_report(
        title="Laptop van een accountmanager gestolen",
        what_happened="Uit een auto gestolen; op de laptop stond een export van klantgegevens.",
        occurred_at=aware - dt.timedelta(hours=14),
        aware_at=aware,
        how_found=HowFound.STAFF,
        cause=Cause.LOST_DEVICE,
        by=reporter,
    )
    services.assessment_update(
        breach=laptop,
        decision=Decision.HIGH_RISK,
        by=officer,
        **{
            **assessment,
            "encrypted": Encryption.FULL,
            "natures": ["confidentiality"],
            "reasoning": "Veel klanten; eerst als hoog risico aangemerkt tot de versleuteling "
            "was bevestigd.",
        },
    )
    services.ap_file(
        breach=laptop,
        filed_at=aware + dt.timedelta(hours=20),
        ap_reference="AP-2026-DEMO-0413",
        by=officer,
    )
    services.ap_follow_up(
        breach=laptop,
        filed_at=aware + dt.timedelta(days=3),
        text="De schijf was volledig versleuteld (BitLocker); de laptop is op afstand gewist.",
        by=officer,
    )
    services.notice_not_needed(
        breach=laptop,
        ground=NoticeGround.UNINTELLIGIBLE,
        reason="Volledige schijfversleuteling; de sleutel is niet gecompromitteerd.",
        by=officer,
    )
    services.breach_close(breach=laptop, note="Afgehandeld.", by=officer)
    stdout.write(f"Breaches: {running.reference} (clock running), {laptop.reference} (closed).")
