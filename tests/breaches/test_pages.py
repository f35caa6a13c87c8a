"""The breach register's pages: the clock on every page, a bounded number of queries whatever the
number of breaches, the AP form as PDF / JSON / text, the exports, the yearly overview and the
panel on the desk's dashboard."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from breaches.models import Decision
from breaches.services import ap_file
from tests.factories import decide, report_breach

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(register, agent, privacy_officer):
    made = []
    for i in range(12):
        breach = report_breach(
            by=agent, title=f"Lek {i}", aware_at=timezone.now() - dt.timedelta(hours=2 + i * 10)
        )
        decide(breach, decision=Decision.RISK, by=privacy_officer)
        if i % 2:
            ap_file(
                breach=breach,
                filed_at=timezone.now(),
                ap_reference=f"M-{i}",
                by=privacy_officer,
                late_reasons="Te laat door het weekend.",
            )
        made.append(breach)
    return made


@pytest.mark.parametrize(
    "url",
    [
        "/desk/datalekken/",
        "/desk/datalekken/register/",
        "/desk/datalekken/jaaroverzicht/",
        "/desk/datalekken/register/export.csv",
        "/desk/overzicht/",
    ],
)
def test_lists_run_a_fixed_number_of_queries(
    client_as, many, url, django_assert_max_num_queries, agent, privacy_officer
):
    client = client_as("privacy_officer")
    client.get(url)  # warm the session and the permission cache
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_the_detail_page_shows_the_clock_and_the_timeline(
    client_as, many, django_assert_max_num_queries
):
    breach = many[0]
    client = client_as("privacy_officer")
    client.get(f"/desk/datalekken/{breach.reference}/")
    with django_assert_max_num_queries(25):
        page = client.get(f"/desk/datalekken/{breach.reference}/").content.decode()
    assert "nog 6" in page or "nog 7" in page  # of the 72 hours, about 70 are left
    deadline = timezone.localtime(breach.notify_by).strftime("%d-%m-%Y %H:%M")
    assert deadline in page
    assert "Besluit genomen" in page


def test_the_ap_notification_is_a_pdf_and_a_structured_export(client_as, many):
    filed = many[1]
    client = client_as("privacy_officer")
    pdf = client.get(f"/desk/datalekken/{filed.reference}/ap-melding.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    data = json.loads(client.get(f"/desk/datalekken/{filed.reference}/ap-melding.json").content)
    fields = {f["key"]: f["value"] for f in data["fields"]}
    assert fields["our_reference"] == filed.reference and fields["consequences"]
    text = client.get(f"/desk/datalekken/{filed.reference}/ap-melding.txt").content.decode()
    assert "Samenvatting van het datalek: " in text


def test_the_register_filters_and_exports(client_as, many):
    client = client_as("auditor")
    page = client.get("/desk/datalekken/register/?decision=no_risk").content.decode()
    assert "Lek 0" not in page
    book = load_workbook(io.BytesIO(client.get("/desk/datalekken/register/export.xlsx").content))
    rows = list(book.active.values)
    assert rows[0][0] == "kenmerk" and len(rows) == 13
    assert {r[8] for r in rows[1:]} == {None, "ja", "nee"}
    sheet = book.active  # ready for Excel: header frozen, a filter, widths, real dates
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["B"].width > 10
    assert isinstance(rows[1][2], dt.datetime) and sheet["C2"].is_date
    text = client.get("/desk/datalekken/register/export.csv").content
    assert text.startswith(b"\xef\xbb\xbf") and text.split(b"\r\n")[0].count(b";") == 9


def test_the_yearly_overview_counts_by_cause_decision_and_on_time(client_as, many):
    from breaches.selectors import yearly

    year = timezone.localdate().year
    numbers = yearly(year=year)
    in_year = [b for b in many if timezone.localtime(b.aware_at).year == year]
    assert numbers["total"] == len(in_year)
    assert numbers["by_decision"] == {Decision.RISK: len(in_year)}
    assert numbers["notified"] == numbers["on_time"] + numbers["late"]
    assert numbers["late"] >= 1  # filed now for breaches aware of over 72 hours ago


def test_the_desk_dashboard_lists_open_breaches_for_the_officer(client_as, many):
    page = client_as("privacy_officer").get("/desk/overzicht/").content.decode()
    assert many[0].reference in page
    assert many[0].reference not in client_as("agent").get("/desk/overzicht/").content.decode()


def test_the_officer_sends_the_notice_to_an_uploaded_list_from_the_page(client_as, many):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from breaches.services import notice_draft
    from requests_desk.models import OutboxKind, OutboxMessage

    breach = many[0]
    client = client_as("privacy_officer")
    page = client.get(f"/desk/datalekken/{breach.reference}/betrokkenen/").content.decode()
    assert "Wat kunt u zelf doen?" in page  # the template, ready to edit
    subject, body = notice_draft(breach=breach)
    upload = SimpleUploadedFile(
        "lijst.csv", b"email,naam\na@school.example,Anna\nb@school.example,Bo\n"
    )
    response = client.post(
        f"/desk/datalekken/{breach.reference}/betrokkenen/",
        {"source": "upload", "people_file": upload, "subject": subject, "body": body},
    )
    assert response.status_code == 302
    notices = OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE)
    assert sorted(notices.values_list("to", flat=True)) == ["a@school.example", "b@school.example"]
    assert notices.get(to="b@school.example").body.startswith("Beste Bo,")


def test_the_officer_sends_the_notice_to_the_ledgers_subjects(client_as, many):
    from breaches.services import notice_draft
    from consents.models import DataSubject
    from requests_desk.models import OutboxKind, OutboxMessage
    from tests.factories import DataSubjectFactory

    for i in range(3):
        DataSubjectFactory(email=f"s{i}@school.example")
    breach = many[0]
    subject, body = notice_draft(breach=breach)
    response = client_as("privacy_officer").post(
        f"/desk/datalekken/{breach.reference}/betrokkenen/",
        {"source": "ledger", "subject": subject, "body": body},
    )
    assert response.status_code == 302
    sent = OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE).count()
    assert sent == DataSubject.objects.filter(erased_at__isnull=True, email__isnull=False).count()
    assert sent >= 3


def test_the_register_speaks_english_when_asked(client_as, many):
    from django.utils import translation

    client = client_as("agent")
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get("/desk/datalekken/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Report a breach" in page and "Open breaches" in page


def test_the_register_pages_by_fifty(client_as, many, agent):
    for i in range(40):
        report_breach(by=agent, title=f"Extra {i}")
    client = client_as("privacy_officer")
    first = client.get("/desk/datalekken/register/").content.decode()
    second = client.get("/desk/datalekken/register/?page=2").content.decode()
    assert first.count("/desk/datalekken/DL-") == 50
    assert second.count("/desk/datalekken/DL-") == 2
    assert "Pagina 2 van 2" in second
