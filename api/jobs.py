"""Sending the webhook outbox: each due delivery is posted, signed, and retried with backoff
(30 s, 1 min, 2 min, … up to six hours) until it is delivered or has failed WEBHOOK_MAX_ATTEMPTS
times. Idempotent: a delivery is locked while it is sent; a delivered one is never sent again."""

import datetime as dt
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import DeliveryStatus, WebhookDelivery
from api.signing import HEADER, sign

RESPONSE_KEPT = 2000  # characters of the receiver's answer shown in the admin
MAX_BACKOFF = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=30 * 2 ** (attempts - 1)), MAX_BACKOFF)


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as reply:
            return reply.status, reply.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        return None, str(error)[:RESPONSE_KEPT]


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> bool:
    """Post one due delivery; True when the receiver answered 2xx."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return False  # sent already, failed for good, or another worker holds it
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Rezulto-Privacy-Webhooks/1",
            "Rezulto-Event": delivery.event,
            HEADER: sign(
                secret=delivery.subscription.secret, timestamp=int(time.time()), body=body
            ),
        }
        code, answer = _post(delivery.subscription.url, body, headers)
        now = now or timezone.now()
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_response = code, answer
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
        return delivery.status == DeliveryStatus.DELIVERED


def webhooks_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send every pending delivery that is due; how many were delivered."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    return sum(delivery_send(delivery_id=pk, now=now) for pk in ids)


@transaction.atomic
def delivery_replay(*, deliveries) -> int:
    """Send these deliveries again (the privacy officer's admin action), as new: same body, new
    signature, attempts from zero."""
    return WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
