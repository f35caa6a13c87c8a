"""The endpoints of `/api/v1/`. Each one checks the shape of the input, calls the same service as
the desk and the admin, and answers; refusals come back in the shape of `api.errors`. Every call
is logged (`ApiCall`: route pattern, method, status, time; no path, no body)."""

import json
import time

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.errors import ErrorResponseSerializer, from_django
from api.idempotency import HEADER, idempotent
from api.models import ApiCall, ApiKey, FiledRequest, Scope, WebhookSubscription
from api.selectors import may_contact_chunks, may_contact_many
from consents.models import ConsentPurpose, ConsentPurposeVersion, ConsentState, DataSubject
from consents.receipts import consent_receipt
from consents.services import (
    NewEvent,
    consent_events_record,
    consent_give,
    consent_withdraw,
    email_hash,
    subject_get_or_create,
)
from requests_desk.models import Channel, DataSubjectRequest
from requests_desk.services import request_open

ERRORS = {
    code: OpenApiResponse(ErrorResponseSerializer) for code in (400, 401, 403, 404, 409, 422, 429)
}
IDEMPOTENCY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=_("Een herhaalde aanroep met dezelfde sleutel schrijft niet opnieuw."),
)


class ApiView(APIView):
    scopes: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        self._started = time.monotonic()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        started = getattr(self, "_started", time.monotonic())
        key = request.auth if isinstance(request.auth, ApiKey) else None
        ApiCall.objects.create(
            client_id=key.client_id if key else None,
            method=request.method[:8],
            route=request.resolver_match.route[:200] if request.resolver_match else "",
            status=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        return response


def _purpose(slug: str, attr: str = "purpose") -> ConsentPurpose:
    purpose = ConsentPurpose.objects.filter(slug=slug, is_active=True).first()
    if purpose is None:
        raise exceptions.ValidationError(
            {
                attr: [
                    exceptions.ErrorDetail(
                        _("Onbekend doel '%(code)s'.") % {"code": slug}, code="unknown_purpose"
                    )
                ]
            }
        )
    return purpose


def _version(purpose, number, attr="version"):
    if number is None:
        return None
    version = ConsentPurposeVersion.objects.filter(purpose=purpose, number=number).first()
    if version is None:
        raise exceptions.ValidationError(
            {
                attr: [
                    exceptions.ErrorDetail(
                        _("Deze tekstversie bestaat niet."), code="unknown_version"
                    )
                ]
            }
        )
    return version


def _reference(data, request) -> str:
    return data.get("reference") or f"api:{request.auth.client.name}"[:100]


class ConsentEventView(ApiView):
    scopes = {"POST": Scope.CONSENTS_WRITE}

    @extend_schema(
        request=s.ConsentEventIn,
        responses={201: s.ConsentEventOut, **ERRORS},
        parameters=[IDEMPOTENCY],
        summary=_("Een gegeven of ingetrokken toestemming vastleggen"),
    )
    def post(self, request):
        data = _valid(s.ConsentEventIn, request.data)
        purpose = _purpose(data["purpose"])
        version = _version(purpose, data.get("version"))

        def write():
            subject = subject_get_or_create(email=data["email"])
            record = consent_give if data["action"] == "given" else consent_withdraw
            event = record(
                subject=subject,
                purpose=purpose,
                method=data["method"],
                reference=_reference(data, request),
                occurred_at=data.get("occurred_at"),
                purpose_version=version,
            )
            body = {
                "status": s.ledger_status(event),
                "sequence": event.sequence,
                "hash": event.hash,
                "subject_hash": subject.email_hash,
            }
            return Response(s.ConsentEventOut(body).data, status=status.HTTP_201_CREATED)

        return idempotent(request, write)


class ConsentBatchView(ApiView):
    scopes = {"POST": Scope.CONSENTS_WRITE}

    @extend_schema(
        request=s.ConsentBatchIn,
        responses={201: s.ConsentBatchOut, **ERRORS},
        parameters=[IDEMPOTENCY],
        summary=_("Tot 10.000 toestemmingen in één keer (alles of niets)"),
    )
    def post(self, request):
        data = s.consent_batch_valid(request.data)
        slugs = {event["purpose"] for event in data["events"]}
        purposes = {
            p.slug: p for p in ConsentPurpose.objects.filter(slug__in=slugs, is_active=True)
        }
        numbers = {(e["purpose"], e["version"]) for e in data["events"] if e.get("version")}
        versions = {
            (v.purpose.slug, v.number): v
            for v in ConsentPurposeVersion.objects.filter(
                purpose__slug__in={slug for slug, _n in numbers}
            ).select_related("purpose")
        }
        errors, events, now = {}, [], timezone.now()
        for index, event in enumerate(data["events"]):
            purpose = purposes.get(event["purpose"])
            if purpose is None:
                errors[f"events.{index}.purpose"] = [
                    exceptions.ErrorDetail(
                        _("Onbekend doel '%(code)s'.") % {"code": event["purpose"]},
                        code="unknown_purpose",
                    )
                ]
                continue
            version = None
            if event.get("version"):
                version = versions.get((event["purpose"], event["version"]))
                if version is None:
                    errors[f"events.{index}.version"] = [
                        exceptions.ErrorDetail(
                            _("Deze tekstversie bestaat niet."), code="unknown_version"
                        )
                    ]
                    continue
            events.append(
                NewEvent(
                    email=event["email"],
                    purpose=purpose,
                    action=event["action"],
                    method=event["method"],
                    occurred_at=event.get("occurred_at") or now,
                    purpose_version=version,
                    reference=_reference(event, request),
                )
            )
        if errors:
            raise exceptions.ValidationError(errors)

        def write():
            recorded = consent_events_record(events=events)
            body = {
                "status": s.ledger_status(recorded[-1]),
                "recorded": len(recorded),
                "first_sequence": recorded[0].sequence,
                "last_sequence": recorded[-1].sequence,
            }
            return Response(body, status=status.HTTP_201_CREATED)

        return idempotent(request, write)


class SubjectConsentsView(ApiView):
    scopes = {"POST": Scope.CONSENTS_READ}

    @extend_schema(
        request=s.EmailIn,
        responses={200: s.SubjectConsentsOut, **ERRORS},
        summary=_("De huidige toestemmingen van één adres, met hun ontvangstbewijs"),
        description=_(
            "Het adres staat in de body, niet in de URL (die in logboeken belandt). Een onbekend "
            "adres geeft een lege lijst."
        ),
    )
    def post(self, request):
        data = _valid(s.EmailIn, request.data)
        digest = email_hash(data["email"])
        subject = DataSubject.objects.filter(email_hash=digest, erased_at__isnull=True).first()
        states = (
            ConsentState.objects.filter(subject=subject)
            .select_related("purpose__activity", "last_event__purpose__activity")
            .order_by("purpose__slug")
            if subject
            else []
        )
        consents = [
            {
                "purpose": state.purpose.slug,
                "status": state.status,
                "since": state.since,
                "ledger_status": s.ledger_status(state.last_event),
                "sequence": state.last_event.sequence,
                "receipt": consent_receipt(state.last_event)
                if state.last_event.is_integrated
                else None,
            }
            for state in states
        ]
        return Response(s.SubjectConsentsOut({"subject_hash": digest, "consents": consents}).data)


class MayContactView(ApiView):
    scopes = {"POST": Scope.CONSENTS_READ}

    @extend_schema(
        request=s.MayContactIn,
        responses={200: s.MayContactOut, **ERRORS},
        summary=_("Mogen we dit adres benaderen voor dit doel?"),
        description=_(
            "Ja alleen bij een gegeven toestemming zonder beperking (art. 18) of wissing; een "
            "onbekend adres, intrekking, bezwaar en verlopen toestemming geven allemaal nee."
        ),
    )
    def post(self, request):
        data = _valid(s.MayContactIn, request.data)
        purpose = _purpose(data["purpose"])
        # The bulk check's rule for one address: matched by the keyed hash, so an erased person
        # (whose address is gone) answers no, like everyone not known.
        [(_email, answer)] = may_contact_many(purpose=purpose, emails=[data["email"]])
        return Response({"may_contact": answer})


BULK_LINE = {
    True: '{"email": %s, "may_contact": true}\n',
    False: '{"email": %s, "may_contact": false}\n',
}


class MayContactBulkView(ApiView):
    scopes = {"POST": Scope.CONSENTS_READ}

    @extend_schema(
        request=s.MayContactBulkIn,
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                str,
                description=_(
                    "Eén regel JSON per adres, in de volgorde van de vraag: "
                    '{"email": "…", "may_contact": true}'
                ),
            ),
            **ERRORS,
        },
        summary=_("Tot 100.000 adressen in één keer, vóór een campagne (gestreamd antwoord)"),
    )
    def post(self, request):
        data = _valid(s.MayContactBulkIn, request.data)
        purpose = _purpose(data["purpose"])
        emails = data["emails"]

        def lines():
            # A chunk's lines in one piece, each the same JSON as json.dumps of the object
            # (the address escaped by json.dumps, the rest fixed): one write a chunk, not a line.
            for answers in may_contact_chunks(purpose=purpose, emails=emails):
                yield "".join([BULK_LINE[answer] % json.dumps(email) for email, answer in answers])

        response = StreamingHttpResponse(lines(), content_type="application/x-ndjson")
        return response


