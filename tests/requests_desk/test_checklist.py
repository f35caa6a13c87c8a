"""The checklist comes from the register: one task per system of every active processing activity
that holds a findable person's data and is relevant to the kind of request."""

import pytest
from django.core.exceptions import ValidationError

from privacy_register.models import ProcessingActivity
from requests_desk.checklist import VERBS, tasks_for
from requests_desk.models import RequestKind, RequestTask
from requests_desk.services import task_complete, task_reopen, tasks_complete
from tests.factories import DataSubjectRequestFactory, open_request

pytestmark = pytest.mark.django_db


def expected_pairs(kind):
    pairs = set()
    for activity in ProcessingActivity.objects.active().filter(is_searchable_by_subject=True):
        # A general objection (Art. 21(1)) concerns the activities resting on a legitimate interest.
        relevant = (
            activity.legal_basis == "legitimate_interest"
            if kind == RequestKind.OBJECTION
            else kind in activity.request_kinds
        )
        if relevant:
            systems = [s.pk for s in activity.systems.all()] or [None]
            pairs |= {(activity.pk, system) for system in systems}
    return pairs


@pytest.mark.parametrize("kind", RequestKind.values)
def test_each_kind_gets_a_task_per_relevant_activity_and_system(register, kind):
    request = open_request(kind=kind)
    actual = [(t.activity_id, t.system_id) for t in request.tasks.all()]
    assert len(actual) == len(set(actual))  # no duplicates
    assert set(actual) == expected_pairs(kind) and actual


def test_an_access_request_covers_more_than_an_opt_out(register):
    access = open_request(kind=RequestKind.ACCESS)
    opt_out = open_request(kind=RequestKind.OBJECTION_DIRECT_MARKETING)
    access_slugs = set(access.tasks.values_list("activity__slug", flat=True))
    opt_out_slugs = set(opt_out.tasks.values_list("activity__slug", flat=True))
    assert "verkoop-en-levering" in access_slugs - opt_out_slugs
    assert "marketing-email" in opt_out_slugs


def test_retired_draft_and_unsearchable_activities_get_no_task(register):
    retired = ProcessingActivity.objects.get(slug="marketing-email")
    retired.status = "retired"
    retired.save()
    hidden = ProcessingActivity.objects.get(slug="klantenservice")
    hidden.is_searchable_by_subject = False
    hidden.save()
    request = open_request(kind=RequestKind.ACCESS)
    slugs = set(request.tasks.values_list("activity__slug", flat=True))
    assert not slugs & {"marketing-email", "klantenservice"}


def test_an_activity_without_systems_gets_one_task_for_the_activity(register):
    activity = ProcessingActivity.objects.get(slug="verkoop-en-levering")
    activity.systems.clear()
    request = open_request(kind=RequestKind.ERASURE)
    tasks = list(request.tasks.filter(activity=activity))
    assert len(tasks) == 1 and tasks[0].system is None
    assert tasks[0].title == f"{VERBS['erasure']}: {activity.name}"


def test_a_task_title_says_what_to_do_where(register):
    request = open_request(kind=RequestKind.PORTABILITY)
    task = request.tasks.exclude(system=None).first()
    assert task.title == (f"{VERBS['portability']}: {task.activity.name} — {task.system.name}")


def test_the_checklist_is_built_in_a_fixed_number_of_queries_whatever_the_register(
    register, django_assert_num_queries
):
    request = DataSubjectRequestFactory(kind=RequestKind.ACCESS)
    # The activities, their systems, and the systems a connector carries out (connectors).
    with django_assert_num_queries(3):
        tasks = tasks_for(request)
    assert tasks


# --- ticking the tasks (requests_desk.services.checklist) -------------------------------------


def test_a_task_is_ticked_once_and_can_be_reopened(request_in_progress, agent):
    task = request_in_progress.tasks.first()
    task_complete(task=task, by=agent)
    with pytest.raises(ValidationError, match="al afgevinkt"):
        task_complete(task=task, by=agent)
    task = task_reopen(task=task, by=agent)
    assert task.done_at is None
    assert request_in_progress.events.filter(kind="task_reopened").exists()


def test_many_tasks_are_ticked_off_in_one_post(client_as, request_in_progress, agent):
    tasks = list(request_in_progress.tasks.order_by("pk"))
    chosen = [t.pk for t in tasks[:-1]]
    response = client_as("agent").post(
        f"/desk/{request_in_progress.reference}/taken/", {"tasks": chosen}, follow=True
    )
    assert f"{len(chosen)} taken afgevinkt." in response.content.decode()
    assert set(
        request_in_progress.tasks.filter(done_at__isnull=False).values_list("pk", flat=True)
    ) == set(chosen)
    assert request_in_progress.events.filter(kind="task_done").count() == len(chosen)
    assert RequestTask.history.filter(id__in=chosen, done_by=agent).count() == len(chosen)


def test_ticking_none_or_only_done_tasks_is_refused(request_in_progress, agent):
    with pytest.raises(ValidationError) as refused:
        tasks_complete(request=request_in_progress, task_ids=[], by=agent)
    assert refused.value.code == "none"
    task = request_in_progress.tasks.first()
    task_complete(task=task, by=agent)
    with pytest.raises(ValidationError) as refused:
        tasks_complete(request=request_in_progress, task_ids=[task.pk], by=agent)
    assert refused.value.code == "done"


def test_the_checklist_page_has_one_form_and_its_script_comes_from_this_site(
    client_as, request_in_progress
):
    page = client_as("agent").get(f"/desk/{request_in_progress.reference}/")
    html = page.content.decode()
    assert html.count('name="tasks"') == request_in_progress.tasks.count()
    assert '<script src="/static/js/checklist.js" defer></script>' in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
