"""Importing an existing opt-in list: every row an event through the services; bad rows reported
with their line and reason; nothing written from a failed import."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consents.exports import OptInImportResource
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
