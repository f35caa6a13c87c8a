"""The Art. 30 export, opened the way a regulator would open it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from privacy_register.exports import COLUMNS, escape_formula
from privacy_register.models import ProcessingActivity

pytestmark = pytest.mark.django_db


def test_the_xlsx_has_a_column_per_mandatory_field_and_a_row_per_activity(client_as, register):
    response = client_as("auditor").get("/admin/privacy_register/processingactivity/art30.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    assert len(rows) - 1 == ProcessingActivity.objects.count()
    newsletter = next(row for row in rows if row[0] == "Nieuwsbrieven")
    header = rows[0]
    assert newsletter[header.index("Grondslag (art. 6)")].startswith("Toestemming")
    assert "Rezulto B.V." in newsletter[header.index("Verwerkingsverantwoordelijke")]
    assert newsletter[header.index("Bewaartermijn (f)")] == "Tot afmelding (opt-out)"


def test_the_csv_says_the_same(client_as, register):
    response = client_as("privacy_officer").get(
        "/admin/privacy_register/processingactivity/art30.csv"
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Verwerking" and len(rows) - 1 == ProcessingActivity.objects.count()


def test_the_csv_has_commas_in_english_and_the_setting_overrides(client_as, register, settings):
    client = client_as("privacy_officer")
    url = "/admin/privacy_register/processingactivity/art30.csv"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    header = english.splitlines()[0]
    assert "," in header and ";" not in header.replace("; ", "")
    settings.CSV_EXPORT_DELIMITER = "\t"
    assert "\t" in client.get(url).content.decode("utf-8-sig").splitlines()[0]


def test_the_xlsx_has_a_frozen_header_an_autofilter_and_widths(client_as, register):
    response = client_as("auditor").get("/admin/privacy_register/processingactivity/art30.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["A"].width >= len("Nieuwsbrieven")
    assert sheet["A1"].font.bold


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx"])
def test_formula_injection_is_escaped(dangerous):
    assert escape_formula(dangerous) == "'" + dangerous
    assert escape_formula("Gewoon") == "Gewoon"


def test_a_formula_in_the_register_is_escaped_in_the_file(client_as, register):
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(owner="=cmd|' /C calc'!A0")
    response = client_as("auditor").get("/admin/privacy_register/processingactivity/art30.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    owners = [
        row[COLUMNS.index(next(c for c in COLUMNS if c[0] == "Eigenaar"))]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert "'=cmd|' /C calc'!A0" in owners
