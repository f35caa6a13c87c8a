"""Our own error pages (403, 404, 500 and a failed CSRF check), in the visitor's language and in the
office's style, never Django's bare or debug pages for our own views.

Django uses the handlers in `config.urls` only with DEBUG off; `OwnErrorPagesMiddleware` gives our
own views the same pages with DEBUG on, so a developer sees what a visitor sees (the admin and
unknown URLs keep Django's debug pages there). Under /api/ the answer is the API's JSON error
shape instead, never a page: `config.errors` chooses (this app sits below `api`)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

OUR_APPS = (
    "accounts",
    "privacy_register",
    "consents",
    "requests_desk",
    "subject_rights",
    "self_service",
    "audit_exports",
    "breaches",
    "connectors",
    "api",
)


def _page(request, status: int):
    texts = {
        403: (
            _("Geen toegang"),
            _(
                "Je hebt geen toegang tot deze pagina. Denk je dat dit niet klopt, vraag het dan"
                " aan de privacy officer."
            ),
        ),
        404: (
            _("Pagina niet gevonden"),
            _(
                "Deze pagina bestaat niet (meer). Controleer het adres, of ga terug naar de"
                " startpagina."
            ),
        ),
        500: (
            _("Er ging iets mis"),
            _(
                "Door een fout aan onze kant lukte dit niet. Er is niets half opgeslagen; probeer"
                " het over een paar minuten opnieuw."
            ),
        ),
        "csrf": (
            _("Formulier verlopen"),
            _(
                "Het formulier kon niet worden verwerkt omdat de beveiligingscode ontbrak of"
                " verlopen was. Ga terug, laad de pagina opnieuw en probeer het nog eens. Cookies"
                " moeten aan staan."
            ),
        ),
    }
    title, explanation = texts[status]
    code = 403 if status == "csrf" else status
    context = {"status": code, "title": title, "explanation": explanation}
    return render(request, "errors/error.html", context, status=code)


def forbidden(request, exception=None):
    return _page(request, 403)


def not_found(request, exception=None):
    return _page(request, 404)


def server_error(request):
    return _page(request, 500)


def csrf_failure(request, reason=""):
    return _page(request, "csrf")


class OwnErrorPagesMiddleware:
    """With DEBUG on, our own views' 404 and 403 still get our pages (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or not isinstance(exception, (Http404, PermissionDenied)):
            return None
        match = request.resolver_match
        module = getattr(match.func, "__module__", "") if match else ""
        if module.split(".")[0] not in OUR_APPS:
            return None
        return _page(request, 404 if isinstance(exception, Http404) else 403)
