"""The public forms. Every field has a label and, where useful, a hint; errors are Dutch and are
linked from the error summary at the top of the page to the field they belong to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from self_service.rights import KIND_CHOICES, RIGHTS, RIGHTS_BY_KIND

HONEYPOT_FIELD = "website"


class PublicForm(forms.Form):
    """A form for people without an account: a honeypot against bots, and the ARIA attributes that
    tie each field to its hint and its error (no JavaScript needed)."""

    # Hidden from people by CSS (class "hp"), left alone by screen readers (aria-hidden on its
    # wrapper); a bot that fills every field fills this one too.
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    hints: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.hints:
                field.help_text = self.hints[name]
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = [f"id_{name}-error", attrs.get("aria-describedby", "")]
                attrs["aria-describedby"] = " ".join(part for part in described if part)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the order of the fields on the page."""
        links = [("#main", message) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, ()):
                suffix = "_0" if isinstance(field.widget, forms.RadioSelect) else ""
                links.append((f"#id_{name}{suffix}", message))
        return links


class RequestForm(PublicForm):
    kind = forms.ChoiceField(
        label=_("Wat wil je vragen?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wat je wilt vragen."),
            "invalid_choice": _("Kies een van de verzoeken uit de lijst."),
        },
    )
    name = forms.CharField(
        label=_("Je naam"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Vul je naam in."),
            "max_length": _("Je naam mag hoogstens %(limit_value)d tekens lang zijn."),
        },
    )
    email = forms.EmailField(
        label=_("Je e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul je e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
            "max_length": _("Een e-mailadres is hoogstens %(limit_value)d tekens lang."),
        },
    )
    details = forms.CharField(
        label=_("Toelichting (niet verplicht, behalve bij correctie)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("Houd de toelichting korter dan %(limit_value)d tekens."),
        },
    )

    hints = {
        "email": _(
            "We sturen een bevestigingslink naar dit adres. Pas als je op de link klikt, "
            "nemen we je verzoek in behandeling. Gebruik het adres waarmee je bij ons bekend bent."
        ),
        "details": _(
            "Bijvoorbeeld welke gegevens niet kloppen en wat ze moeten zijn, of over welke "
            "nieuwsbrief het gaat. Stuur geen kopie van je identiteitsbewijs mee."
        ),
    }

    field_order = ["kind", "name", "email", "details", "website"]

    def clean(self):
        cleaned = super().clean()
        right = RIGHTS_BY_KIND.get(cleaned.get("kind", ""))
        if right and right.details_required and not cleaned.get("details", "").strip():
            self.add_error(
                "details",
                _("Vertel in de toelichting welke gegevens niet kloppen en hoe het moet."),
            )
        return cleaned

    def kind_options(self):
        """Each radio button beside the right it stands for (title, explanation, article)."""
        return list(zip(self["kind"], RIGHTS, strict=True))


class PreferenceLinkForm(PublicForm):
    email = forms.EmailField(
        label=_("Je e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul je e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
            "max_length": _("Een e-mailadres is hoogstens %(limit_value)d tekens lang."),
        },
    )

    hints = {
        "email": _("We sturen je een persoonlijke link naar je voorkeuren op dit adres."),
    }

    field_order = ["email", "website"]


class PreferencesForm(PublicForm):
    """One yes/no question per consent purpose, with the wording version the person is shown; the
    version travels with the form, so the ledger records the text that was on the screen."""

    YES, NO = "yes", "no"

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"purpose_{row.purpose.pk}"] = forms.ChoiceField(
                label=row.name,
                choices=[(self.YES, _("Ja, graag")), (self.NO, _("Nee, liever niet"))],
                widget=forms.RadioSelect,
                initial=self.YES if row.given else self.NO,
                error_messages={
                    "required": _("Kies ja of nee bij “%(name)s”.") % {"name": row.name},
                    "invalid_choice": _("Kies ja of nee bij “%(name)s”.") % {"name": row.name},
                },
            )
            self.fields[f"version_{row.purpose.pk}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=row.version_key
            )

    def questions(self):
        """Each purpose beside its radio buttons and the hidden version it was shown with."""
        return [
            (row, self[f"purpose_{row.purpose.pk}"], self[f"version_{row.purpose.pk}"])
            for row in self.rows
        ]

    def wanted(self) -> dict[int, bool]:
        return {
            row.purpose.pk: self.cleaned_data[f"purpose_{row.purpose.pk}"] == self.YES
            for row in self.rows
        }

    def shown_versions(self) -> dict[int, str]:
        return {row.purpose.pk: self.cleaned_data[f"version_{row.purpose.pk}"] for row in self.rows}
