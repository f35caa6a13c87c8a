"""The rights' part of the demo office: an access package built for the oldest access request
being worked (its link mailed) once every system has answered — the CRM with its export, the
others with nothing found — and the demo restriction request carried out. Idempotent."""

from requests_desk.models import (
    OPEN_STATUSES,
    DataSubjectRequest,
    IdentityStatus,
    RequestKind,
    TaskResult,
)
from requests_desk.services import task_record_result
from subject_rights.models import AccessPackage
from subject_rights.services import package_build, restriction_apply


def _systems_answer(request) -> None:
    """What the systems outside this application gave: the CRM's export, nothing elsewhere."""
    for task in request.tasks.filter(done_at__isnull=True).select_related("system"):
        if task.system and task.system.slug == "crm":
            export = (
                "klantnummer,naam,e-mailadres,laatste_aankoop\n"
                f"K-10442,{request.requester_name},{request.requester_email},2026-03-14\n"
            )
            task_record_result(
                task=task,
                result_kind=TaskResult.EXPORTED,
                by=None,
                note="Export uit het CRM, klantkaart en orders.",
                file_name="crm-export.csv",
                file_content=export.encode(),
            )
        elif not (task.system and task.system.slug == "privacy-office"):
            task_record_result(task=task, result_kind=TaskResult.NOTHING_FOUND, by=None)


def load(*, stdout) -> None:
    if AccessPackage.objects.exists():
        stdout.write("Rights: demo access package already there.")
        return
    worked = DataSubjectRequest.objects.filter(
        status__in=OPEN_STATUSES, identity_status=IdentityStatus.VERIFIED, subject__isnull=False
    ).order_by("received_at")
    access = worked.filter(kind=RequestKind.ACCESS).first()
    restriction = worked.filter(kind=RequestKind.RESTRICTION, subject__is_restricted=False).first()
    if access:
        _systems_answer(access)
        package = package_build(request=access)
        stdout.write(f"Rights: access package for {access.reference}, {package.size_bytes} bytes.")
    if restriction:
        restriction_apply(request=restriction, by=None)
        stdout.write(f"Rights: processing restricted for {restriction.reference}.")
