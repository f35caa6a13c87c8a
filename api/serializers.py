"""What goes in and out of the API. Input is checked here for shape; the domain rules stay in
the services, whose refusals come back in the error shape of `api.errors`."""

import datetime as dt
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.models import WebhookEvent, WebhookSubscription
from consents.models import Action, Method
from requests_desk.models import RequestKind, Status

# How a consent can reach us from another system (not the system's own expiry, a desk request
# or the admin's import).
API_METHODS = [
    (value, label)
    for value, label in Method.choices
    if value not in (Method.SYSTEM, Method.REQUEST, Method.IMPORT)
]
BATCH_MAX = 10_000
BULK_MAX = 100_000


def utc_datetime(**kwargs) -> serializers.DateTimeField:
    """A moment in an answer, always in UTC: RFC 3339 allows no offset in seconds, and the
    site's zone gives one to old dates (Amsterdam's mean time, +00:19:32 before 1937)."""
    return serializers.DateTimeField(default_timezone=dt.UTC, **kwargs)


class ConsentEventIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    purpose = serializers.SlugField(help_text=_("De code van het doel."))
    action = serializers.ChoiceField([Action.GIVEN, Action.WITHDRAWN])
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("De tekstversie die de persoon zag.")
    )
    occurred_at = serializers.DateTimeField(required=False)
    method = serializers.ChoiceField(API_METHODS)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


# Whether an event is in the ledger's chain yet. One event is queued and the sequencer numbers
# it a second or two later (unless CONSENT_SEQUENCER_INLINE); until then it has no sequence
# number, no hash and no provable receipt, and the answer says so rather than inventing them.
LEDGER_STATUSES = [
    ("integrated", _("In de keten: volgnummer en ontvangstbewijs bestaan.")),
    ("queued", _("In de wachtrij: volgnummer en ontvangstbewijs volgen na integratie.")),
]


def ledger_status(event) -> str:
    return "integrated" if event.is_integrated else "queued"


class ConsentEventOut(serializers.Serializer):
    status = serializers.ChoiceField(LEDGER_STATUSES)
    sequence = serializers.IntegerField(
        allow_null=True, help_text=_("Leeg zolang de gebeurtenis in de wachtrij staat.")
    )
    hash = serializers.CharField(
        allow_null=True, help_text=_("Leeg zolang de gebeurtenis in de wachtrij staat.")
    )
    subject_hash = serializers.CharField()


class ConsentBatchIn(serializers.Serializer):
    events = ConsentEventIn(many=True, allow_empty=False, max_length=BATCH_MAX)


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_EVENT_FIELDS = ConsentEventIn().fields
_ACTIONS = _EVENT_FIELDS["action"].choice_strings_to_values
_METHODS = _EVENT_FIELDS["method"].choice_strings_to_values
_PLAIN_KEYS = {"email", "purpose", "action", "method", "version", "reference"}


