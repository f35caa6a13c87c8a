"""The auditor's day in a real browser (Playwright driving Debian's chromium): log in, export the
register's history to XLSX from the admin, open the file, and find the officer's edit in it —
and find no way to change anything."""

import hashlib

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.roles import AUDITOR, setup_roles
from audit_exports.models import ExportJob
from privacy_register.models import ProcessingActivity
from tests.conftest import browser_log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_exports_history_and_opens_the_file(page, live_server, screenshots, tmp_path):
    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    activity = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    activity.purposes = "Gewijzigd voor de audit."
    activity.save()
    UserFactory(username="anna", role=AUDITOR)

    browser_log_in(page, live_server, "anna")
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/admin/audit_exports/exportjob/nieuw/")
    page.locator('input[value="privacy_register.historicalprocessingactivity"]').check()
    page.locator('input[name="format"][value="xlsx"]').check()
    page.screenshot(path=screenshots / "auditor-export.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporteren").click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)

    rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].values)
    assert len(rows) - 1 == ProcessingActivity.history.count()
    assert any("Gewijzigd voor de audit." in map(str, row) for row in rows[1:])
    logged = ExportJob.objects.get()  # the export itself is logged, with the file's hash
    assert logged.created_by.username == "anna"
    assert logged.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()

    page.goto(f"{live_server.url}/admin/privacy_register/processingactivity/{activity.pk}/change/")
    assert page.get_by_role("button", name="Opslaan").count() == 0  # looking only


def test_a_large_export_shows_its_progress_and_offers_the_file(
    page, live_server, settings, monkeypatch
):
    """Past the inline limit the export runs as a job; the progress page (its script polls the
    status URL) moves the bar and shows the download link once the job is done."""
    from audit_exports import services
    from audit_exports.jobs import export_run

    settings.AUDIT_EXPORT_INLINE_MAX_ROWS = 1
    queued = []
    monkeypatch.setattr(services.export_run_task, "delay", queued.append)  # no worker here
    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    UserFactory(username="anna", role=AUDITOR)

    browser_log_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/admin/audit_exports/exportjob/nieuw/")
    page.locator('input[value="privacy_register.historicalprocessingactivity"]').check()
    page.locator('input[name="format"][value="csv"]').check()
    page.get_by_role("button", name="Exporteren").click()

    page.wait_for_url("**/voortgang/")
    download = page.get_by_role("link", name="Bestand downloaden")
    expect(download).to_be_hidden()
    [job_id] = queued
    export_run(job_id=job_id)  # the worker's part

    expect(download).to_be_visible(timeout=10_000)  # the script polled and showed it
    expect(page.locator("#export-progress")).to_have_attribute(
        "value", str(ProcessingActivity.history.count())
    )
    with page.expect_download() as file:
        download.click()
    assert file.value.suggested_filename.endswith(".csv")
