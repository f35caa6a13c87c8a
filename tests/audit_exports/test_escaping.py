"""A cell that a spreadsheet would run as a formula is exported with a leading apostrophe."""

import csv

import openpyxl
import pytest

from accounts.formula_injection import escape_formula, escape_row
from audit_exports.services import export_start
from tests.audit_exports.conftest import HISTORY, fetched
from tests.factories import DataSubjectFactory

pytestmark = pytest.mark.django_db
DANGEROUS = ['=HYPERLINK("http://x")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_the_shared_helper_escapes_every_formula_start(value):
    assert escape_formula(value) == "'" + value
    assert escape_row([value, -5], [0]) == ["'" + value, -5]


def test_numbers_empty_and_plain_cells_stay_as_they_are():
    assert escape_row([-5, None, "", "Jan"], [1, 2, 3]) == [-5, None, "", "Jan"]


@pytest.fixture
def dangerous_people(db):
    for number, value in enumerate(DANGEROUS):
        DataSubjectFactory(name=value, function=f"docent {number}")


def exported(auditor, fmt):
    job = export_start(by=auditor, tables=[HISTORY], fmt=fmt)
    return fetched(job)


def test_xlsx_cells_are_escaped(auditor, dangerous_people):
    sheet = openpyxl.load_workbook(exported(auditor, "xlsx")).active
    headers = [cell.value for cell in sheet[1]]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    # XlsxWriter stores a carriage return as _x000D_ (OOXML), which openpyxl does not turn back.
    names = [row[headers.index("naam")].replace("_x000D_", "\r") for row in rows]
    assert names == ["'" + value for value in DANGEROUS]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_cells_are_escaped(auditor, dangerous_people):
    with exported(auditor, "csv").open(encoding="utf-8-sig", newline="") as file:
        names = [row["naam"] for row in csv.DictReader(file, delimiter=";")]
    assert names == ["'" + value for value in DANGEROUS]
