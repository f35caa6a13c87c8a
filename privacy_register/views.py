"""The public privacy statement: the latest published version, and every earlier one."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from privacy_register.models import PublishedStatement


def statement(request, version: int | None = None):
    versions = list(PublishedStatement.objects.only("version", "published_at"))
    if not versions:
        raise Http404("Nog geen privacyverklaring gepubliceerd.")
    latest = versions[0]
    shown = get_object_or_404(PublishedStatement, version=version or latest.version)
    return render(
        request,
        "privacy_register/statement.html",
        {"statement": shown, "latest": latest, "versions": versions},
    )
