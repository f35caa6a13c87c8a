"""In a real browser (Playwright driving Debian's chromium): an access request whose checklist
has a task for a system outside this application gets its package only after the agent has
uploaded that system's export, and the ZIP holds the export under the system's name."""

import io
import zipfile

import pytest

from requests_desk.models import TaskResult
from requests_desk.services import request_verify_identity, task_record_result
from subject_rights import services
from subject_rights.models import AccessPackage
from subject_rights.tasks import build_access_package
from tests.conftest import browser_log_in
from tests.factories import UserFactory, open_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT = b"klantnummer,naam,e-mailadres\nK-10442,Joke de Vries,joke@school.example\n"


def test_the_package_waits_for_the_outside_systems_export_and_holds_it(
    page, live_server, screenshots, tmp_path, monkeypatch
):
    from django.core.management import call_command

    from accounts.roles import AGENT, setup_roles

    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    UserFactory(username="kees", first_name="Kees", last_name="de Boer", role=AGENT)
    request = request_verify_identity(request=open_request(), method="email", by=None)
    crm = request.tasks.filter(system__slug="crm").order_by("pk").first()
    for task in request.tasks.exclude(system__slug="privacy-office").exclude(pk=crm.pk):
        task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=None)
    # The build is handed to a worker at commit; the test is that worker (below).
    handed = []
    monkeypatch.setattr(
        services.current_app, "send_task", lambda name, args: handed.append((name, args))
    )

    browser_log_in(page, live_server, "kees")
    page.goto(f"{live_server.url}/desk/{request.reference}/")
    assert "Het antwoord wacht op deze systemen:" in page.inner_text("main")
    assert "CRM en klantadministratie" in page.inner_text("main")
    assert page.get_by_role("button", name="Inzagepakket maken en link versturen").count() == 0

    export = tmp_path / "crm-export.csv"
    export.write_bytes(EXPORT)
    page.get_by_text("Resultaat van het systeem vastleggen").click()
    page.locator(f"#id_result_kind_{crm.pk}").select_option(TaskResult.EXPORTED)
    page.locator(f"#id_export_{crm.pk}").set_input_files(str(export))
    page.locator(f"#id_result_note_{crm.pk}").fill("Klantkaart en orders uit het CRM")
    page.get_by_role("button", name="Resultaat vastleggen").click()
    page.get_by_text("Het resultaat is vastgelegd").wait_for()
    assert "Het antwoord wacht op deze systemen:" not in page.inner_text("main")
    page.screenshot(path=str(screenshots / "desk-task-result.png"), full_page=True)

    page.get_by_role("button", name="Inzagepakket maken en link versturen").click()
    page.get_by_text("Het inzagepakket wordt gemaakt").wait_for()
    assert handed == [(services.BUILD_TASK, [request.pk])]
    build_access_package(request.pk)

    package = AccessPackage.objects.get(request=request)
    with package.file.open("rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    [path] = [n for n in archive.namelist() if n.startswith("crm-en-klantadministratie/")]
    assert path.endswith("crm-export.csv") and archive.read(path) == EXPORT
    summary = archive.read("samenvatting.txt").decode()
    assert f"CRM en klantadministratie: de export van dit systeem zit in het pakket ({path})" in (
        summary
    )
