from django.core.management.base import BaseCommand

from privacy_register.services import register_load_rezulto


class Command(BaseCommand):
    help = (
        "Load Rezulto's register of processing activities from its privacy statement: creates "
        "what is missing, leaves what exists alone."
    )

    def handle(self, *args, **options):
        counts = register_load_rezulto()
        self.stdout.write(
            f"Register: {counts['created']} created, {counts['kept']} left as they were."
        )
