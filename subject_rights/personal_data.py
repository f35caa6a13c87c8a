"""The access packages as a source of personal data: the ZIP files hold a copy of everything.
Erasure deletes the files; the rows (dates, size, hash, download count) hold nothing personal.
The announced liftings of a restriction carry the officer's reason, which may name the person:
exported, and blanked on erasure with their history."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from config.storage import packages as package_storage
from requests_desk.personal_data import requests_of
from subject_rights.models import AccessPackage, RestrictionLift
from subject_rights.sources import Kept, Person, Source


def _packages(person: Person):
    return AccessPackage.objects.filter(request__in=requests_of(person)).exclude(file="")


def export(person: Person) -> dict[str, list[dict]]:
    rows = [
        {
            "kenmerk": p.request.reference,
            "gemaakt_op": p.built_at,
            "verloopt_op": p.expires_at,
            "downloads": p.downloads,
        }
        for p in _packages(person).select_related("request")
    ]
    lifts = [
        {
            "kenmerk": lift.request.reference,
            "aangekondigd_op": lift.announced_at,
            "opheffen_op": lift.lift_on,
            "opgeheven_op": lift.lifted_at,
            "reden": lift.reason,
        }
        for lift in _lifts(person).select_related("request")
    ]
    tables = {"inzagepakketten": rows, "opheffingen_beperking": lifts}
    return {name: table for name, table in tables.items() if table}


def _lifts(person: Person):
    return RestrictionLift.objects.filter(request__in=requests_of(person))


def activities(person: Person) -> set[str]:
    return set()


@transaction.atomic
def erase(person: Person, *, by, reason: str) -> list[Kept]:
    for name in _packages(person).values_list("file", flat=True):
        # The file goes once the erasure is committed: a rolled-back erasure keeps it.
        transaction.on_commit(lambda name=name: package_storage().delete(name))
    _packages(person).update(file="")
    lifts = _lifts(person)
    RestrictionLift.history.filter(id__in=list(lifts.values_list("pk", flat=True))).delete()
    lifts.update(reason="(gewist)")
    return []


SOURCE = Source(
    key="inzagepakketten",
    label=gettext_lazy("Eerder verstrekte inzagepakketten"),
    export=export,
    activities=activities,
    erase=erase,
)
