"""Queue, then integrate (issue 19): an event is recorded without a number and integrated into
the chain and the tree later by the sequencer (`consents.services.ledger_integrate`). Its number
and hash are empty until then, and the triggers allow that one change, once (`triggers.py`).
The triggers are dropped around the change of the table (SQLite rebuilds it) and come back in
their new form."""

from django.conf import settings
from django.db import migrations, models

from consents import triggers


def drop_triggers(apps, schema_editor):
    triggers.drop(schema_editor.connection)


def create_triggers(apps, schema_editor):
    triggers.create(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0006_merge_duplicate_subjects'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AlterField(
            model_name='consentevent',
            name='hash',
            field=models.CharField(editable=False, max_length=64, null=True, unique=True, verbose_name='hash'),
        ),
        migrations.AlterField(
            model_name='consentevent',
            name='sequence',
            field=models.PositiveBigIntegerField(editable=False, null=True, unique=True, verbose_name='volgnummer'),
        ),
        migrations.AddIndex(
            model_name='consentevent',
            index=models.Index(condition=models.Q(('sequence__isnull', True)), fields=['id'], name='consents_event_queued'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
