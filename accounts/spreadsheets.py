"""How our spreadsheets open in Excel, for every export of the project (the lowest app, so each
app's exports can use it): the CSV separator by language, and an openpyxl sheet finished with a
bold frozen header, an autofilter and column widths. audit_exports' XlsxWriter files follow the
same rules in their own writer (constant-memory mode writes rows once)."""

from django.conf import settings
from django.utils import translation
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark: Excel then reads it as UTF-8
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"


def csv_delimiter() -> str:
    """The separator of our CSV files: CSV_EXPORT_DELIMITER when set, else ";" in Dutch (Dutch
    Excel reads ";", since "," is its decimal sign) and "," in English — the language of the
    request, or of the worker (LANGUAGE_CODE) for an export that runs as a job."""
    return settings.CSV_EXPORT_DELIMITER or (
        ";" if (translation.get_language() or settings.LANGUAGE_CODE).startswith("nl") else ","
    )


def sheet_finish(sheet, *, widths: dict[int, int] | None = None) -> None:
    """A written sheet (not write-only) made ready for Excel: its first row bold and frozen, an
    autofilter over every row, each column as wide as its longest value (capped), and date
    cells shown as Dutch dates."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if sheet.max_column and sheet.max_row:
        sheet.auto_filter.ref = sheet.dimensions
    longest: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.is_date:
                cell.number_format = DATETIME_FORMAT if cell.value.hour else DATE_FORMAT
            size = 16 if cell.is_date else len(str(cell.value or ""))
            longest[cell.column] = max(longest.get(cell.column, 0), size)
    for column, size in {**longest, **(widths or {})}.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(size + 2, 10), 60)
