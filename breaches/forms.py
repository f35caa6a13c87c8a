"""The breach register's forms. They check the shape of the input; the rules are the services'."""

import csv
import io

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from breaches.models import (
    BreachStatus,
    Cause,
    Decision,
    Encryption,
    HowFound,
    Nature,
    NoticeGround,
)
from breaches.selectors import notice_systems
from consents.models import ConsentPurpose
from privacy_register.models import (
    DataSubjectCategory,
    PersonalDataCategory,
    ProcessingActivity,
    Processor,
    System,
)

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_LIST_BYTES = 20 * 1024 * 1024

# EDPB Guidelines 9/2022 on personal data breach notification (and the examples of Guidelines
# 01/2021): guidance shown beside the decision, not a rule the code applies.
GUIDANCE = {
    Decision.NO_RISK: _(
        "Geen risico als de gegevens al openbaar waren, of goed versleuteld zijn en de sleutel "
        "veilig is, of als een verkeerd verstuurde e-mail aantoonbaar ongelezen is verwijderd "
        "door een betrouwbare ontvanger. Wel vastleggen in dit register (art. 33(5))."
    ),
    Decision.RISK: _(
        "Risico bij bijvoorbeeld een gestolen onversleutelde laptop met klantgegevens, "
        "ransomware zonder aanwijzing dat gegevens zijn weggehaald maar met tijdelijke "
        "onbeschikbaarheid, of een lijst met namen en e-mailadressen die bij de verkeerde "
        "ontvanger terechtkwam: melden bij de AP binnen 72 uur."
    ),
    Decision.HIGH_RISK: _(
        "Hoog risico bij bijzondere persoonsgegevens (gezondheid), financiële gegevens, "
        "wachtwoorden of gegevens van kinderen die in handen van onbevoegden zijn gekomen, bij "
        "ransomware waarbij gegevens zijn weggehaald, of bij grote aantallen betrokkenen met "
        "kans op identiteitsfraude of phishing: ook de betrokkenen informeren (art. 34)."
    ),
}


class ReportForm(forms.Form):
    """A breach reported by any member of staff."""

    title = forms.CharField(label=_("Korte omschrijving"), max_length=200)
    what_happened = forms.CharField(
        label=_("Wat is er gebeurd?"), widget=forms.Textarea(attrs={"rows": 5})
    )
    occurred_at = forms.DateTimeField(
        label=_("Wanneer is het gebeurd?"),
        required=False,
        widget=MOMENT,
        help_text=_("Leeg laten als het (nog) niet bekend is."),
    )
    aware_at = forms.DateTimeField(
        label=_("Wanneer werd het bekend?"),
        widget=MOMENT,
        help_text=_("Tot op de minuut: hier begint de termijn van 72 uur."),
    )
    how_found = forms.ChoiceField(label=_("Hoe is het ontdekt?"), choices=HowFound.choices)
    cause = forms.ChoiceField(label=_("Oorzaak"), choices=Cause.choices)
    processor = forms.ModelChoiceField(
        label=_("Verwerker die het meldde"),
        queryset=Processor.objects.order_by("name"),
        required=False,
        help_text=_("Alleen bij een melding door een verwerker (art. 33(2))."),
    )
    processor_reported_at = forms.DateTimeField(
        label=_("Door de verwerker gemeld op"), required=False, widget=MOMENT
    )


