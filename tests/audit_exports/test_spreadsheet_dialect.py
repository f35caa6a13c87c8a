"""Spreadsheets for Dutch Excel: CSV with a semicolon and a BOM when the language is Dutch (a
setting overrides), and XLSX with column widths, a frozen header, an autofilter and real dates."""

import csv
import datetime as dt

import openpyxl
import pytest
from django.utils import translation

from tests.audit_exports.test_formats import export

pytestmark = pytest.mark.django_db


def first_line(path) -> bytes:
    return path.read_bytes().split(b"\r\n", 1)[0]


def test_a_dutch_csv_has_a_bom_and_semicolons(auditor, history):
    _, path = export(auditor, "csv")
    head = first_line(path)
    assert head.startswith(b"\xef\xbb\xbf") and b";" in head and b"," not in head
    with path.open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.DictReader(file, delimiter=";"))) == 5


def test_an_english_csv_has_commas(auditor, history):
    with translation.override("en"):
        _, path = export(auditor, "csv")
    head = first_line(path)
    assert head.startswith(b"\xef\xbb\xbf") and b"," in head and b";" not in head


def test_the_setting_overrides_the_language(auditor, history, settings):
    settings.CSV_EXPORT_DELIMITER = ","
    _, path = export(auditor, "csv")
    assert b";" not in first_line(path)


def test_an_xlsx_sheet_has_widths_a_frozen_header_an_autofilter_and_dates(auditor, history):
    _, path = export(auditor, "xlsx")
    sheet = openpyxl.load_workbook(path)["HistoricalDataSubject"]
    assert sheet.freeze_panes == "A2"
    columns = sheet.max_column
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(columns)}6"
    # Columns of one width come as one <col> range: A's dimension covers them.
    assert sheet.column_dimensions["A"].width >= 14
    assert isinstance(sheet["A2"].value, dt.datetime) and sheet["A2"].is_date
