"""The Art. 30 export for the regulator: one row per processing activity, a column for every
mandatory field, as XLSX or CSV. Cells that a spreadsheet would read as a formula are escaped."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from accounts.formula_injection import escape_formula
from accounts.spreadsheets import CSV_ENCODING, csv_delimiter, sheet_finish
from privacy_register.models import Controller, ProcessingActivity


def _names(manager) -> str:
    return "; ".join(str(item) for item in manager.all())


COLUMNS = [
    ("Verwerking", lambda a, c: a.name),
    ("Verwerkingsverantwoordelijke", lambda a, c: f"{c.name}, {c.address}, KvK {c.kvk_number}"),
    ("Contact / FG", lambda a, c: f"{c.email}; FG: {c.dpo_name} {c.dpo_email}".strip()),
    ("Doeleinden (art. 30 lid 1 b)", lambda a, c: a.purposes),
    ("Grondslag (art. 6)", lambda a, c: a.get_legal_basis_display()),
    ("Gerechtvaardigd belang", lambda a, c: a.legitimate_interest),
    ("Belangenafweging", lambda a, c: a.balancing_note),
    ("Categorieën betrokkenen (c)", lambda a, c: _names(a.data_subject_categories)),
    ("Categorieën persoonsgegevens (c)", lambda a, c: _names(a.personal_data_categories)),
    (
        "Bijzondere persoonsgegevens (art. 9)",
        lambda a, c: (
            "; ".join(p.name for p in a.personal_data_categories.all() if p.is_special) or "geen"
        ),
    ),
    ("Categorieën ontvangers (d)", lambda a, c: _names(a.recipient_categories)),
    ("Verwerkers", lambda a, c: _names(a.processors)),
    (
        "Doorgifte buiten de EER (e)",
        lambda a, c: (
            "; ".join(
                f"{t.recipient} ({t.country}, {t.get_safeguard_display()})"
                for t in a.transfers.all()
            )
            or "geen"
        ),
    ),
    ("Bewaartermijn (f)", lambda a, c: a.retention_text),
    ("Beveiligingsmaatregelen (g)", lambda a, c: _names(a.security_measures)),
    ("Systemen", lambda a, c: _names(a.systems)),
    ("Eigenaar", lambda a, c: a.owner),
    ("Status", lambda a, c: a.get_status_display()),
    ("Volgende review", lambda a, c: a.next_review_on.isoformat() if a.next_review_on else ""),
    (
        "DPIA",
        lambda a, c: (
            ("uitgevoerd " + a.dpia_done_on.isoformat())
            if a.dpia_done_on
            else ("nodig" if a.dpia_needed else "niet nodig")
        ),
    ),
]


def art30_rows():
    """The header and one escaped row per activity (a fixed number of queries)."""
    controller = Controller.objects.first() or Controller()
    activities = ProcessingActivity.objects.exclude(status="retired").prefetch_related(
        "data_subject_categories",
        "personal_data_categories",
        "recipient_categories",
        "processors",
        "security_measures",
        "systems",
        "transfers",
    )
    yield [name for name, _ in COLUMNS]
    for activity in activities:
        yield [escape_formula(value(activity, controller)) for _, value in COLUMNS]


def art30_response(*, fmt: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=csv_delimiter()).writerows(art30_rows())
        response = HttpResponse(
            buffer.getvalue().encode(CSV_ENCODING), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Art. 30 register"
        for row in art30_rows():
            sheet.append(row)
        sheet_finish(sheet)
        sheet.freeze_panes = "B2"  # the header and each activity's name stay in view
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="art30-register-{stamp}.{fmt}"'
    return response
