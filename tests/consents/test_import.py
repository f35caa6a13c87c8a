"""Importing an existing opt-in list: every row an event through the services; bad rows reported
with their line and reason; nothing written from a failed import."""

import datetime as dt
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from consents.exports import OptInImportResource, parse_moment
from consents.models import ConsentEvent, ConsentState, DataSubject
from consents.selectors import ledger_verify, may_contact
from consents.services import consent_withdraw, email_hash

pytestmark = pytest.mark.django_db

HEADERS = ("email", "name", "purpose", "date", "source")


def dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def run(data, dry_run=False):
    return OptInImportResource().import_data(
        data, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )


def test_each_row_becomes_an_import_event_of_one_batch(purpose, privacy_officer):
    result = run(
        dataset(
            ("Joke@School.example", "Joke", purpose.slug, "2025-03-01", "beurs 2025"),
            ("piet@school.example", "Piet", purpose.slug, "2025-03-02T10:00:00", "beurs 2025"),
        )
    )
    assert not result.has_errors() and not result.has_validation_errors()
    events = list(ConsentEvent.objects.order_by("sequence"))
    assert [e.method for e in events] == ["import", "import"]
    assert events[0].reference == events[1].reference
    assert events[0].reference.startswith("import-") and "beurs 2025" in events[0].reference
    assert timezone.localdate(events[0].occurred_at).isoformat() == "2025-03-01"
    assert may_contact(email="joke@school.example", purpose=purpose)


def test_bad_rows_are_reported_with_line_and_reason_and_nothing_is_written(purpose):
    result = run(
        dataset(
            ("goed@school.example", "Goed", purpose.slug, "2025-03-01", "x"),
            ("geen-adres", "Fout", purpose.slug, "2025-03-01", "x"),
            ("ok@school.example", "Fout", "bestaat-niet", "2099-01-01", "x"),
        )
    )
    assert result.has_validation_errors()
    invalid = {row.number: row.error.message_dict for row in result.invalid_rows}
    assert "Ongeldig e-mailadres" in invalid[2]["email"][0]
    assert "Onbekend doel" in invalid[3]["purpose"][0]
    assert "toekomst" in invalid[3]["date"][0]
    assert not ConsentEvent.objects.exists() and not DataSubject.objects.exists()


def test_a_dry_run_previews_and_writes_nothing(purpose):
    result = run(dataset(("a@school.example", "A", purpose.slug, "2025-01-01", "x")), dry_run=True)
    assert result.totals["new"] == 1
    assert not ConsentEvent.objects.exists()


def test_the_officer_imports_a_csv_from_the_admin_with_a_preview(client_as, purpose):
    client = client_as("privacy_officer")
    csv = f"email,name,purpose,date,source\nx@school.example,X,{purpose.slug},2025-01-01,beurs\n"
    upload = SimpleUploadedFile("optin.csv", csv.encode(), content_type="text/csv")
    response = client.post(
        "/admin/consents/consentevent/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "confirm" in response.content.decode().lower()
    assert not ConsentEvent.objects.exists()  # only a preview so far


def test_the_auditor_cannot_import(client_as):
    assert client_as("auditor").get("/admin/consents/consentevent/import/").status_code == 403


def test_a_long_list_is_written_in_bulk_with_the_same_chain_and_states(
    purpose, subject, django_assert_max_num_queries
):
    consent_withdraw(subject=subject, purpose=purpose, method="web_form")
    rows = [
        (f"p{i}@school.example", f"P {i}", purpose.slug, "2025-01-01", "beurs") for i in range(1200)
    ]
    rows += [("JOKE@school.example", "Joke", purpose.slug, "2025-02-01", "beurs")]
    rows += [("p7@school.example", "", purpose.slug, "2025-03-01", "beurs")]  # twice in one list

    # Row by row this took over 8,000 queries; in bulk a statement carries many rows (as many as
    # SQLite's limit on parameters allows, about ninety).
    with django_assert_max_num_queries(100):
        result = run(dataset(*rows))

    assert not result.has_errors() and not result.has_validation_errors()
    assert ConsentEvent.objects.filter(method="import").count() == 1202
    assert DataSubject.objects.count() == 1201  # 1200 new, Joke found again
    # Her opt-in of February 2025 joins the ledger; her later opt-out stands.
    assert not may_contact(email="joke@school.example", purpose=purpose)
    assert subject.consent_events.filter(method="import").exists()
    state = ConsentState.objects.get(subject__email="p7@school.example", purpose=purpose)
    assert timezone.localdate(state.since).isoformat() == "2025-03-01"  # the later line counts
    assert DataSubject.objects.get(email="p7@school.example").name == "P 7"
    assert DataSubject.history.filter(history_type="+").count() >= 1200
    assert ledger_verify() == (1203, None)


def test_a_person_erased_since_is_skipped_and_stays_erased(purpose):
    erased = DataSubject.objects.create(
        email=None, email_hash=email_hash("weg@school.example"), erased_at=timezone.now()
    )
    result = run(
        dataset(
            ("weg@school.example", "Weg", purpose.slug, "2025-01-01", "x"),
            ("blijft@school.example", "Blijft", purpose.slug, "2025-01-01", "x"),
        )
    )
    assert [row.import_type for row in result.rows] == ["skip", "new"]
    erased.refresh_from_db()
    assert erased.email is None and not erased.consent_events.exists()
    assert DataSubject.objects.filter(email="blijft@school.example").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lijst.exe", b"MZ\x90\x00", "Alleen een CSV- of XLSX-bestand"),
        ("lijst.xlsx", b"email,name\n", "Alleen een CSV- of XLSX-bestand"),  # not a ZIP
        ("lijst.csv", b"PK\x03\x04\x00\x00binary", "Alleen een CSV- of XLSX-bestand"),
        ("lijst.csv", b"email,name,purpose,date,source\n" + b"x" * 1024 * 1024, "groter dan 1 MB"),
    ],
)
def test_an_upload_too_large_or_not_a_list_is_refused(
    client_as, purpose, settings, name, content, message
):
    settings.IMPORT_MAX_MEGABYTES = 1
    response = client_as("privacy_officer").post(
        "/admin/consents/consentevent/import/",
        {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_an_xlsx_list_passes_the_check(client_as, purpose):
    data = dataset(("x@school.example", "X", purpose.slug, "2025-01-01", "beurs"))
    upload = SimpleUploadedFile("lijst.xlsx", data.export("xlsx"))
    response = client_as("privacy_officer").post(
        "/admin/consents/consentevent/import/",
        {"import_file": upload, "format": "1", "resource": "0"},
    )
    assert "confirm" in response.content.decode().lower()


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("14-03-2025", "2025-03-14"),
        ("14-3-2025", "2025-03-14"),
        ("2025-03-14", "2025-03-14"),
        ("4/3/2025", "2025-03-04"),
        ("14-03-2025 09:30", "2025-03-14"),
        (dt.date(2025, 3, 14), "2025-03-14"),
        (dt.datetime(2025, 3, 14, 0, 0), "2025-03-14"),
        (45730, "2025-03-14"),  # an Excel day number, in a cell not formatted as a date
    ],
)
def test_dutch_dates_and_excel_date_cells_are_read(cell, day):
    moment = parse_moment(cell)
    assert timezone.localdate(moment).isoformat() == day


