"""Each format opened and read back: the headers and the rows are the database's history."""

import csv
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from audit_exports.services import export_start
from audit_exports.tables import exportable_tables
from consents.models import DataSubject
from tests.audit_exports.conftest import HISTORY, fetched

pytestmark = pytest.mark.django_db


def export(user, fmt, tables=(HISTORY,), **filters):
    job = export_start(by=user, tables=list(tables), fmt=fmt, **filters)
    return job, fetched(job)


def expected_rows():
    history = DataSubject.history.order_by("id", "history_date", "history_id")
    return [(h.history_type, h.name, h.email) for h in history]


def test_every_history_table_and_the_ledgers_are_exportable():
    labels = set(exportable_tables())
    assert {
        "consents.historicaldatasubject",
        "privacy_register.historicalprocessingactivity",
        "requests_desk.historicaldatasubjectrequest",
        "consents.consentevent",
        "requests_desk.requestevent",
        "requests_desk.outboxmessage",
        "audit_exports.exportjob",
    } <= labels
    assert "consents.datasubject" not in labels
    tables = exportable_tables()
    assert tables["privacy_register.historicalprocessingactivity"].title == (
        "Geschiedenis van verwerkingen"
    )


def test_xlsx_has_the_headers_and_every_history_row(auditor, history):
    job, path = export(auditor, "xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True)["HistoricalDataSubject"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:4] == ("Wanneer", "Wie", "Wat", "Gewijzigde velden")
    assert "naam" in headers and "e-mailadres" in headers
    name, email, what = headers.index("naam"), headers.index("e-mailadres"), 2
    kinds = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}
    assert [(r[what], r[name], r[email]) for r in rows[1:]] == [
        (kinds[t], n, e) for t, n, e in expected_rows()
    ]
    assert job.rows_done == DataSubject.history.count() == 5
    first = DataSubject.history.order_by("id", "history_date").first().history_date
    local = timezone.localtime(first).replace(tzinfo=None)
    assert abs(rows[1][0] - local) < dt.timedelta(milliseconds=1)  # a real date-time, local


def test_a_change_lists_the_changed_fields_and_who_made_it(auditor, history):
    _, path = export(auditor, "csv")
    with path.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    change = next(row for row in rows if row["Wat"] == "gewijzigd")
    assert change["Gewijzigde velden"] == "naam, functie"
    assert change["Wie"] == history[1].history.first().history_user.get_full_name()
    assert change["naam"] == "Piet de Vries"
    assert [row["Gewijzigde velden"] for row in rows if row["Wat"] != "gewijzigd"] == [""] * 4


def test_csv_rows_match_the_database(auditor, history):
    _, path = export(auditor, "csv")
    with path.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    kinds = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}
    assert [(r["Wat"], r["naam"], r["e-mailadres"]) for r in rows] == [
        (kinds[t], n, e) for t, n, e in expected_rows()
    ]


def test_json_is_an_array_of_rows_per_table(auditor, history):
    _, path = export(auditor, "json")
    data = json.loads(path.read_text())
    rows = data["HistoricalDataSubject"]
    assert [row["naam"] for row in rows] == [n for _, n, _ in expected_rows()]
    assert rows[0]["Wie"] is None and rows[0]["verwerking beperkt (art. 18)"] is False


def test_several_tables_as_csv_come_as_a_zip_with_a_file_each(auditor, history):
    _, path = export(auditor, "csv", tables=[HISTORY, "audit_exports.exportjob"])
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["ExportJob.csv", "HistoricalDataSubject.csv"]
        text = archive.read("HistoricalDataSubject.csv").decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 1 + 5


def test_the_date_range_filters_and_still_knows_what_the_first_change_changed(auditor, history):
    renamed = history[1]
    DataSubject.history.update(history_date=timezone.now() - dt.timedelta(days=10))
    renamed.organisation = "De Klimop"
    renamed.save()
    today = timezone.localdate()
    _, path = export(auditor, "csv", date_from=today, date_to=today)
    with path.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["Gewijzigde velden"] == "onderwijsorganisatie"
