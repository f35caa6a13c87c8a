from django import forms
from django.utils.translation import gettext_lazy as _

from audit_exports.models import Format
from audit_exports.tables import exportable_tables


class ExportForm(forms.Form):
    tables = forms.MultipleChoiceField(
        label=_("Tabellen"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    date_from = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        label=_("Formaat"), choices=Format.choices, initial=Format.XLSX, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tables"].choices = [
            (label, f"{table.title} ({label})") for label, table in exportable_tables().items()
        ]
