"""Webhooks: the handler the domain events reach (declared in `ApiConfig.event_handlers`), which
writes one outbox row per subscription in the transaction of the change, and the body each event
carries. Sending is `api.jobs`.

What a body says: consent and restriction events name the address (the receiver holds it and must
act on it) and its keyed hash; an erasure names only the keyed hash (`subject_hash`, which every
consent answer of this API also gives, so a receiver can match it) — no personal data."""

import json
import logging
import uuid

from django.db import transaction
from django.utils import timezone

from api.models import FiledRequest, WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)


def on_event(name: str, items: list[dict]) -> None:
    """Queue a delivery of `name` for every active subscription to it, in this transaction."""
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(is_active=True, client__is_active=True)
        if name in s.events
    ]
    if not subscriptions:
        return
    now = timezone.now()
    deliveries = []
    for item, data in zip(items, _data(name, items), strict=True):
        envelope = {"id": f"evt_{uuid.uuid4().hex}", "type": name, "created_at": now.isoformat()}
        body = json.dumps({**envelope, "data": data}, sort_keys=True)
        for subscription in subscriptions:
            if name == "request.completed" and subscription.client_id != item.get("_client_id"):
                continue  # a client hears only of the requests it filed
            deliveries.append(
                WebhookDelivery(
                    subscription=subscription, event=name, body=body, next_attempt_at=now
                )
            )
    WebhookDelivery.objects.bulk_create(deliveries, batch_size=1000)
    if deliveries:
        transaction.on_commit(_sweep_soon)


def _data(name: str, items: list[dict]) -> list[dict]:
    from consents.models import ConsentPurpose, DataSubject
    from requests_desk.models import DataSubjectRequest

    if name == "request.completed":
        ids = [item["request_id"] for item in items]
        requests = DataSubjectRequest.objects.in_bulk(ids)
        clients = dict(
            FiledRequest.objects.filter(request_id__in=ids).values_list("request_id", "client_id")
        )
        for item in items:
            item["_client_id"] = clients.get(item["request_id"])
        return [
            {
                "reference": requests[item["request_id"]].reference,
                "kind": requests[item["request_id"]].kind,
                "status": requests[item["request_id"]].status,
            }
            for item in items
        ]
    subjects = DataSubject.objects.in_bulk({item["subject_id"] for item in items})
    if name == "subject.erased":
        return [{"subject_hash": subjects[item["subject_id"]].email_hash} for item in items]
    people = [
        {
            "email": subjects[item["subject_id"]].email,
            "subject_hash": subjects[item["subject_id"]].email_hash,
        }
        for item in items
    ]
    if name.startswith("subject."):
        return people
    slugs = dict(
        ConsentPurpose.objects.filter(pk__in={i["purpose_id"] for i in items}).values_list(
            "pk", "slug"
        )
    )
    return [
        {
            **person,
            "purpose": slugs[item["purpose_id"]],
            "sequence": item["sequence"],
            "occurred_at": item["occurred_at"].isoformat(),
        }
        for item, person in zip(items, people, strict=True)
    ]


def _sweep_soon() -> None:
    """Hand the new deliveries to a worker once committed; with the broker down they wait in the
    outbox for the periodic sweep: nothing is lost."""
    from api.tasks import webhooks_sweep

    try:
        webhooks_sweep.delay()
    except Exception:  # noqa: BLE001 — the broker is unreachable; beat's sweep sends them later
        log.warning("broker unreachable; webhook deliveries wait for the sweep")
