"""django-import-export resources of the consent ledger.

`OptInImportResource` reads an existing opt-in list (CSV or XLSX with the columns email, name,
purpose, date, source) and turns every row into a ledger event through the services: the subject
found or created, a "given" event with collection method "import" and the batch as reference.
Rows are checked one by one and written in batches (`consents_import`), so a list of a hundred
thousand addresses imports in a fixed number of queries per batch. A row of someone erased since
is skipped, and a consent older than the person's last change joins the ledger without moving
their current state (an old list does not undo a later opt-out).
A row that cannot be imported is reported with its line and reason; an import with any bad row
writes nothing (the whole import runs in one transaction that is rolled back).
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from import_export import fields, resources

from consents.models import ConsentEvent, ConsentPurpose, DataSubject
from consents.services import ImportRow, consents_import, email_hashes, normalise_email

COLUMNS = ("email", "name", "purpose", "date", "source")


def _parse_moment(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(12))
    else:
        text = str(value or "").strip()
        moment = parse_datetime(text) or (
            dt.datetime.combine(parse_date(text), dt.time(12)) if parse_date(text) else None
        )
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


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
        self.purposes = {p.slug: p for p in ConsentPurpose.objects.filter(is_active=True)}
        # People erased since the list was made are not brought back by it (Art. 17).
        self.erased = set(
            DataSubject.objects.filter(erased_at__isnull=False).values_list("email_hash", flat=True)
        )
        self.user = kwargs.get("user")

    def import_instance(self, instance, row, **kwargs):
        """Check the row; what it means is kept on the instance for the save."""
        errors = {}
        email = normalise_email(str(row.get("email") or ""))
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Ongeldig e-mailadres: '%(value)s'.") % {"value": row.get("email")}
        purpose = self.purposes.get(str(row.get("purpose") or "").strip())
        if purpose is None:
            errors["purpose"] = _("Onbekend doel: '%(value)s'.") % {"value": row.get("purpose")}
        moment = _parse_moment(row.get("date"))
        if moment is None:
            errors["date"] = _("Ongeldige datum: '%(value)s'.") % {"value": row.get("date")}
        elif moment > timezone.now():
            errors["date"] = _("De datum ligt in de toekomst.")
        if errors:
            raise ValidationError(errors)
        source = str(row.get("source") or "").strip()
        instance.import_row = ImportRow(
            email=email,
            name=str(row.get("name") or "").strip(),
            purpose=purpose,
            occurred_at=moment,
            reference=f"{self.batch} {source}".strip(),
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row of someone erased is left out, and shows as skipped in the preview — also when
        they were erased under an older spelling of the address (`email_hashes`)."""
        data = getattr(instance, "import_row", None)
        return data is not None and not self.erased.isdisjoint(email_hashes(data.email))

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
