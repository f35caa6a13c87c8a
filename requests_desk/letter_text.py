"""What a letter template may say: the fixed set of plain values it can use, and the check that
refuses text that would not render. No model here, so the model's validation can call it."""

from django.core.exceptions import ValidationError
from django.template import Template, TemplateSyntaxError
from django.template.base import VariableNode
from django.utils.translation import gettext as _

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
    "systemen",
    "opheffen_op",
    "tekst",
    "per_systeem",
)


def variables_in(text: str) -> set[str]:
    """The letter values a template's text prints (`{{ naam }}`, `{{ naam|upper }}`)."""
    names = set()
    for node in Template(text).nodelist.get_nodes_by_type(VariableNode):
        name = getattr(node.filter_expression.var, "var", None)
        if isinstance(name, str):
            names.add(name.split(".")[0])
    return names


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
