"""The desk's forms. They check the shape of the input; the rules are the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_desk.models import Channel, IdentityMethod, ObjectionDecision, RequestKind, TaskResult

INTAKE_CHANNELS = [
    (c, label) for c, label in Channel.choices if c not in (Channel.WEB_FORM, Channel.API)
]


class IntakeForm(forms.Form):
    """A request received by e-mail, post or phone."""

    kind = forms.ChoiceField(label=_("Soort verzoek"), choices=RequestKind.choices)
    channel = forms.ChoiceField(label=_("Ontvangen via"), choices=INTAKE_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("Ontvangen op"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Het moment van ontvangst: hier begint de termijn te lopen."),
    )
    requester_name = forms.CharField(label=_("Naam"), max_length=200)
    requester_email = forms.EmailField(label=_("E-mailadres"), required=False)
    requester_phone = forms.CharField(label=_("Telefoonnummer"), max_length=40, required=False)
    requester_address = forms.CharField(
        label=_("Postadres"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat vraagt de verzoeker? Geen kopie van een identiteitsbewijs bewaren."),
    )

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now():
            raise forms.ValidationError(_("De ontvangstdatum ligt in de toekomst."))
        return received_at

    def clean(self):
        data = super().clean()
        if not any(
            data.get(f) for f in ("requester_email", "requester_phone", "requester_address")
        ):
            raise forms.ValidationError(
                _("Vul ten minste een e-mailadres, telefoonnummer of adres in.")
            )
        if data.get("channel") == Channel.EMAIL and not data.get("requester_email"):
            self.add_error("requester_email", _("Een verzoek per e-mail heeft een e-mailadres."))
        return data


class VerifyForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Hoe is de identiteit gecontroleerd?"), choices=IdentityMethod.choices
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label=_("Uitkomst (komt in de afrondingsbrief)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    override_reason = forms.CharField(
        label=_("Reden om af te ronden met open taken (alleen privacy officer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reasons = forms.CharField(
        label=_("Redenen van de afwijzing (komen in de brief)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Verlengen met"),
        coerce=int,
        choices=[(1, _("één maand")), (2, _("twee maanden"))],
        initial=2,
    )
    reason = forms.CharField(
        label=_("Reden (komt in de brief)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek op kenmerk, naam, e-mailadres of telefoonnummer"), required=False
    )


class TaskResultForm(forms.Form):
    """What a system outside this application gave for one task."""

    result_kind = forms.ChoiceField(label=_("Resultaat"), choices=TaskResult.choices)
    records_count = forms.IntegerField(
        label=_("Aantal verwijderde records"), min_value=0, required=False
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    export = forms.FileField(
        label=_("Export van het systeem (CSV, JSON of PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,.pdf"}),
    )


class AnswerOverrideForm(forms.Form):
    """The privacy officer lets the answer go before every system has answered."""

    reason = forms.CharField(
        label=_("Reden om eerder te antwoorden"), widget=forms.Textarea(attrs={"rows": 2})
    )
    still_coming_on = forms.DateField(
        label=_("De rest volgt uiterlijk op"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ObjectionDecisionForm(forms.Form):
    """The privacy officer's decision on a general objection (Art. 21(1) GDPR)."""

    decision = forms.ChoiceField(label=_("Besluit"), choices=ObjectionDecision.choices)
    balancing = forms.CharField(
        label=_("Belangenafweging"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Weeg het belang van de organisatie af tegen de bijzondere situatie van de "
            "verzoeker. Deze afweging wordt vastgelegd."
        ),
    )
