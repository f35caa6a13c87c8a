"""Rendering a letter template with one request's data.

The privacy officer edits the templates, so they see only a fixed set of plain values (no model
objects, nothing to walk from), in Dutch formats. Letters are plain-text mail: no HTML escaping.
A letter is never rendered with a blank: a value the template prints that the request does not
have (an extension letter without an extended date) is an error, never an empty string.
"""

from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.utils import formats, translation
from django.utils.translation import gettext as _

from requests_desk.letter_text import VARIABLES, check_template_text, variables_in
from requests_desk.models import DataSubjectRequest, LetterTemplate

__all__ = ["VARIABLES", "check_template_text", "letter_context", "render_letter"]


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def letter_context(request: DataSubjectRequest, **extra: str) -> dict[str, str]:
    with translation.override("nl"):
        return {
            "naam": request.requester_name,
            "kenmerk": request.reference,
            "soort": str(request.get_kind_display()).lower(),
            "ontvangen_op": _date(request.received_on),
            "termijn": _date(request.due_on),
            "streefdatum": _date(request.target_on),
            "verlengde_termijn": _date(request.extended_due_on),
            "reden_verlenging": request.extension_reason,
            "uitkomst": request.outcome,
            "redenen": "",
            "link": "",
            "verloopt_op": "",
            "bewaard": "",
            "systemen": "",
            "opheffen_op": "",
            "tekst": "",
            "per_systeem": "",
            **extra,
        }


def render_letter(
    template: LetterTemplate, request: DataSubjectRequest, **extra
) -> tuple[str, str]:
    """(subject, body) of `template` filled in for `request`, in Dutch. Refused when the
    template prints a value this request has not got."""
    values = letter_context(request, **extra)
    try:
        used = variables_in(template.subject) | variables_in(template.body)
        missing = sorted(name for name in used if not str(values.get(name) or "").strip())
        if missing:
            raise ValidationError(
                _(
                    "De brief '%(kind)s' kan niet worden gemaakt: deze gegevens ontbreken: "
                    "%(names)s."
                )
                % {"kind": template.get_kind_display(), "names": ", ".join(missing)},
                code="missing_data",
            )
        context = Context(values, autoescape=False)
        with translation.override("nl"):
            subject = Template(template.subject).render(context).strip()
            body = Template(template.body).render(context).strip() + "\n"
    except TemplateSyntaxError as error:  # saved around the admin's check (shell, migration)
        raise ValidationError(
            _("Het briefsjabloon '%(kind)s' is ongeldig: %(error)s")
            % {"kind": template.get_kind_display(), "error": error},
            code="template",
        ) from None
    return " ".join(subject.split()), body