@pytest.mark.parametrize("cell", ["31-02-2025", "2025-13-01", "14 maart", "", None, 0, True])
def test_what_is_no_date_is_refused(cell):
    assert parse_moment(cell) is None


def test_the_purpose_is_found_by_its_code_or_its_shown_name(purpose):
    result = run(
        dataset(
            ("a@school.example", "A", purpose.slug, "14-03-2025", "x"),
            ("b@school.example", "B", f"  {purpose.name.upper()} ", "14-3-2025", "x"),
        )
    )
    assert not result.has_validation_errors()
    assert ConsentEvent.objects.filter(purpose=purpose).count() == 2


def test_an_xlsx_from_excel_with_date_cells_imports(client_as, purpose):
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    sheet.append(["x@school.example", "X", purpose.name, dt.datetime(2025, 3, 14), "beurs"])
    sheet.append(["y@school.example", "Y", purpose.slug, 45731, "beurs"])
    out = io.BytesIO()
    book.save(out)
    resource = OptInImportResource()
    data = tablib.Dataset().load(out.getvalue(), format="xlsx")
    result = resource.import_data(data, dry_run=False, use_transactions=True)
    assert not result.has_validation_errors() and not result.has_errors()
    days = sorted(timezone.localdate(e.occurred_at).isoformat() for e in ConsentEvent.objects.all())
    assert days == ["2025-03-14", "2025-03-15"]


def test_a_dutch_excel_csv_with_semicolons_and_a_bom_is_read(client_as, purpose):
    csv = f"\ufeffemail;name;purpose;date;source\nx@school.example;X;{purpose.name};14-03-2025;b\n"
    upload = SimpleUploadedFile("optin.csv", csv.encode("utf-8"), content_type="text/csv")
    response = client_as("privacy_officer").post(
        "/admin/consents/consentevent/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    html = response.content.decode()
    assert "x@school.example" in html and purpose.name in html and "14-03-2025 12:00" in html


def test_the_preview_shows_every_column_and_why_a_row_is_skipped(client_as, purpose):
    DataSubject.objects.create(
        email=None, email_hash=email_hash("weg@school.example"), erased_at=timezone.now()
    )
    csv = (
        "email,name,purpose,date,source\n"
        f"x@school.example,Xandra,{purpose.slug},2025-01-01,beurs\n"
        f"weg@school.example,Weg,{purpose.slug},2025-01-02,beurs\n"
    )
    upload = SimpleUploadedFile("optin.csv", csv.encode(), content_type="text/csv")
    html = (
        client_as("privacy_officer")
        .post(
            "/admin/consents/consentevent/import/",
            {"import_file": upload, "format": "0", "resource": "0"},
        )
        .content.decode()
    )
    for column in HEADERS:
        assert f'<th scope="col">{column}</th>' in html
    assert "Xandra" in html and "beurs" in html
    assert "Deze persoon is gewist; de lijst brengt hem of haar niet terug." in html


def test_the_import_speaks_english_when_the_officer_does(client_as, purpose):
    client = client_as("privacy_officer")
    client.cookies["django_language"] = "en"
    csv = "email,name,purpose,date,source\ngeen,X,bestaat-niet,morgen,x\n"
    upload = SimpleUploadedFile("optin.csv", csv.encode(), content_type="text/csv")
    html = client.post(
        "/admin/consents/consentevent/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    ).content.decode()
    assert "Invalid e-mail address" in html and "Unknown purpose" in html
    assert "Invalid date" in html
    assert "Ongeldig" not in html and "Onbekend" not in html


def test_the_template_file_downloads_with_its_columns_and_the_purposes(client_as, purpose):
    response = client_as("privacy_officer").get("/admin/consents/consentevent/import/sjabloon/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    first, purposes = book.worksheets
    assert [c.value for c in first[1]] == list(HEADERS)
    assert first["D2"].is_date
    assert (purpose.slug, purpose.name) in {(r[0].value, r[1].value) for r in purposes.iter_rows()}
    assert (
        client_as("auditor").get("/admin/consents/consentevent/import/sjabloon/").status_code == 403
    )
