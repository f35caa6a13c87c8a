"""The rights' part of the demo office: an access package built for the oldest access request
being worked (its link mailed), and the demo restriction request carried out. Idempotent."""

from requests_desk.models import OPEN_STATUSES, DataSubjectRequest, IdentityStatus, RequestKind
from subject_rights.models import AccessPackage
from subject_rights.services import package_build, restriction_apply


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
        package = package_build(request=access)
        stdout.write(f"Rights: access package for {access.reference}, {package.size_bytes} bytes.")
    if restriction:
        restriction_apply(request=restriction, by=None)
        stdout.write(f"Rights: processing restricted for {restriction.reference}.")
