"""The register's part of `manage.py load_demo`: Rezulto's register, and its statement published
once so that /privacy/verklaring/ shows it."""

from privacy_register.models import PublishedStatement
from privacy_register.services import register_load_rezulto, statement_publish


def load(*, stdout) -> None:
    counts = register_load_rezulto()
    stdout.write(f"Register: {counts['created']} created, {counts['kept']} left as they were.")
    if not PublishedStatement.objects.exists():
        statement = statement_publish(by=None)
        stdout.write(f"Privacy statement: version {statement.version} published.")
