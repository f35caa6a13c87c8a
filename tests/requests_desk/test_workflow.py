"""Every transition of the table: allowed from its sources, refused from every other status, and
only for the roles that may take it."""

import pytest
from django.core.exceptions import ValidationError

from requests_desk import workflow
from requests_desk.models import IdentityStatus, Status
from requests_desk.services import request_complete, request_reject, request_transition
from tests.factories import DataSubjectRequestFactory

pytestmark = pytest.mark.django_db

PLAIN = [t for t in workflow.TRANSITIONS if t.action not in ("complete", "reject")]


def a_request(status, verified=True):
    return DataSubjectRequestFactory(
        status=status,
        identity_status=IdentityStatus.VERIFIED if verified else IdentityStatus.UNVERIFIED,
        identity_method="email" if verified else "",
        closed_at=None if status in workflow.OPEN_STATUSES else "2026-11-20T10:00Z",
    )


@pytest.mark.parametrize(
    ("transition", "source"), [(t, s) for t in PLAIN for s in t.sources], ids=str
)
def test_an_allowed_transition_moves_the_request(transition, source, agent):
    request = a_request(source)
    request_transition(request=request, action=transition.action, by=agent)
    request.refresh_from_db()
    assert request.status == transition.target
    assert request.events.filter(kind="status", data__target=transition.target).exists()


@pytest.mark.parametrize(
    ("transition", "source"),
    [(t, s) for t in PLAIN for s in Status.values if s not in t.sources],
    ids=str,
)
def test_a_transition_from_any_other_status_is_refused(transition, source, agent):
    request = a_request(source)
    with pytest.raises(ValidationError) as refused:
        request_transition(request=request, action=transition.action, by=agent)
    assert "kan niet bij een verzoek met status" in str(refused.value)
    request.refresh_from_db()
    assert request.status == source and not request.events.exists()


def test_work_cannot_start_before_the_identity_is_verified(agent):
    request = a_request(Status.NEW, verified=False)
    with pytest.raises(ValidationError, match="identiteit"):
        request_transition(request=request, action="start", by=agent)


def test_an_agent_may_not_reject(agent):
    request = a_request(Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="alleen de privacy officer"):
        request_reject(request=request, reasons="Kennelijk ongegrond.", by=agent)


def test_the_buttons_follow_the_table_and_the_role(agent, privacy_officer):
    request = a_request(Status.IN_PROGRESS)
    assert [t.action for t in workflow.actions_for(request, agent)] == [
        "await_requester",
        "complete",
        "withdraw",
    ]
    assert "reject" in [t.action for t in workflow.actions_for(request, privacy_officer)]


def test_a_closed_request_offers_no_actions(privacy_officer):
    request = a_request(Status.COMPLETED)
    assert workflow.actions_for(request, privacy_officer) == []


COMPLETE = workflow.BY_ACTION["complete"]
REJECT = workflow.BY_ACTION["reject"]


@pytest.mark.parametrize("source", Status.values)
def test_completing_is_allowed_only_from_the_tables_sources(source, agent):
    request = a_request(source)
    if source in COMPLETE.sources:
        request = request_complete(request=request, by=agent, outcome="Gegevens verstrekt.")
        assert request.status == COMPLETE.target and request.closed_at
        return
    with pytest.raises(ValidationError, match="kan niet bij een verzoek met status"):
        request_complete(request=request, by=agent, outcome="Gegevens verstrekt.")
    request.refresh_from_db()
    assert request.status == source


@pytest.mark.parametrize("source", Status.values)
def test_rejecting_is_allowed_only_from_the_tables_sources(source, privacy_officer):
    request = a_request(source)
    if source in REJECT.sources:
        request = request_reject(
            request=request, reasons="Kennelijk ongegrond.", by=privacy_officer
        )
        assert request.status == REJECT.target and request.closed_at
        assert request.outcome == "Kennelijk ongegrond."
        return
    with pytest.raises(ValidationError, match="kan niet bij een verzoek met status"):
        request_reject(request=request, reasons="Kennelijk ongegrond.", by=privacy_officer)


@pytest.mark.parametrize(
    ("transition", "role"),
    [(t, role) for t in workflow.TRANSITIONS for role in ("agent", "privacy_officer", "auditor")],
    ids=str,
)
def test_who_may_take_each_transition_follows_the_table(transition, role, request):
    user = request.getfixturevalue(role)
    desk_request = a_request(transition.sources[-1])
    may = {
        "privacy_officer": True,
        "agent": transition.permission == workflow.WORK,
        "auditor": False,
    }[role]
    assert (transition in workflow.actions_for(desk_request, user)) is may
    if not may:
        with pytest.raises(ValidationError) as refused:
            workflow.check(desk_request, transition.action, user)
        assert refused.value.code == "not_permitted"


def test_an_unknown_action_is_refused(agent):
    with pytest.raises(ValidationError, match="Onbekende actie"):
        request_transition(request=a_request(Status.NEW), action="archive", by=agent)


def test_complete_and_reject_go_through_their_own_services(agent):
    with pytest.raises(ValidationError, match="afronden of afwijzen"):
        request_transition(request=a_request(Status.IN_PROGRESS), action="complete", by=agent)


def test_the_table_reaches_every_status_and_closes_only_into_closed_ones():
    targets = {t.target for t in workflow.TRANSITIONS}
    assert targets | {Status.NEW} == set(Status.values)
    for transition in workflow.TRANSITIONS:
        assert set(transition.sources) <= set(workflow.OPEN_STATUSES)
