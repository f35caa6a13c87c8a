"""The whole answer before "done": the access package and the erasure confirmation wait until
every system outside this application has answered; the uploaded exports go into the ZIP under
the system's name and are listed in the summary; the officer may answer earlier with a reason and
a date, which the letter tells; the letter says truthfully what was done where."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consents.services import subject_get_or_create
from requests_desk.models import EventKind, OutboxMessage, TaskResult
from requests_desk.services import answer_override, task_record_result
from subject_rights.services import erasure_carry_out, package_build, package_order
from tests.subject_rights.conftest import EMAIL, NAME, verified

pytestmark = pytest.mark.django_db

CRM_EXPORT = f"klantnummer,naam,e-mailadres\nK-10442,{NAME},{EMAIL}\n".encode()


def outside(request):
    return list(request.tasks.exclude(system__slug="privacy-office").select_related("system"))


def open_zip(package) -> zipfile.ZipFile:
    with package.file.open("rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


def answer_all(request, by, *, crm_file=True):
    for task in outside(request):
        if crm_file and task.system and task.system.slug == "crm" and not task.is_done:
            task_record_result(
                task=task,
                result_kind=TaskResult.EXPORTED,
                by=by,
                file_name="klantkaart.csv",
                file_content=CRM_EXPORT,
            )
            crm_file = False
        elif not task.is_done:
            task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=by)


@pytest.fixture
def access(register):
    subject_get_or_create(email=EMAIL, name=NAME)
    return verified("access", answered=False)


def test_the_package_waits_for_every_system_outside_this_application(access, agent):
    with pytest.raises(ValidationError) as refused:
        package_order(request=access, by=agent)
    assert refused.value.code == "open_tasks"
    assert "CRM en klantadministratie" in refused.value.messages[0]
    # The worker's build waits too (one wait with the connected systems'), and says for what.
    assert package_build(request=access) is None
    assert access.events.filter(
        text__startswith="Wacht op:", text__contains="CRM en klantadministratie"
    ).exists()
    answer_all(access, agent)
    package_order(request=access, by=agent)  # now accepted


def test_the_zip_holds_each_uploaded_export_under_the_systems_name(access, agent):
    answer_all(access, agent)
    archive = open_zip(package_build(request=access))
    exports = [n for n in archive.namelist() if n.startswith("crm-en-klantadministratie/")]
    assert len(exports) == 1 and exports[0].endswith("klantkaart.csv")
    assert archive.read(exports[0]) == CRM_EXPORT
    summary = archive.read("samenvatting.txt").decode()
    assert "PER SYSTEEM" in summary
    assert (
        f"CRM en klantadministratie: de export van dit systeem zit in het pakket ({exports[0]})"
        in summary
    )
    assert "Webstatistieken: geen gegevens van u gevonden" in summary
    assert "Privacy Office (deze applicatie): de gegevens uit deze applicatie staan" in summary


def test_the_letter_says_what_was_done_where(access, agent):
    answer_all(access, agent)
    package_build(request=access)
    letter = OutboxMessage.objects.get(request=access, letter_kind="access_package")
    assert "Wat wij per systeem hebben gedaan:" in letter.body
    assert "- CRM en klantadministratie: de export van dit systeem zit in het pakket" in letter.body
    assert "- Onderzoekstool: geen gegevens van u gevonden" in letter.body
    assert "nog niet klaar" not in letter.body
    assert access.tasks.filter(done_at__isnull=True).count() == 0  # this application's task too


def test_the_officer_may_answer_earlier_with_a_reason_and_the_date_the_rest_follows(
    access, agent, privacy_officer
):
    for task in outside(access):
        if task.system.slug != "onderzoekstool":
            task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=agent)
    with pytest.raises(ValidationError) as refused:
        answer_override(
            request=access,
            reason="Het onderzoeksbureau levert later.",
            still_coming_on=timezone.localdate(),
            by=agent,
        )
    assert refused.value.code == "not_permitted"
    with pytest.raises(ValidationError):
        answer_override(
            request=access,
            reason="",
            still_coming_on=timezone.localdate(),
            by=privacy_officer,
        )
    day = timezone.localdate() + dt.timedelta(days=10)
    answer_override(
        request=access,
        reason="Het onderzoeksbureau levert de export later.",
        still_coming_on=day,
        by=privacy_officer,
    )
    event = access.events.get(kind=EventKind.ANSWER_OVERRIDE)
    assert event.by == privacy_officer and event.data["still_coming_on"] == day.isoformat()
    package_build(request=access)
    letter = OutboxMessage.objects.get(request=access, letter_kind="access_package")
    from django.utils import formats, translation

    with translation.override("nl"):
        spoken = formats.date_format(day, "j F Y")
    assert f"- Onderzoekstool: nog niet klaar; u ontvangt dit uiterlijk {spoken}" in letter.body


def test_an_override_covers_only_the_tasks_open_when_it_was_given(access, agent, privacy_officer):
    answer_override(
        request=access,
        reason="Later.",
        still_coming_on=timezone.localdate(),
        by=privacy_officer,
    )
    task = outside(access)[0]
    task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=agent)
    from requests_desk.services import task_reopen

    task_reopen(task=task, by=agent)  # still covered: it was open when the officer decided
    package_build(request=access)


def test_the_erasure_waits_for_every_system_and_the_letter_says_what_each_erased(
    register, privacy_officer, agent
):
    subject_get_or_create(email=EMAIL, name=NAME)
    erasure = verified("erasure", answered=False)
    with pytest.raises(ValidationError) as refused:
        erasure_carry_out(request=erasure, by=privacy_officer)
    assert refused.value.code == "open_tasks"
    for task in outside(erasure):
        if task.system and task.system.slug == "webshop":
            task_record_result(task=task, result_kind=TaskResult.ERASED, records_count=7, by=agent)
        elif not task.is_done:
            task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=agent)
    erasure_carry_out(request=erasure, by=privacy_officer)
    letter = OutboxMessage.objects.get(request=erasure, letter_kind="erasure")
    assert "- Webshop en orderverwerking: verwijderd (7 records)" in letter.body
    assert "- CRM en klantadministratie: geen gegevens van u gevonden" in letter.body


def test_the_erasure_letter_tells_what_is_still_to_be_erased_and_when(
    register, privacy_officer, agent
):
    subject_get_or_create(email=EMAIL, name=NAME)
    erasure = verified("erasure", answered=False)
    day = timezone.localdate() + dt.timedelta(days=5)
    answer_override(
        request=erasure, reason="Back-ups roteren", still_coming_on=day, by=privacy_officer
    )
    erasure_carry_out(request=erasure, by=privacy_officer)
    letter = OutboxMessage.objects.get(request=erasure, letter_kind="erasure")
    assert "nog niet verwijderd; dat gebeurt uiterlijk" in letter.body


def test_the_request_page_shows_what_the_answer_waits_for(client_as, access):
    page = client_as("agent").get(f"/desk/{access.reference}/").content.decode()
    assert "Het antwoord wacht op deze systemen:" in page
    assert "Inzagepakket maken en link versturen" not in page
    assert "Resultaat van het systeem vastleggen" in page
    answer_all(access, None)
    page = client_as("agent").get(f"/desk/{access.reference}/").content.decode()
    assert "Het antwoord wacht op deze systemen:" not in page
    assert "Inzagepakket maken en link versturen" in page


def test_only_the_officer_sees_the_override_form(client, agent, privacy_officer, access):
    client.force_login(agent)
    assert (
        "Antwoorden voordat alle systemen klaar zijn"
        not in client.get(f"/desk/{access.reference}/").content.decode()
    )
    client.force_login(privacy_officer)
    response = client.post(
        f"/desk/{access.reference}/eerder-antwoorden/",
        {"reason": "CRM ligt eruit", "still_coming_on": "2099-01-01"},
        follow=True,
    )
    assert "het antwoord mag eerder" in response.content.decode()
    assert "de rest volgt uiterlijk 1 januari 2099" in response.content.decode()
