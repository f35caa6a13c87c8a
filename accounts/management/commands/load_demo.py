from importlib import import_module, util

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import DOMAIN_APPS


class Command(BaseCommand):
    help = "Load the demo data of every app that has some (each app's demo.load). Idempotent."

    def handle(self, *args, **options):
        for label in DOMAIN_APPS:
            if util.find_spec(f"{label}.demo") is None:
                continue
            with transaction.atomic():
                import_module(f"{label}.demo").load(stdout=self.stdout)