def consent_batch_valid(data) -> dict:
    """`ConsentBatchIn`'s validated data, for a batch of up to BATCH_MAX events, without DRF's
    dozen field objects per event when an event is plain — strings the fields would take as they
    are, no `occurred_at` — which for 1,000 events took a fifth of the call. Any other event goes
    through `ConsentEventIn` on its own; if one is refused, the whole batch goes through the
    serializer, so the errors (which events, which fields, which codes) are exactly its own."""
    events = data.get("events") if isinstance(data, dict) else None
    if type(events) is list and 0 < len(events) <= BATCH_MAX:
        checked = []
        for event in events:
            plain = _plain_event(event)
            if plain is None:
                one = ConsentEventIn(data=event)
                if not one.is_valid():
                    break
                plain = one.validated_data
            checked.append(plain)
        else:
            return {"events": checked}
    serializer = ConsentBatchIn(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _plain_event(event) -> dict | None:
    """The event as `ConsentEventIn` would validate it, when it is plain; else None."""
    if type(event) is not dict or not event.keys() <= _PLAIN_KEYS:
        return None
    email, purpose, action, method = (
        event.get(k) for k in ("email", "purpose", "action", "method")
    )
    if not all(type(value) is str for value in (email, purpose, action, method)):
        return None
    action, method = _ACTIONS.get(action), _METHODS.get(method)
    if action is None or method is None or not _SLUG.fullmatch(purpose):
        return None
    if not _plain_strings([email], 254):
        return None
    try:
        validate_email(email)
    except DjangoValidationError:
        return None
    plain = {"email": email, "purpose": purpose, "action": action, "method": method}
    if "version" in event:
        version = event["version"]
        if type(version) is not int or version < 1:
            return None
        plain["version"] = version
    if "reference" in event:
        if not _plain_strings([event["reference"]], 100):
            return None
        plain["reference"] = event["reference"]
    return plain


class ConsentBatchOut(serializers.Serializer):
    """A batch goes through the ledger's batch path, which numbers its events in the call."""

    status = serializers.ChoiceField(LEDGER_STATUSES)
    recorded = serializers.IntegerField()
    first_sequence = serializers.IntegerField()
    last_sequence = serializers.IntegerField()


class EmailIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class CurrentConsent(serializers.Serializer):
    purpose = serializers.CharField()
    status = serializers.ChoiceField(Action.choices)
    since = utc_datetime()
    ledger_status = serializers.ChoiceField(LEDGER_STATUSES)
    sequence = serializers.IntegerField(
        allow_null=True,
        help_text=_("Het volgnummer van de laatste gebeurtenis; leeg in de wachtrij."),
    )
    receipt = serializers.DictField(
        allow_null=True,
        help_text=_(
            "Kantara Consent Receipt v1.1 (ISO/IEC TS 27560); leeg zolang de laatste gebeurtenis "
            "in de wachtrij staat."
        ),
    )


class SubjectConsentsOut(serializers.Serializer):
    subject_hash = serializers.CharField()
    consents = CurrentConsent(many=True)


class MayContactIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    purpose = serializers.SlugField()


class MayContactOut(serializers.Serializer):
    may_contact = serializers.BooleanField()


class AddressList(serializers.ListField):
    """A list of up to BULK_MAX addresses as strings (the child field says how long), checked
    without the child field per address when every one is a plain string the child would take as
    it is: ASCII, printable, no space around it to trim — the common case; for 100,000
    addresses the per-item field took longer than the query. Any other list goes through the child
    field item by item, so its errors (and its trimming) are exactly the field's."""

    def run_child_validation(self, data):
        if _plain_strings(data, self.child.max_length):
            return data
        return super().run_child_validation(data)


def _plain_strings(items, max_length: int) -> bool:
    """Whether every item is a string of at most `max_length` printable ASCII characters without
    surrounding space: what `CharField(trim_whitespace=True)` returns unchanged and accepts
    (the null and surrogate characters it refuses are not printable ASCII). In C, not per item."""
    try:
        joined = "".join(items)
    except TypeError:  # a number, a list, null among them: the child field says what is wrong
        return False
    return (
        joined.isascii()
        and joined.isprintable()
        and max(map(len, items), default=0) <= max_length
        and list(map(str.strip, items)) == list(items)
    )


class MayContactBulkIn(serializers.Serializer):
    purpose = serializers.SlugField()
    emails = AddressList(
        child=serializers.CharField(max_length=254, allow_blank=True),
        allow_empty=False,
        max_length=BULK_MAX,
    )


class RequestIn(serializers.Serializer):
    kind = serializers.ChoiceField(RequestKind.choices)
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False)


class RequestOut(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.ChoiceField(RequestKind.choices)
    status = serializers.ChoiceField(Status.choices)
    received_at = utc_datetime()
    due_on = serializers.DateField()
    target_on = serializers.DateField()
    extended_due_on = serializers.DateField(allow_null=True)
    closed_at = utc_datetime(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)


class SubscriptionIn(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(WebhookEvent.choices), allow_empty=False
    )


class SubscriptionOut(serializers.ModelSerializer):
    created_at = utc_datetime(read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "created_at"]


class SubscriptionCreated(SubscriptionOut):
    secret = serializers.CharField(help_text=_("Eenmalig getoond: bewaar het."))

    class Meta(SubscriptionOut.Meta):
        fields = [*SubscriptionOut.Meta.fields, "secret"]
