"""The database refuses UPDATE and DELETE on the ledger (consents.triggers)."""

from django.db import migrations

from consents import triggers


def create(apps, schema_editor):
    triggers.create(schema_editor.connection, tables=(triggers.TABLE,))


def drop(apps, schema_editor):
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
