"""The requests of a subject merged into another (consents 0006: one subject per address) name
the subject it was merged into."""

from django.db import migrations


def follow(apps, schema_editor):
    DataSubject = apps.get_model("consents", "DataSubject")
    DataSubjectRequest = apps.get_model("requests_desk", "DataSubjectRequest")
    merged = DataSubject.objects.filter(merged_into__isnull=False)
    for pk, into in merged.values_list("pk", "merged_into_id").iterator():
        DataSubjectRequest.objects.filter(subject_id=pk).update(subject_id=into)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_desk", "0008_outbox_sending_and_message_id"),
        ("consents", "0006_merge_duplicate_subjects"),
    ]

    operations = [migrations.RunPython(follow, migrations.RunPython.noop)]
