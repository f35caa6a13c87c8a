"""django-import-export resources of the consent ledger.

`OptInImportResource` reads an existing opt-in list (CSV or XLSX with the columns email, name,
purpose, date, source; `optin_template_xlsx` writes the template file)
and turns every row into a ledger event through the services: the subject
found or created, a "given" event with collection method "import" and the batch as reference.
Rows are checked one by one and written in batches (`consents_import`), so a list of a hundred
thousand addresses imports in a fixed number of queries per batch. A row of someone erased since
is skipped, and a consent older than the person's last change joins the ledger without moving
their current state (an old list does not undo a later opt-out).
A row that cannot be imported is reported with its line and reason; an import with any bad row
writes nothing (the whole import runs in one transaction that is rolled back).
"""

import datetime as dt
import re
import uuid

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.formats import base_formats

from consents.models import ConsentEvent, ConsentPurpose, DataSubject
from consents.services import ImportRow, consents_import, email_hash, normalise_email

COLUMNS = ("email", "name", "purpose", "date", "source")


# Dutch dates as people type them (14-03-2025, 14-3-2025, 14/3/2025, 14.03.2025), with an
# optional time; ISO dates (2025-03-14) are read by Django's parser.
DUTCH_DATE = re.compile(
    r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
# Excel keeps a date as the number of days since 30 December 1899 (a cell not formatted as a
# date shows that number); 2958465 is 31 December 9999.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_LAST_DAY = 2958465


def parse_moment(value) -> dt.datetime | None:
    """The moment a row's date means: a date or datetime cell, an Excel day number, a Dutch date
    (day first) or an ISO one; a date without a time is taken at noon (no time zone can move it
    to another day). None when it is none of these."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(12))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= EXCEL_LAST_DAY:
            return None
        whole = int(value)
        moment = dt.datetime.combine(EXCEL_EPOCH + dt.timedelta(days=whole), dt.time(12))
        if value != whole:  # a day number with a time of day
            moment = dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(days=value)
    else:
        text = str(value or "").strip()
        found = DUTCH_DATE.fullmatch(text)
        try:
            if found:
                parts = {k: int(v) if v else 0 for k, v in found.groupdict().items()}
                moment = dt.datetime(parts["y"], parts["m"], parts["d"], parts["H"], parts["M"])
                if found["H"] is None:
                    moment = moment.replace(hour=12)
            else:
                moment = parse_datetime(text) or (
                    dt.datetime.combine(parse_date(text), dt.time(12)) if parse_date(text) else None
                )
        except ValueError:  # 31-02-2025, 2025-13-01: no such day
            return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class OptInImportResource(resources.ModelResource):
    email = fields.Field(column_name="email")
    name = fields.Field(column_name="name")
    purpose = fields.Field(column_name="purpose")
    date = fields.Field(column_name="date")
    source = fields.Field(column_name="source")

    class Meta:
        model = ConsentEvent
        fields = COLUMNS
        force_init_instance = True  # every row is a new event
        store_row_values = True  # the preview shows every column of every row
        skip_diff = True
        use_transactions = True
        use_bulk = True
        batch_size = 5000

    def before_import(self, dataset, **kwargs):
        missing = [column for column in COLUMNS if column not in (dataset.headers or [])]
        if missing:
            raise ValidationError(
                _("Kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        self.batch = f"import-{uuid.uuid4().hex[:12]}"
        # A purpose by its code or by its name as shown everywhere (any case, any spacing).
        active = list(ConsentPurpose.objects.filter(is_active=True))
        self.purposes = {_key(p.name): p for p in active} | {p.slug: p for p in active}
        # People erased since the list was made are not brought back by it (Art. 17).
        self.erased = set(
            DataSubject.objects.filter(erased_at__isnull=False).values_list("email_hash", flat=True)
        )
        self.user = kwargs.get("user")

    def import_instance(self, instance, row, **kwargs):
        """Check the row; what it means is kept on the instance for the save."""
        self.current = None
        errors = {}
        email = normalise_email(str(row.get("email") or ""))
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Ongeldig e-mailadres: '%(value)s'.") % {"value": row.get("email")}
        given = str(row.get("purpose") or "").strip()
        purpose = self.purposes.get(given) or self.purposes.get(_key(given))
        if purpose is None:
            errors["purpose"] = _("Onbekend doel: '%(value)s'.") % {"value": row.get("purpose")}
        moment = parse_moment(row.get("date"))
        if moment is None:
            errors["date"] = _("Ongeldige datum: '%(value)s'.") % {"value": row.get("date")}
        elif moment > timezone.now():
            errors["date"] = _("De datum ligt in de toekomst.")
        if errors:
            raise ValidationError(errors)
        source = str(row.get("source") or "").strip()
        instance.import_row = self.current = ImportRow(
            email=email,
            name=str(row.get("name") or "").strip(),
            purpose=purpose,
            occurred_at=moment,
            reference=f"{self.batch} {source}".strip(),
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row of someone erased is left out, and the preview says why (`skip_reason`)."""
        data = getattr(instance, "import_row", None)
        self.skip_reason = ""
        if data is not None and email_hash(data.email) in self.erased:
            self.skip_reason = _("Deze persoon is gewist; de lijst brengt hem of haar niet terug.")
        return bool(self.skip_reason)

    def after_import_row(self, row, row_result, **kwargs):
        """What the preview shows of the row: every column as it will be read, and why a row is
        skipped."""
        row_result.skip_reason = getattr(self, "skip_reason", "")
        self.skip_reason = ""
        preview = {column: row.get(column, "") for column in COLUMNS}
        data = getattr(self, "current", None)
        if data is not None:  # as it is read: the address normalised, the purpose, the moment
            preview["email"], preview["purpose"] = data.email, data.purpose.name
            preview["date"] = timezone.localtime(data.occurred_at).strftime("%d-%m-%Y %H:%M")
        self.current = None
        row_result.preview = [preview[column] for column in COLUMNS]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The batch goes through the ledger's service; a dry run is rolled back afterwards."""
        if self.create_instances and (using_transactions or not dry_run):
            try:
                consents_import(
                    rows=[instance.import_row for instance in self.create_instances],
                    recorded_by=self.user,
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()


def optin_template_xlsx() -> bytes:
    """The opt-in list's template as an XLSX file: the five columns, an example row (its date a
    real date cell), and a second sheet with every active purpose's code and name."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Opt-ins")
    sheet.append(list(COLUMNS))
    first = ConsentPurpose.objects.filter(is_active=True).order_by("name").first()
    sheet.append(
        [
            "naam@school.example",
            "Voornaam Achternaam",
            first.name if first else "",
            dt.date(2025, 3, 14),
            _("beurs 2025"),
        ]
    )
    sheet["D2"].number_format = "DD-MM-YYYY"
    for column, width in zip("ABCDE", (32, 28, 36, 14, 24), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    purposes = book.create_sheet(_("Doelen"))
    purposes.append([_("code"), _("naam")])
    for purpose in ConsentPurpose.objects.filter(is_active=True).order_by("name"):
        purposes.append([purpose.slug, purpose.name])
    purposes.column_dimensions["A"].width = 28
    purposes.column_dimensions["B"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class SpreadsheetCSV(base_formats.CSV):
    """CSV as Excel writes it, in the Netherlands too: a UTF-8 byte-order mark is ignored, and the
    separator is whichever of ";" and "," the header line uses (Dutch Excel writes ";")."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.removeprefix("\ufeff")
        header = in_stream.split("\n", 1)[0]
        kwargs.setdefault("delimiter", ";" if header.count(";") > header.count(",") else ",")
        return tablib.import_set(in_stream, format="csv", **kwargs)
