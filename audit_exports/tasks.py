from celery import shared_task

from audit_exports import jobs


@shared_task(name="audit_exports.tasks.export_run")
def export_run_task(job_id: int) -> None:
    jobs.export_run(job_id=job_id)


@shared_task(name="audit_exports.tasks.exports_expire")
def exports_expire() -> int:
    return jobs.exports_expire()
