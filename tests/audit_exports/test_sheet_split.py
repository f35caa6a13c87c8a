"""Past the XLSX row limit a table goes on in a new sheet, headers repeated."""

import openpyxl
import pytest

from audit_exports.services import export_start
from tests.audit_exports.conftest import HISTORY, fetched
from tests.factories import DataSubjectFactory

pytestmark = pytest.mark.django_db


def test_rows_past_the_limit_go_on_in_a_new_sheet(auditor, settings):
    settings.AUDIT_EXPORT_XLSX_MAX_ROWS = 3
    people = DataSubjectFactory.create_batch(7)
    job = export_start(by=auditor, tables=[HISTORY], fmt="xlsx")
    book = openpyxl.load_workbook(fetched(job), read_only=True)
    assert book.sheetnames == [
        "HistoricalDataSubject",
        "HistoricalDataSubject (2)",
        "HistoricalDataSubject (3)",
    ]
    sheets = [list(book[name].iter_rows(values_only=True)) for name in book.sheetnames]
    assert [len(rows) for rows in sheets] == [4, 4, 2]
    assert all(rows[0][:3] == ("Wanneer", "Wie", "Wat") for rows in sheets)
    emails = [row[rows[0].index("e-mailadres")] for rows in sheets for row in rows[1:]]
    assert emails == [person.email for person in sorted(people, key=lambda p: p.pk)]
