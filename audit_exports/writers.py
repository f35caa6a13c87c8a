"""Streaming writers: rows go from the query iterator straight into the file, so memory stays
flat however many rows there are. XLSX with XlsxWriter's constant_memory mode (faster than
openpyxl's write-only mode, see bench/export.py), CSV with csv.writer, JSON as streamed arrays.

A section is (sheet name, headers, rows). `progress(n)` is called every PROGRESS_EVERY rows.
"""

import csv
import io
import json
import zipfile

import xlsxwriter
from django.conf import settings

from accounts.spreadsheets import csv_delimiter

PROGRESS_EVERY = 5000
XLSX_OPTIONS = {
    "constant_memory": True,
    # Our cells are text and numbers as they are: never formulas, links or guessed numbers.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # Times arrive as local date-times (tables.py), shown as such.
    "default_date_format": "yyyy-mm-dd hh:mm:ss",
}


def write_xlsx(path, sections, progress=None) -> int:
    """One sheet per table; past AUDIT_EXPORT_XLSX_MAX_ROWS rows a table goes on in a new sheet."""
    limit = settings.AUDIT_EXPORT_XLSX_MAX_ROWS
    counter = _Counter(progress)
    with xlsxwriter.Workbook(str(path), XLSX_OPTIONS) as workbook:
        bold = workbook.add_format({"bold": True})
        for name, headers, rows in sections:
            part, line, sheet = 0, limit + 1, None
            for row in counter.wrap(rows):
                if line > limit:
                    part += 1
                    title = name[:31] if part == 1 else f"{name[:26]} ({part})"
                    sheet = workbook.add_worksheet(title)
                    _header(sheet, headers, bold)
                    line = 1
                sheet.write_row(line, 0, row)
                line += 1
                sheet.autofilter(0, 0, line - 1, max(len(headers) - 1, 0))
            if sheet is None:
                _header(workbook.add_worksheet(name[:31]), headers, bold)
    return counter.done


def _header(sheet, headers, bold) -> None:
    """The header row, frozen, with an autofilter over the columns and a width per column that
    fits its name (constant-memory mode writes rows once, so widths cannot follow the values)."""
    # Widths first: in constant-memory mode the columns are written out with the first row.
    for column, header in enumerate(headers):
        sheet.set_column(column, column, min(max(len(str(header)) + 4, 14), 50))
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, max(len(headers) - 1, 0))


def _write_csv(text_file, headers, rows):
    writer = csv.writer(text_file, delimiter=csv_delimiter())
    writer.writerow(headers)
    writer.writerows(rows)


def write_csv(path, sections, progress=None) -> int:
    """One table: a CSV file (UTF-8 with BOM, for Excel). More tables: a ZIP with a CSV each."""
    counter = _Counter(progress)
    sections = list(sections)
    if len(sections) == 1:
        _, headers, rows = sections[0]
        with open(path, "w", newline="", encoding="utf-8-sig") as out:
            _write_csv(out, headers, counter.wrap(rows))
        return counter.done
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, headers, rows in sections:
            member = archive.open(f"{name}.csv", "w")
            with io.TextIOWrapper(member, encoding="utf-8-sig", newline="") as out:
                _write_csv(out, headers, counter.wrap(rows))
    return counter.done


def write_json(path, sections, progress=None) -> int:
    """An object with, per table, an array of rows as objects keyed by the column headers."""
    counter = _Counter(progress)
    with open(path, "w", encoding="utf-8") as out:
        out.write("{")
        for number, (name, headers, rows) in enumerate(sections):
            out.write(("," if number else "") + f"\n{json.dumps(name)}: [")
            for index, row in enumerate(counter.wrap(rows)):
                item = json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False)
                out.write(("," if index else "") + "\n  " + item)
            out.write("\n]")
        out.write("\n}\n")
    return counter.done


class _Counter:
    def __init__(self, progress):
        self.progress, self.done = progress, 0

    def wrap(self, rows):
        for row in rows:
            self.done += 1
            if self.progress and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done)
            yield row


WRITERS = {"xlsx": write_xlsx, "csv": write_csv, "json": write_json}


def extension(fmt: str, tables: int) -> str:
    return "zip" if fmt == "csv" and tables > 1 else fmt
