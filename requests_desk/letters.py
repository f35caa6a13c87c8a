"""Rendering a letter template with one request's data.

The privacy officer edits the templates, so they see only a fixed set of plain values (no model
objects, nothing to walk from), in Dutch formats. Letters are plain-text mail: no HTML escaping.
"""

from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.template.base import VariableNode
from django.utils import formats, translation
from django.utils.translation import gettext as _

from requests_desk.models import DataSubjectRequest, LetterTemplate

# The names a letter template may use (LetterTemplate.body's help text lists them).
VARIABLES = (
    "naam",
    "kenmerk",
    "soort",
    "ontvangen_op",
    "termijn",
    "streefdatum",
    "verlengde_termijn",
    "reden_verlenging",
    "uitkomst",
    "redenen",
    "link",
    "verloopt_op",
    "bewaard",
)


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
            **extra,
        }


def check_template_text(text: str) -> None:
    """Refuse template text that would not render, or that names a value letters do not have
    (a misspelt {{ kenmerk }} would otherwise leave a silent gap in every letter)."""
    try:
        template = Template(text)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("Deze tekst is geen geldig sjabloon: %(error)s") % {"error": error},
            code="syntax",
        ) from None
    unknown = set()
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        variable = node.filter_expression.var
        name = getattr(variable, "var", None)
        if isinstance(name, str) and name.split(".")[0] not in VARIABLES:
            unknown.add(name)
    if unknown:
        raise ValidationError(
            _("Onbekende gegevens in het sjabloon: %(names)s. Beschikbaar: %(known)s.")
            % {"names": ", ".join(sorted(unknown)), "known": ", ".join(VARIABLES)},
            code="unknown_variable",
        )


def render_letter(
    template: LetterTemplate, request: DataSubjectRequest, **extra
) -> tuple[str, str]:
    """(subject, body) of `template` filled in for `request`, in Dutch."""
    context = Context(letter_context(request, **extra), autoescape=False)
    try:
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
