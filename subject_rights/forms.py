"""The rights' forms on the desk. They check the shape of the input; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RectificationForm(forms.Form):
    """The corrected values; an empty field stays as it is."""

    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=40, required=False)
    organisation = forms.CharField(label=_("Onderwijsorganisatie"), max_length=200, required=False)
    function = forms.CharField(label=_("Functie"), max_length=150, required=False)


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat wissen definitief is en niet ongedaan kan worden gemaakt."),
    )
    kept_what = forms.CharField(
        label=_("Wat blijft daarnaast bewaard (art. 17 lid 3)?"), max_length=300, required=False
    )
    kept_reason = forms.CharField(
        label=_("Reden"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LiftRestrictionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van opheffen"), widget=forms.Textarea(attrs={"rows": 2})
    )
