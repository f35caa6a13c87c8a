"""The register's forms in the admin: list fields as the widgets a person uses (ticks), never as
raw JSON."""

from django import forms
from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from privacy_register.models import ProcessingActivity


def request_kind_choices() -> list[tuple[str, str]]:
    """The kinds of request the desk knows; the desk declares them (`request_kinds` on its
    AppConfig, a dotted path to its choices), as the register sits below the desk."""
    choices = []
    for config in apps.get_app_configs():
        path = getattr(config, "request_kinds", "")
        if path:
            choices.extend(import_string(path).choices)
    return choices


class ProcessingActivityForm(forms.ModelForm):
    request_kinds = forms.MultipleChoiceField(
        label=_("soorten verzoeken"),
        choices=request_kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Voor welke soorten verzoeken de balie hier een taak aanmaakt."),
    )

    class Meta:
        model = ProcessingActivity
        # The admin gives the fields from its fieldsets; this form only shapes this one.
        fields = ["request_kinds"]
