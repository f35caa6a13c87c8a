"""A request's task checklist, built from the register: one task per system of every active
processing activity that holds a findable person's data and is relevant to the kind of request
(or one task for the activity when the register names no system). A general objection
(Art. 21(1) GDPR) concerns exactly the activities that rest on a legitimate interest."""

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from privacy_register.models import LegalBasis, ProcessingActivity
from requests_desk.models import DataSubjectRequest, RequestKind, RequestTask

VERBS = {
    "access": _("Gegevens opzoeken en exporteren"),
    "portability": _("Verstrekte gegevens exporteren (machineleesbaar)"),
    "rectification": _("Gegevens corrigeren"),
    "erasure": _("Gegevens verwijderen of anonimiseren"),
    "restriction": _("Verwerking beperken"),
    "objection_direct_marketing": _("Afmelden voor direct marketing"),
    "withdraw_consent": _("Toestemming intrekken"),
    "objection": _("Verwerking stoppen als het bezwaar wordt toegewezen"),
}


def tasks_for(request: DataSubjectRequest) -> list[RequestTask]:
    """The unsaved tasks for `request` (two queries, whatever the size of the register, and one
    per app that declares automatic systems)."""
    activities = (
        ProcessingActivity.objects.active()
        .filter(is_searchable_by_subject=True)
        .prefetch_related("systems")
        .order_by("name")
    )
    verb = VERBS[request.kind]
    # Systems an app above carries out itself for this kind (a connector): no task by hand. Each
    # app declares `checklist_automatic_systems`, the dotted path of a function (kind) → ids.
    automatic = set()
    for config in apps.get_app_configs():
        declared = getattr(config, "checklist_automatic_systems", None)
        if declared:
            automatic |= set(import_string(declared)(kind=request.kind))
    tasks = []
    for activity in activities:
        if request.kind == RequestKind.OBJECTION:
            if activity.legal_basis != LegalBasis.LEGITIMATE_INTEREST:
                continue
        elif request.kind not in activity.request_kinds:
            continue
        systems = list(activity.systems.all()) or [None]
        systems = [s for s in systems if s is None or s.pk not in automatic]
        for system in systems:
            where = f"{activity.name} — {system.name}" if system else activity.name
            tasks.append(
                RequestTask(
                    request=request, activity=activity, system=system, title=f"{verb}: {where}"
                )
            )
    return tasks
