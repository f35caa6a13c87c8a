"""The access packages as a source of personal data: the ZIP files hold a copy of everything.
Erasure deletes the files; the rows (dates, size, hash, download count) hold nothing personal."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from config.storage import packages as package_storage
from requests_desk.personal_data import requests_of
from subject_rights.models import AccessPackage
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
    return {"inzagepakketten": rows} if rows else {}


def activities(person: Person) -> set[str]:
    return set()


@transaction.atomic
def erase(person: Person, *, by, reason: str) -> list[Kept]:
    for name in _packages(person).values_list("file", flat=True):
        # The file goes once the erasure is committed: a rolled-back erasure keeps it.
        transaction.on_commit(lambda name=name: package_storage().delete(name))
    _packages(person).update(file="")
    return []


SOURCE = Source(
    key="inzagepakketten",
    label=gettext_lazy("Eerder verstrekte inzagepakketten"),
    export=export,
    activities=activities,
    erase=erase,
)
