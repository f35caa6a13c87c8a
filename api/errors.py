"""One shape for every error the API returns, documented in the schema (`ErrorResponse`):

    {"type": "validation_error" | "client_error" | "server_error",
     "errors": [{"code": "<stable code>", "detail": "<message>", "attr": "<field>" | null}]}

The codes are stable (tests and integrators rely on them); the messages follow Accept-Language
(Dutch by default, English on request). A refusal of a domain service (`ValidationError` with a
code) becomes a validation error with the service's own code and message. A URL under the API
that no view answers (an unknown path, or an id that is not a number) and a crash get the same
shape from Django's error handlers (`http_error`), not the site's HTML pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(["validation_error", "client_error", "server_error"])
    errors = ErrorDetailSerializer(many=True)


def _flatten(details, attr=None):
    if isinstance(details, dict):
        if set(details) == {"message", "code"}:
            yield {"code": details["code"], "detail": str(details["message"]), "attr": attr}
            return
        for key, value in details.items():
            name = None if key == "non_field_errors" else key
            yield from _flatten(value, f"{attr}.{name}" if attr and name else (name or attr))
    elif isinstance(details, list):
        for index, value in enumerate(details):
            nested = isinstance(value, dict) and set(value) != {"message", "code"}
            yield from _flatten(value, f"{attr}.{index}" if nested and attr else attr)


def from_django(error: DjangoValidationError, attr=None) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {
            attr or "non_field_errors": [
                exceptions.ErrorDetail(message, code=e.code or "invalid")
                for e in error.error_list
                for message in e.messages
            ]
        }
    )


def handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = from_django(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500, logged
    kind = "validation_error" if isinstance(exc, exceptions.ValidationError) else "client_error"
    response.data = {"type": kind, "errors": list(_flatten(exc.get_full_details()))}
    return response


PREFIX = "/api/"


def http_error(request, status: int) -> JsonResponse:
    """The error shape for an answer no API view gave: 404 (no URL matched) or 500 (a crash)."""
    exc = exceptions.NotFound() if status == 404 else exceptions.APIException()
    kind = "client_error" if status < 500 else "server_error"
    body = {"type": kind, "errors": list(_flatten(exc.get_full_details()))}
    return JsonResponse(body, status=status)
