"""Access and portability (Art. 15, 20): the ZIP's summary, JSON and CSV match the sources; the
build time and size are recorded; the requester gets the link by the outbox."""

import csv
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder

from requests_desk.models import EventKind, OutboxMessage
from subject_rights import services
from subject_rights.models import AccessPackage
from subject_rights.services import package_build
from subject_rights.sources import Person, sources
from subject_rights.tasks import build_access_package
from tests.subject_rights.conftest import EMAIL, NAME, PHONE, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def access(person):
    return person.subject.requests.get(kind="access")


def open_zip(package) -> zipfile.ZipFile:
    with package.file.open("rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


def test_the_summary_states_each_activity_in_dutch(access):
    package = package_build(request=access)
    summary = open_zip(package).read("samenvatting.txt").decode()
    for text in (
        access.reference,
        "Nieuwsbrieven",
        "Afhandeling van privacyverzoeken",
        "Doeleinden:",
        "Wettelijke verplichting (art. 6 lid 1 sub c)",
        "Categorieën gegevens:",
        "Ontvangers:",
        "E-mailserviceprovider",
        "Bewaartermijn: 24 maanden na afsluiting",
        "Bron van de gegevens: De verzoeker zelf",
        "Verwijdering (art. 17)",
        "Autoriteit Persoonsgegevens",
    ):
        assert text in summary, text


def test_json_and_csv_hold_what_every_source_holds(access):
    person = Person.of_request(access)
    expected = {source.key: source.export(person) for source in sources()}
    archive = open_zip(package_build(request=access))  # its own letter is not in it yet
    for key, tables in expected.items():
        if not tables:
            assert f"{key}.json" not in archive.namelist()
            continue
        document = json.loads(archive.read(f"{key}.json"))
        assert document["tabellen"] == json.loads(json.dumps(tables, cls=DjangoJSONEncoder))
        for table, rows in tables.items():
            text = archive.read(f"{key}-{table}.csv").decode()
            assert len(list(csv.DictReader(io.StringIO(text)))) == len(rows)
    subject = json.loads(archive.read("toestemmingen.json"))["tabellen"]["betrokkene"][0]
    assert (subject["e-mailadres"], subject["naam"], subject["telefoon"]) == (EMAIL, NAME, PHONE)
    assert "zelfservice.json" in archive.namelist()
    assert "verzoeken-brieven.csv" in archive.namelist()


def test_the_build_is_measured_and_the_link_mailed(access):
    package = package_build(request=access)
    assert package.size_bytes == package.file.size > 0
    assert package.build_seconds > 0 and len(package.sha256) == 64
    assert access.events.filter(kind=EventKind.PACKAGE).exists()
    letter = OutboxMessage.objects.filter(letter_kind="access_package").latest("pk")
    assert letter.to == EMAIL and "/privacy/inzage/" in letter.body and letter.scrub_after_send


def test_the_celery_task_builds_the_package(access):
    package_id = build_access_package(access.pk)
    assert AccessPackage.objects.get(pk=package_id).request == access


def test_a_csv_cell_cannot_start_a_formula(register):
    request = verified("portability", requester_name="=HYPERLINK(1)")
    archive = open_zip(package_build(request=request))
    assert "'=HYPERLINK(1)" in archive.read("verzoeken-verzoeken.csv").decode()


def test_no_package_before_the_identity_is_checked(register):
    from tests.factories import open_request

    with pytest.raises(ValidationError):
        package_build(request=open_request())


def test_the_desk_orders_the_build_from_a_worker_after_commit(
    access, client_as, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        services.current_app, "send_task", lambda name, args: queued.append(args[0])
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("agent").post(f"/desk/{access.reference}/rechten/pakket/")
    assert response.status_code == 302
    assert queued == [access.pk]


def test_without_a_broker_the_package_is_built_at_once(
    access, client_as, django_capture_on_commit_callbacks, monkeypatch
):
    def no_broker(name, args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(services.current_app, "send_task", no_broker)
    before = AccessPackage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client_as("agent").post(f"/desk/{access.reference}/rechten/pakket/")
    assert AccessPackage.objects.count() == before + 1


def test_an_activity_of_another_system_is_listed_unless_the_system_found_nothing(person):
    from requests_desk.models import TaskResult
    from requests_desk.services import task_record_result, task_reopen

    access = verified("access", answered=False)
    for task in access.tasks.all():
        task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=None)
    summary = open_zip(package_build(request=access)).read("samenvatting.txt").decode()
    assert "Verkoop, uitvoering en levering" not in summary
    task = access.tasks.get(activity__slug="verkoop-en-levering", system__name__icontains="crm")
    task_reopen(task=task, by=None)
    task_record_result(
        task=task,
        result_kind=TaskResult.EXPORTED,
        by=None,
        file_name="crm.csv",
        file_content=b"klant,order\nK-1,O-7\n",
    )
    summary = open_zip(package_build(request=access)).read("samenvatting.txt").decode()
    assert "Verkoop, uitvoering en levering" in summary
    assert "Fiscale bewaarplicht" in summary


def test_the_files_are_compressed(access):
    archive = open_zip(package_build(request=access))
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())


# --- Art. 15(1)(c) and (h): recipients by name, automated decisions ----------------------------


def summary_of(access) -> str:
    return open_zip(package_build(request=access)).read("samenvatting.txt").decode()


def test_the_summary_says_there_are_no_automated_decisions_when_the_register_names_none(access):
    from privacy_register.models import ProcessingActivity

    assert not ProcessingActivity.objects.exclude(automated_decisions="").exists()
    summary = summary_of(access)
    assert "GEAUTOMATISEERDE BESLUITEN (artikel 15 lid 1 sub h AVG)" in summary
    assert "Geen: wij nemen over u geen besluiten die uitsluitend op geautomatiseerde" in summary
    assert "Geautomatiseerde besluitvorming en profilering (art. 22): geen" in summary


def test_the_summary_names_an_automated_decision_the_register_records(access):
    from privacy_register.models import ProcessingActivity

    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(
        automated_decisions="Een score bepaalt welke nieuwsbrief u krijgt; u kunt bezwaar maken."
    )
    summary = summary_of(access)
    assert "- Nieuwsbrieven: Een score bepaalt welke nieuwsbrief u krijgt" in summary
    assert "Geen: wij nemen over u geen besluiten" not in summary


def test_the_summary_names_the_recipients_the_register_knows_by_name(access):
    from privacy_register.models import ProcessingActivity, Processor, System

    activity = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    mailer = Processor.objects.create(name="Mailstroom B.V.", kind="technical")
    host = Processor.objects.create(name="Hostingbedrijf Noord B.V.", kind="technical")
    activity.processors.add(mailer)
    system = System.objects.create(name="Nieuwsbriefplatform", slug="nb-platform", processor=host)
    activity.systems.add(system)
    summary = summary_of(access)
    block = summary.split("== Nieuwsbrieven ==")[1].split("==")[0]
    line = next(x for x in block.splitlines() if x.startswith("Ontvangers bij naam:"))
    assert "Mailstroom B.V." in line and "Hostingbedrijf Noord B.V." in line
    assert "Ontvangers: " in block  # the categories stay beside the names


def test_the_summary_names_both_remedies(access):
    summary = " ".join(summary_of(access).split())
    assert "klacht indienen bij de Autoriteit Persoonsgegevens" in summary
    assert "naar de rechter stappen" in summary


def test_the_package_holds_a_receipt_of_each_choice_that_verifies_offline(access, client, tmp_path):
    """Each ledger event of the person as a consent receipt with its inclusion proof, checked
    by tools/verify_receipt.py with the published public key alone."""
    import subprocess
    import sys
    from pathlib import Path

    archive = open_zip(package_build(request=access))
    names = sorted(n for n in archive.namelist() if n.startswith("toestemmingen-bewijzen/"))
    assert len(names) == 3  # given, withdrawn, given again
    assert "toestemmingen-bewijzen/ (3 bestanden)" in archive.read("samenvatting.txt").decode()
    key = tmp_path / "key.pem"
    key.write_bytes(client.get("/privacy/grootboek/publieke-sleutel/").content)
    script = Path(__file__).resolve().parents[2] / "tools" / "verify_receipt.py"
    actions = []
    for name in names:
        path = tmp_path / "receipt.json"
        path.write_bytes(archive.read(name))
        actions.append(json.loads(path.read_text())["event"]["action"])
        checked = subprocess.run(
            [sys.executable, script, path, key], capture_output=True, text=True, timeout=60
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
    assert sorted(actions) == ["given", "given", "withdrawn"]
