from django.core.management.base import BaseCommand, CommandError

from consents.selectors import ledger_verify


class Command(BaseCommand):
    help = (
        "Walk the consent ledger's hash chain. Exits 0 when every event is intact; otherwise "
        "names the first event that was altered, inserted or removed and exits 1."
    )

    def handle(self, *args, **options):
        checked, chain_break = ledger_verify()
        if chain_break:
            raise CommandError(f"Ledger broken after {checked} intact events — {chain_break}")
        self.stdout.write(self.style.SUCCESS(f"Ledger intact: {checked} events verified."))