class RequestFileView(ApiView):
    scopes = {"POST": Scope.REQUESTS_WRITE}

    @extend_schema(
        request=s.RequestIn,
        responses={201: s.RequestOut, **ERRORS},
        parameters=[IDEMPOTENCY],
        summary=_("Een verzoek indienen namens een persoon"),
        description=_(
            "Dezelfde intake en termijnen als de balie; het kanaal is 'api' en het verzoek hoort "
            "bij deze client."
        ),
    )
    def post(self, request):
        data = _valid(s.RequestIn, request.data)

        def write():
            filed = request_open(
                kind=data["kind"],
                channel=Channel.API,
                requester_name=data["name"],
                requester_email=data.get("email", ""),
                requester_phone=data.get("phone", ""),
                requester_address=data.get("address", ""),
                received_at=data.get("received_at") or timezone.now(),
                description=data.get("description", ""),
            )
            FiledRequest.objects.create(client=request.auth.client, request=filed)
            return Response(s.RequestOut(filed).data, status=status.HTTP_201_CREATED)

        return idempotent(request, write)


class RequestStatusView(ApiView):
    scopes = {"GET": Scope.REQUESTS_READ}

    @extend_schema(
        responses={200: s.RequestOut, **ERRORS},
        summary=_("Status, termijnen en uitkomst van een verzoek dat deze client indiende"),
    )
    def get(self, request, reference: str):
        filed = get_object_or_404(
            DataSubjectRequest, reference=reference, api_filing__client=request.auth.client
        )
        return Response(s.RequestOut(filed).data)


