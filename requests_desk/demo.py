"""The desk's part of `manage.py load_demo`: requests in every state, with dates around today, so
that a newcomer sees a living queue. Idempotent: it adds nothing once demo requests exist."""

import datetime as dt

from django.utils import timezone

from requests_desk import services
from requests_desk.models import DataSubjectRequest, RequestKind

PEOPLE = [
    ("Joke de Vries", "joke.devries@obs-dewilg.example"),
    ("Ahmed el Amrani", "a.elamrani@lyceum-noord.example"),
    ("Sanne Bakker", "sanne.bakker@kindcentrum.example"),
    ("Pieter Smit", "p.smit@roc-amstelland.example"),
    ("Fatima Yilmaz", "f.yilmaz@basisschool-zon.example"),
    ("Kees Jansen", "kees.jansen@college-west.example"),
    ("Lotte Visser", "lotte.visser@montessori.example"),
    ("Daan Mulder", "d.mulder@hogeschool.example"),
    ("Noor Hendriks", "noor.hendriks@vmbo-oost.example"),
    ("Bram de Boer", "b.deboer@sportschool.example"),
    ("Eva Peters", "eva.peters@kinderopvang.example"),
]
# (kind, days ago, what happens next)
PLAN = [
    (RequestKind.ACCESS, 1, "new"),
    (RequestKind.OBJECTION_DIRECT_MARKETING, 2, "verified"),
    (RequestKind.ERASURE, 6, "identity_pending"),
    (RequestKind.RECTIFICATION, 12, "verified"),
    (RequestKind.ACCESS, 24, "verified"),
    (RequestKind.PORTABILITY, 40, "verified"),
    (RequestKind.WITHDRAW_CONSENT, 20, "completed"),
    (RequestKind.RESTRICTION, 15, "awaiting"),
    (RequestKind.ERASURE, 26, "extended"),
    (RequestKind.ACCESS, 9, "rejected"),
    (RequestKind.OBJECTION_DIRECT_MARKETING, 4, "withdrawn"),
]


def load(*, stdout) -> None:
    if DataSubjectRequest.objects.filter(requester_email__in=[e for _, e in PEOPLE]).exists():
        stdout.write("Desk: demo requests already there.")
        return
    now = timezone.now()
    for (name, email), (kind, days_ago, next_step) in zip(PEOPLE, PLAN, strict=True):
        request = services.request_open(
            kind=kind,
            channel="email",
            requester_name=name,
            requester_email=email,
            received_at=now - dt.timedelta(days=days_ago, hours=3),
            opened_by=None,
        )
        if next_step == "identity_pending":
            services.request_transition(request=request, action="ask_identity", by=None)
        if next_step in ("verified", "completed", "awaiting", "extended"):
            services.request_verify_identity(request=request, method="email", by=None)
        if next_step == "awaiting":
            services.request_transition(request=request, action="await_requester", by=None)
        if next_step == "completed":
            for task in request.tasks.all():
                services.task_complete(task=task, by=None)
            services.request_complete(
                request=request, by=None, outcome="Afgemeld voor alle marketing."
            )
        if next_step == "extended":
            services.request_extend(
                request=request,
                reason="De gegevens staan in veel systemen, ook in het archief van de webshop.",
                by=None,
            )
        if next_step == "rejected":
            services.request_reject(
                request=request,
                reasons="Dit is het vijfde gelijke verzoek deze maand; het is buitensporig "
                "(artikel 12, vijfde lid, AVG).",
                by=None,
            )
        if next_step == "withdrawn":
            services.request_transition(
                request=request,
                action="withdraw",
                by=None,
                note="Verzoeker belde: niet meer nodig.",
            )
    stdout.write(f"Desk: {len(PLAN)} demo requests.")
