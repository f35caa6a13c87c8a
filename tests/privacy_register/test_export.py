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
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Verwerking" and len(rows) - 1 == ProcessingActivity.objects.count()


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
