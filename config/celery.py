import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("privacy_office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_success.connect
def _record_success(sender=None, **kwargs):
    # The last success of every job, for the metrics (config/metrics.py): plumbing, not logic.
    from config.metrics import job_succeeded

    job_succeeded(sender.name)
