"""Erase again, in every source, each person whose erasure the store outside the database records
but the database does not: after a restore from a backup older than those erasures (run by
ops/restore.sh before the restored database is used). Idempotent: an erased person is skipped."""

from django.core.management.base import BaseCommand
from django.db import transaction

from consents import anchor
from consents.models import DataSubject
from consents.personal_data import subjects_by_erasure_hash
from subject_rights.sources import Person, sources


class Command(BaseCommand):
    help = (
        "Replay the erasures recorded outside the database (consents' ledger store) that the "
        "database does not show: the person is erased again in every source."
    )

    def handle(self, *args, **options):
        replayed, records = 0, anchor.erasures_read()
        # By the record's hash, or a legacy spelling's for a record older than one normaliser.
        found = subjects_by_erasure_hash(record["email_hash"] for record in records)
        for record in records:
            if record["email_hash"] not in found:
                continue
            with transaction.atomic():
                subject = (
                    DataSubject.objects.select_for_update()
                    .filter(pk=found[record["email_hash"]], erased_at__isnull=True)
                    .first()
                )
                if subject is None:
                    continue
                person = Person(email=subject.email or "", subject=subject)
                for source in sources():
                    source.erase(person, by=None, reason=f"replay of {record['erased_at']}")
                replayed += 1
        self.stdout.write(f"Erasures replayed: {replayed}.")