class SubscriptionListView(ApiView):
    scopes = {"GET": Scope.WEBHOOKS, "POST": Scope.WEBHOOKS}

    @extend_schema(
        responses={200: s.SubscriptionOut(many=True), **ERRORS},
        summary=_("De webhookabonnementen van deze client"),
    )
    def get(self, request):
        subscriptions = WebhookSubscription.objects.filter(client=request.auth.client)
        return Response(s.SubscriptionOut(subscriptions.order_by("pk"), many=True).data)

    @extend_schema(
        request=s.SubscriptionIn,
        responses={201: s.SubscriptionCreated, **ERRORS},
        summary=_("Abonneren op gebeurtenissen (het geheim wordt eenmalig getoond)"),
    )
    def post(self, request):
        data = _valid(s.SubscriptionIn, request.data)
        with transaction.atomic():
            subscription = WebhookSubscription.objects.create(
                client=request.auth.client, url=data["url"], events=sorted(set(data["events"]))
            )
        return Response(s.SubscriptionCreated(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(ApiView):
    scopes = {"DELETE": Scope.WEBHOOKS}

    @extend_schema(responses={204: None, **ERRORS}, summary=_("Een abonnement opzeggen"))
    def delete(self, request, pk: int):
        subscription = get_object_or_404(WebhookSubscription, pk=pk, client=request.auth.client)
        subscription.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def docs(request):
    """Swagger UI from the installed package (drf-spectacular-sidecar), started by our own static
    script: no inline script, no outside host, the site's CSP unchanged."""
    return render(request, "api/docs.html")


__all__ = ["DjangoValidationError", "from_django"]
