"""Letters follow decisions: the desk's letter page sends by hand only the letters that carry no
decision (acknowledgement, identity check, a free-text letter by someone the officer allowed);
every letter that reports a decision is refused there, whatever the role or the state, and goes out
only from the service that takes the decision. Letter kind × role × state."""

import pytest
from django.core.exceptions import ValidationError

from requests_desk.models import (
    DECISION_LETTERS,
    HAND_LETTERS,
    DataSubjectRequest,
    LetterKind,
    OutboxMessage,
    Status,
)
from requests_desk.services import letter_send
from tests.factories import open_request

pytestmark = pytest.mark.django_db

STATES = (
    Status.NEW,
    Status.IDENTITY_PENDING,
    Status.IN_PROGRESS,
    Status.AWAITING_REQUESTER,
    Status.COMPLETED,
    Status.REJECTED,
    Status.WITHDRAWN,
)
ROLES = ("agent", "privacy_officer", "auditor", "system")


def expected_refusal(kind: str, role: str, state: str) -> str | None:
    """The refusal's code, or None when the letter goes out."""
    if kind in DECISION_LETTERS:
        return "decision_letter"
    if role == "auditor":
        return "not_permitted"
    if state not in (
        Status.NEW,
        Status.IDENTITY_PENDING,
        Status.IN_PROGRESS,
        Status.AWAITING_REQUESTER,
    ):
        return "closed"
    if kind == LetterKind.FREE_TEXT and role == "agent":
        return "not_permitted"  # the privacy officer has not allowed this agent
    return None


@pytest.fixture
def in_state(register):
    def make(state):
        request = open_request()
        closed = state in (Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN)
        DataSubjectRequest.objects.filter(pk=request.pk).update(
            status=state, closed_at=request.received_at if closed else None
        )
        request.refresh_from_db()
        return request

    return make


def test_every_kind_is_either_a_hand_letter_or_a_decision_letter():
    assert set(HAND_LETTERS) | set(DECISION_LETTERS) == set(LetterKind.values)
    assert not set(HAND_LETTERS) & set(DECISION_LETTERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", LetterKind.values)
def test_the_letter_page_sends_only_letters_without_a_decision(request, in_state, kind, role):
    by = None if role == "system" else request.getfixturevalue(role)
    for state in STATES:
        desk_request = in_state(state)
        before = OutboxMessage.objects.count()
        refusal = expected_refusal(kind, role, state)
        if refusal is None:
            letter_send(request=desk_request, kind=kind, by=by, tekst="Wij bellen u morgen.")
            assert OutboxMessage.objects.filter(request=desk_request, letter_kind=kind).exists()
            continue
        with pytest.raises(ValidationError) as refused:
            letter_send(request=desk_request, kind=kind, by=by, tekst="Wij bellen u morgen.")
        assert (state, refused.value.code) == (state, refusal)
        assert OutboxMessage.objects.count() == before


def test_the_refusal_says_why_in_dutch_and_in_english(register, agent):
    from django.utils import translation

    desk_request = open_request()
    with pytest.raises(ValidationError, match="meldt een beslissing en gaat alleen mee"):
        letter_send(request=desk_request, kind=LetterKind.EXTENSION, by=agent)
    with (
        translation.override("en"),
        pytest.raises(
            ValidationError, match="reports a decision and goes out only with that decision"
        ),
    ):
        letter_send(request=desk_request, kind=LetterKind.EXTENSION, by=agent)


def test_a_free_text_letter_needs_its_text(register, privacy_officer):
    with pytest.raises(ValidationError) as refused:
        letter_send(request=open_request(), kind=LetterKind.FREE_TEXT, by=privacy_officer)
    assert refused.value.code == "missing_data"


def test_the_officer_allows_an_agent_free_text_letters(register, agent):
    from django.contrib.auth.models import Permission

    agent.user_permissions.add(Permission.objects.get(codename="send_free_text_letter"))
    agent = type(agent).objects.get(pk=agent.pk)  # permissions are cached on the instance
    desk_request = open_request()
    message = letter_send(
        request=desk_request, kind=LetterKind.FREE_TEXT, by=agent, tekst="Wij bellen u morgen."
    )
    assert "Wij bellen u morgen." in message.body


# --- the desk's pages --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DECISION_LETTERS)
@pytest.mark.parametrize("role", ["agent", "privacy_officer"])
def test_the_desk_refuses_to_send_a_decision_letter(client_as, register, kind, role):
    desk_request = open_request()
    response = client_as(role).post(
        f"/desk/{desk_request.reference}/brief/{kind}/versturen/", follow=True
    )
    assert "meldt een beslissing" in response.content.decode()
    assert not OutboxMessage.objects.filter(letter_kind=kind).exists()


@pytest.mark.parametrize("kind", DECISION_LETTERS)
def test_the_desk_does_not_preview_a_decision_letter(client_as, register, kind):
    desk_request = open_request()
    response = client_as("agent").get(f"/desk/{desk_request.reference}/brief/{kind}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/desk/{desk_request.reference}/"
    assert "meldt een beslissing" in response.content.decode()


def test_the_request_page_offers_only_letters_without_a_decision(client_as, register):
    desk_request = open_request()
    page = client_as("agent").get(f"/desk/{desk_request.reference}/").content.decode()
    for kind in HAND_LETTERS:
        assert f"/brief/{kind}/" in page
    for kind in DECISION_LETTERS:
        assert f"/brief/{kind}/" not in page


def test_a_free_text_letter_is_previewed_then_sent_by_the_officer(client_as, register):
    desk_request = open_request()
    client = client_as("privacy_officer")
    url = f"/desk/{desk_request.reference}/brief/free_text/"
    page = client.get(url, {"tekst": "Wij bellen u morgen terug."}).content.decode()
    assert "Wij bellen u morgen terug." in page and "Deze brief versturen" in page
    client.post(url + "versturen/", {"tekst": "Wij bellen u morgen terug."})
    assert "Wij bellen u morgen terug." in OutboxMessage.objects.get(letter_kind="free_text").body


def test_an_agent_sees_no_send_button_for_a_free_text_letter(client_as, register):
    desk_request = open_request()
    page = (
        client_as("agent")
        .get(f"/desk/{desk_request.reference}/brief/free_text/", {"tekst": "Hallo"})
        .content.decode()
    )
    assert "Deze brief versturen" not in page and "privacy officer dat toestaat" in page
