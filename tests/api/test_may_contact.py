""" "May we contact?", one address and a campaign's list: yes only for a given consent; a
restriction, an erasure (matched by the keyed hash), a withdrawal, an objection and an expired
soft opt-in all answer no, exactly as an unknown address does, so no answer tells whether we know
an address."""

import datetime as dt

import pytest

from api.serializers import BULK_MAX
from consents.jobs import soft_opt_in_expire
from consents.models import Action, Method
from consents.personal_data import erase
from consents.services import (
    consent_give,
    consents_record,
    subject_get_or_create,
    subject_restrict,
)
from consents.sources import Person
from tests.api.conftest import call, lines

pytestmark = pytest.mark.django_db


def bulk(client, key, purpose: str, emails: list[str]):
    return call(
        client, "post", "/api/v1/may-contact/bulk/", key, {"purpose": purpose, "emails": emails}
    )


def _given(email, purpose):
    subject = subject_get_or_create(email=email)
    consent_give(subject=subject, purpose=purpose, method=Method.WEB_FORM)
    return subject


@pytest.fixture
def people(newsletter, marketing):
    """One person per reason to answer no, and one who may be mailed."""
    _given("ja@example.nl", newsletter)
    subject_restrict(subject=_given("beperkt@example.nl", newsletter), by=None, reason="art. 18")
    erased = _given("gewist@example.nl", newsletter)
    erase(Person(email="gewist@example.nl", subject=erased), by=None, reason="art. 17")
    call_withdrawn = _given("ingetrokken@example.nl", newsletter)
    consents_record(
        pairs=[(call_withdrawn.pk, newsletter.pk)], action=Action.WITHDRAWN, method=Method.PHONE
    )
    # An objection to direct marketing: the desk's close-out withdraws every marketing purpose.
    objected = _given("bezwaar@example.nl", newsletter)
    consents_record(
        pairs=[(objected.pk, newsletter.pk)],
        action=Action.WITHDRAWN,
        method=Method.REQUEST,
        reference="AVG-2026-00001",
    )
    lapsed = _given("verlopen@example.nl", marketing)
    lapsed.customer_until = dt.date.today() - dt.timedelta(days=3 * 365)
    lapsed.save()
    assert soft_opt_in_expire() == 1
    _given("anderdoel@example.nl", marketing)  # known, but not for the newsletter


NO = [
    ("beperkt@example.nl", "nieuwsbrief"),
    ("gewist@example.nl", "nieuwsbrief"),
    ("ingetrokken@example.nl", "nieuwsbrief"),
    ("bezwaar@example.nl", "nieuwsbrief"),
    ("verlopen@example.nl", "marketing"),
    ("anderdoel@example.nl", "nieuwsbrief"),
    ("onbekend@example.nl", "nieuwsbrief"),
]


def test_only_a_given_consent_answers_yes_one_by_one(client, key, people):
    def ask(email, purpose):
        response = call(
            client, "post", "/api/v1/may-contact/", key, {"email": email, "purpose": purpose}
        )
        assert response.status_code == 200
        return response.content

    assert ask("JA@Example.nl", "nieuwsbrief") == b'{"may_contact":true}'
    for email, purpose in NO:
        assert ask(email, purpose) == b'{"may_contact":false}', email


def test_the_bulk_check_streams_one_line_per_address_in_order(client, key, people):
    emails = ["ja@example.nl"] + [email for email, purpose in NO if purpose == "nieuwsbrief"]
    emails += ["geen adres", ""]
    response = bulk(client, key, "nieuwsbrief", emails)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/x-ndjson"
    answers = lines(response)
    assert [a["email"] for a in answers] == emails
    assert [a["may_contact"] for a in answers] == [True] + [False] * (len(emails) - 1)
    # Every "no" line has the same keys and types as any other: nothing tells known from unknown.
    assert {tuple(sorted(a)) for a in answers} == {("email", "may_contact")}


def test_an_expired_consent_answers_no_in_bulk_too(client, key, people):
    response = bulk(client, key, "marketing", ["verlopen@example.nl", "anderdoel@example.nl"])
    assert [a["may_contact"] for a in lines(response)] == [False, True]


def test_the_bulk_check_takes_at_most_100000_addresses(client, key, newsletter):
    emails = [f"p{i}@example.nl" for i in range(BULK_MAX + 1)]
    refused = bulk(client, key, "nieuwsbrief", emails)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "max_length"


def test_an_address_the_fast_check_cannot_take_is_checked_as_the_field_checks_it(
    client, key, people
):
    # Surrounding space is trimmed and a non-ASCII address taken, as CharField does; the answer
    # names the address it checked.
    emails = [" ja@example.nl ", "jä@example.nl", "ja@example.nl"]
    response = bulk(client, key, "nieuwsbrief", emails)
    assert [(a["email"], a["may_contact"]) for a in lines(response)] == [
        ("ja@example.nl", True),
        ("jä@example.nl", False),
        ("ja@example.nl", True),
    ]


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ("x" * 255, "max_length"),
        (None, "null"),
        (["a@example.nl"], "invalid"),
        ("a\x00b", "null_characters_not_allowed"),
    ],
)
def test_a_bad_address_in_the_list_is_refused_by_its_place(client, key, newsletter, bad, code):
    response = bulk(client, key, "nieuwsbrief", ["a@example.nl", bad])
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("emails.1", code)]


def test_the_bulk_check_of_100000_addresses_is_a_fixed_number_of_queries(
    client, key, newsletter, django_assert_max_num_queries
):
    emails = [f"p{i}@example.nl" for i in range(BULK_MAX)]
    with django_assert_max_num_queries(
        40
    ):  # a chunk of 5,000 addresses a query: 20, and the call's own
        response = bulk(client, key, "nieuwsbrief", emails)
        assert sum(1 for _line in b"".join(response.streaming_content).splitlines()) == BULK_MAX


def test_an_unknown_purpose_is_refused_whoever_is_asked(client, key, people):
    for email in ("ja@example.nl", "onbekend@example.nl"):
        response = call(
            client, "post", "/api/v1/may-contact/", key, {"email": email, "purpose": "geen"}
        )
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"code": "unknown_purpose", "detail": "Onbekend doel 'geen'.", "attr": "purpose"}
        ]
