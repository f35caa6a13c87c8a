"""`Idempotency-Key`: a call made again with the same key and the same body gets the first reply
and writes nothing; the same key with another body is refused (400, `idempotency_conflict`). The
reply is stored in the transaction of the write, so a write and its reply commit together; two
identical calls at the same moment: one writes, the other is refused (409) and may retry."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from api.models import IdempotentReply

HEADER = "Idempotency-Key"


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "idempotency_in_progress"


def idempotent(request, write) -> Response:
    """Run `write()` (which returns a Response) at most once per client and key."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        with transaction.atomic():
            return write()
    if len(key) > 200:
        raise exceptions.ValidationError(
            {HEADER: [exceptions.ErrorDetail(_("Te lange sleutel."), code="idempotency_key")]}
        )
    client = request.auth.client
    route = request.resolver_match.route
    digest = hashlib.sha256(
        json.dumps(request.data, sort_keys=True, default=str).encode()
    ).hexdigest()
    earlier = IdempotentReply.objects.filter(client=client, key=key).first()
    if earlier is not None:
        if earlier.body_digest != digest or earlier.route != route:
            raise exceptions.ValidationError(
                {
                    HEADER: [
                        exceptions.ErrorDetail(
                            _("Deze Idempotency-Key is al gebruikt voor een andere aanvraag."),
                            code="idempotency_conflict",
                        )
                    ]
                }
            )
        return Response(
            earlier.reply, status=earlier.status, headers={"Idempotent-Replayed": "true"}
        )
    try:
        with transaction.atomic():
            response = write()
            IdempotentReply.objects.create(
                client=client,
                key=key,
                route=route,
                body_digest=digest,
                status=response.status_code,
                reply=response.data,
            )
    except IntegrityError:
        if not IdempotentReply.objects.filter(client=client, key=key).exists():
            raise
        # the same key, at the same moment, in another call: that one wrote, this one did not
        raise Conflict(
            _("Een aanvraag met deze Idempotency-Key loopt nog; probeer het zo opnieuw.")
        ) from None
    return response
