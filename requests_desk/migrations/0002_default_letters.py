"""The default Dutch letters, as the privacy officer finds them on the first day. They can be
edited in the admin afterwards; this migration never overwrites an edited letter."""

from django.db import migrations

from requests_desk.default_letters import LETTERS


def add_default_letters(apps, schema_editor):
    LetterTemplate = apps.get_model("requests_desk", "LetterTemplate")
    for kind, (subject, body) in LETTERS.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("requests_desk", "0001_initial")]

    operations = [migrations.RunPython(add_default_letters, migrations.RunPython.noop)]
