"""A task for a system outside this application carries its result (`task_record_result`): the
system's export (CSV, JSON or PDF, size-limited, checked, stored in the `uploads` storage),
"nothing found", or "erased, N records", each with a note; reopening the task removes it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from requests_desk.models import EventKind, TaskResult
from requests_desk.services import task_record_result, task_reopen

pytestmark = pytest.mark.django_db

CSV = b"klantnummer,naam\nK-1,Joke de Vries\n"


@pytest.fixture
def task(request_in_progress):
    return request_in_progress.tasks.exclude(system__slug="privacy-office").first()


def test_an_uploaded_export_is_stored_in_the_uploads_storage_and_ticks_the_task(task, agent):
    task = task_record_result(
        task=task,
        result_kind=TaskResult.EXPORTED,
        by=agent,
        note="Uit het CRM",
        file_name="CRM export.csv",
        file_content=CSV,
    )
    assert task.is_done and task.done_by == agent
    assert task.result_file.name.startswith("taakresultaten/")
    assert task.result_file.name.endswith("crm-export.csv")
    assert storages["uploads"].exists(task.result_file.name)
    with storages["uploads"].open(task.result_file.name) as stored:
        assert stored.read() == CSV
    event = task.request.events.get(kind=EventKind.TASK_RESULT)
    assert event.data == {"task": task.pk, "result": "exported", "records": None}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("export.csv", b"%PDF-1.7 not a csv\x00\xff"),
        ("export.json", b"{not json"),
        ("export.pdf", b"klant,naam\n"),
        ("export.exe", b"MZ\x90\x00"),
        ("export.xlsx", b"PK\x03\x04"),
        ("export.csv", b""),
    ],
)
def test_only_a_real_csv_json_or_pdf_is_taken(task, agent, name, content):
    with pytest.raises(ValidationError) as refused:
        task_record_result(
            task=task,
            result_kind=TaskResult.EXPORTED,
            by=agent,
            file_name=name,
            file_content=content,
        )
    assert refused.value.code in ("file_type", "file_content", "no_file")
    task.refresh_from_db()
    assert not task.is_done and not task.result_file


def test_json_and_pdf_exports_are_taken(request_in_progress, agent):
    first, second = request_in_progress.tasks.exclude(system__slug="privacy-office")[:2]
    task_record_result(
        task=first,
        result_kind="exported",
        by=agent,
        file_name="a.json",
        file_content=b'{"klant": "K-1"}',
    )
    task_record_result(
        task=second,
        result_kind="exported",
        by=agent,
        file_name="b.pdf",
        file_content=b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n",
    )


def test_an_export_over_the_size_limit_is_refused(task, agent, settings):
    settings.DESK_TASK_UPLOAD_MAX_MEGABYTES = 1
    big = b"a,b\n" + b"1,2\n" * (300 * 1024)
    with pytest.raises(ValidationError) as refused:
        task_record_result(
            task=task, result_kind="exported", by=agent, file_name="big.csv", file_content=big
        )
    assert refused.value.code == "too_large"


def test_erased_needs_the_number_of_records(task, agent):
    with pytest.raises(ValidationError) as refused:
        task_record_result(task=task, result_kind=TaskResult.ERASED, by=agent)
    assert refused.value.code == "count"
    task = task_record_result(
        task=task, result_kind=TaskResult.ERASED, records_count=12, note="Klantkaart", by=agent
    )
    assert (task.records_count, task.result_note) == (12, "Klantkaart")


def test_nothing_found_needs_no_file_and_counts_zero(task, agent):
    task = task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=agent)
    assert task.records_count == 0 and task.is_done
    with pytest.raises(ValidationError):
        task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=agent)


def test_reopening_a_task_removes_its_result_and_file(
    task, agent, django_capture_on_commit_callbacks
):
    task = task_record_result(
        task=task, result_kind="exported", by=agent, file_name="x.csv", file_content=CSV
    )
    name = task.result_file.name
    with django_capture_on_commit_callbacks(execute=True):
        task = task_reopen(task=task, by=agent)
    assert not task.result_kind and not task.result_file and task.records_count is None
    assert not storages["uploads"].exists(name)


def test_the_agent_uploads_an_export_on_the_request_page(client_as, task):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("agent")
    response = client.post(
        f"/desk/{task.request.reference}/taken/{task.pk}/resultaat/",
        {
            "result_kind": "exported",
            "note": "Klantkaart",
            "export": SimpleUploadedFile("crm.csv", CSV, content_type="text/csv"),
        },
        follow=True,
    )
    assert "Het resultaat is vastgelegd" in response.content.decode()
    task.refresh_from_db()
    assert task.result_kind == "exported" and task.result_file


def test_a_wrong_file_on_the_request_page_comes_back_as_a_message(client_as, task):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as("agent").post(
        f"/desk/{task.request.reference}/taken/{task.pk}/resultaat/",
        {"result_kind": "exported", "export": SimpleUploadedFile("x.pdf", b"no pdf")},
        follow=True,
    )
    assert "geen geldig PDF-bestand" in response.content.decode()