class AssessmentForm(forms.Form):
    natures = forms.MultipleChoiceField(
        label=_("Soort inbreuk"),
        choices=Nature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Verwerkingsactiviteiten"),
        queryset=ProcessingActivity.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    systems = forms.ModelMultipleChoiceField(
        label=_("Systemen"),
        queryset=System.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    data_categories = forms.ModelMultipleChoiceField(
        label=_("Categorieën persoonsgegevens"),
        queryset=PersonalDataCategory.objects.order_by("-is_special", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bijzondere categorieën (art. 9) staan bovenaan en zijn gemarkeerd."),
    )
    subject_categories = forms.ModelMultipleChoiceField(
        label=_("Categorieën betrokkenen"),
        queryset=DataSubjectCategory.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_min = forms.IntegerField(label=_("Aantal betrokkenen, minimaal"), min_value=0)
    people_max = forms.IntegerField(label=_("Aantal betrokkenen, maximaal"), min_value=0)
    records = forms.IntegerField(label=_("Aantal gegevensrecords (ongeveer)"), min_value=0)
    encrypted = forms.ChoiceField(label=_("Gegevens versleuteld"), choices=Encryption.choices)
    cross_border = forms.BooleanField(label=_("Betrokkenen in andere EU-landen"), required=False)
    consequences = forms.CharField(
        label=_("Waarschijnlijke gevolgen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measures_taken = forms.CharField(
        label=_("Genomen maatregelen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    measures_planned = forms.CharField(
        label=_("Voorgenomen maatregelen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("", _("nog geen besluit"))] + Decision.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(
        label=_("Onderbouwing"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FileForm(forms.Form):
    filed_at = forms.DateTimeField(label=_("Ingediend op"), widget=MOMENT)
    ap_reference = forms.CharField(label=_("Meldnummer van de AP"), max_length=60)
    late_reasons = forms.CharField(
        label=_("Redenen voor de vertraging"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht als de melding na de 72 uur wordt gedaan (art. 33(1))."),
    )


class FollowUpForm(forms.Form):
    filed_at = forms.DateTimeField(label=_("Ingediend op"), widget=MOMENT)
    text = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 4}))


class NoticeForm(forms.Form):
    """Who is told, and the text (from the Dutch template, editable)."""

    SOURCES = [
        ("ledger", _("Betrokkenen uit het toestemmingsregister")),
        ("upload", _("Een geüploade lijst (CSV: e-mailadres, naam)")),
        ("systems", _("Iedereen in de getroffen gekoppelde systemen")),
    ]
    source = forms.ChoiceField(label=_("Ontvangers"), choices=SOURCES, widget=forms.RadioSelect)
    purpose = forms.ModelChoiceField(
        label=_("Alleen wie bij dit doel in het register staat"),
        queryset=ConsentPurpose.objects.order_by("name"),
        required=False,
    )
    systems = forms.ModelMultipleChoiceField(
        label=_("Gekoppelde systemen"),
        queryset=System.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Iedereen van wie deze systemen gegevens hebben krijgt het bericht; het opzoeken "
            "gebeurt op de achtergrond en het bericht gaat daarna vanzelf uit."
        ),
    )
    people_file = forms.FileField(label=_("Lijst met ontvangers"), required=False)
    subject = forms.CharField(label=_("Onderwerp"), max_length=300)
    body = forms.CharField(
        label=_("Tekst"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("{naam} wordt de naam van de ontvanger."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = notice_systems()

    def clean(self):
        data = super().clean()
        if data.get("source") == "systems" and not data.get("systems"):
            raise forms.ValidationError(_("Kies ten minste één gekoppeld systeem."))
        if data.get("source") == "upload":
            upload = data.get("people_file")
            if upload is None:
                raise forms.ValidationError(_("Kies een bestand met ontvangers."))
            if upload.size > MAX_LIST_BYTES:
                raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
            data["people"] = read_people(upload.read())
        return data


def read_people(raw: bytes) -> list[tuple[str, str]]:
    """An uploaded list: one person per line, the e-mail address first, then the name; a header
    line is skipped. A bad address is refused with its line number."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise forms.ValidationError(_("Het bestand is geen UTF-8-tekst.")) from error
    people = []
    dialect = csv.excel_tab if "\t" in text.split("\n", 1)[0] else csv.excel
    if ";" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0]:
        dialect = "excel-semicolon"
        csv.register_dialect(dialect, delimiter=";")
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if not row or not row[0].strip():
            continue
        email = row[0].strip()
        if number == 1 and "@" not in email:
            continue  # the header
        try:
            validate_email(email)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                _("Regel %(n)s: '%(email)s' is geen geldig e-mailadres.")
                % {"n": number, "email": email}
            ) from error
        people.append((email, row[1].strip() if len(row) > 1 else ""))
    if not people:
        raise forms.ValidationError(_("Het bestand bevat geen ontvangers."))
    return people


class NotNeededForm(forms.Form):
    ground = forms.ChoiceField(label=_("Grond (art. 34(3))"), choices=NoticeGround.choices)
    reason = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Afsluitende notitie"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 2}))


class RegisterFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)
    decision = forms.ChoiceField(
        label=_("Besluit"), choices=[("", "—")] + Decision.choices, required=False
    )
    cause = forms.ChoiceField(
        label=_("Oorzaak"), choices=[("", "—")] + Cause.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—")] + BreachStatus.choices, required=False
    )
