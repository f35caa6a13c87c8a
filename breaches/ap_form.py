"""The fields of the Autoriteit Persoonsgegevens' notification form (meldformulier datalekken),
filled from the breach, its assessment and the register's controller. The AP has no API: the
officer copies these into the AP's portal (the JSON and text exports), or prints them (the PDF).

`form_fields` returns the rows in the form's order; a filing stores them as `content`, so that what
was filed stays exactly as it was filed however the assessment changes later."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from breaches import deadlines
from breaches.models import Breach, Encryption, FilingKind, Nature
from privacy_register.models import Controller

# (section, key, label): every question the AP's form asks, in its order.
SECTIONS = {
    "organisation": gettext_lazy("1. Gegevens van de organisatie"),
    "notification": gettext_lazy("2. De melding"),
    "breach": gettext_lazy("3. Over het datalek"),
    "data": gettext_lazy("4. Welke persoonsgegevens en welke personen"),
    "consequences": gettext_lazy("5. Gevolgen"),
    "measures": gettext_lazy("6. Maatregelen"),
    "people": gettext_lazy("7. Het informeren van de betrokkenen"),
    "security": gettext_lazy("8. Beveiliging van de gegevens"),
    "international": gettext_lazy("9. Internationale aspecten"),
}


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") if moment else ""


def _names(queryset) -> str:
    return "; ".join(str(row) for row in queryset) or _("niet bekend")


def form_fields(
    breach: Breach,
    *,
    kind: str = FilingKind.INITIAL,
    filed_at=None,
    late_reasons: str = "",
    ap_reference: str = "",
) -> list[dict]:
    """Every field of the AP's form as {section, key, label, value}, in the form's order."""
    assessment = breach.assessment
    controller = Controller.objects.first()
    categories = list(assessment.data_categories.all())
    special = [c for c in categories if c.is_special]
    notice = getattr(breach, "notice", None)
    if notice is None:
        people = _("Nog niet besloten")
    elif notice.not_needed:
        people = _("Nee: %(ground)s. %(reason)s") % {
            "ground": notice.get_not_needed_display(),
            "reason": notice.not_needed_reason,
        }
    else:
        people = _("Ja: %(n)s personen, bericht klaargezet op %(at)s") % {
            "n": notice.recipients,
            "at": _when(notice.queued_at),
        }
    late = filed_at is not None and deadlines.is_late(breach.aware_at, filed_at)
    rows = [
        ("organisation", "controller_name", _("Naam organisatie"), controller and controller.name),
        ("organisation", "controller_kvk", _("KvK-nummer"), controller and controller.kvk_number),
        ("organisation", "controller_address", _("Adres"), controller and controller.address),
        (
            "organisation",
            "contact_email",
            _("E-mailadres contact"),
            controller and controller.email,
        ),
        ("organisation", "contact_phone", _("Telefoon contact"), controller and controller.phone),
        (
            "organisation",
            "dpo_name",
            _("Functionaris gegevensbescherming"),
            controller and controller.dpo_name,
        ),
        ("organisation", "dpo_email", _("E-mailadres FG"), controller and controller.dpo_email),
        ("notification", "kind", _("Soort melding"), FilingKind(kind).label),
        ("notification", "our_reference", _("Ons kenmerk"), breach.reference),
        ("notification", "ap_reference", _("Meldnummer van de eerdere melding"), ap_reference),
        (
            "breach",
            "summary",
            _("Samenvatting van het datalek"),
            f"{breach.title}\n{breach.what_happened}",
        ),
        (
            "breach",
            "people_count",
            _("Aantal betrokken personen (minimaal – maximaal)"),
            f"{assessment.people_min} – {assessment.people_max}",
        ),
        ("breach", "records", _("Aantal gegevensrecords (ongeveer)"), str(assessment.records)),
        (
            "breach",
            "occurred_at",
            _("Wanneer vond het datalek plaats"),
            _when(breach.occurred_at) or _("niet bekend"),
        ),
        ("breach", "aware_at", _("Wanneer ontdekt"), _when(breach.aware_at)),
        ("breach", "how_found", _("Hoe ontdekt"), breach.get_how_found_display()),
        (
            "breach",
            "processor",
            _("Gemeld door verwerker (art. 33(2))"),
            str(breach.processor) if breach.processor else _("nee"),
        ),
        (
            "breach",
            "nature",
            _("Soort inbreuk"),
            "; ".join(str(Nature(n).label) for n in assessment.natures) or _("niet bekend"),
        ),
        ("breach", "cause", _("Oorzaak"), breach.get_cause_display()),
        ("breach", "deadline", _("Uiterste meldmoment (72 uur)"), _when(breach.notify_by)),
        ("breach", "filed_at", _("Tijdstip van deze melding"), _when(filed_at)),
        (
            "breach",
            "late_reasons",
            _("Reden voor melding na 72 uur"),
            late_reasons if late else _("niet van toepassing: binnen 72 uur"),
        ),
        ("data", "activities", _("Verwerkingen"), _names(assessment.activities.all())),
        ("data", "systems", _("Systemen"), _names(assessment.systems.all())),
        (
            "data",
            "data_categories",
            _("Soort persoonsgegevens"),
            "; ".join(str(c) for c in categories) or _("niet bekend"),
        ),
        (
            "data",
            "special_categories",
            _("Bijzondere persoonsgegevens (art. 9)"),
            "; ".join(str(c) for c in special) or _("nee"),
        ),
        (
            "data",
            "subject_categories",
            _("Categorieën betrokkenen"),
            _names(assessment.subject_categories.all()),
        ),
        (
            "consequences",
            "consequences",
            _("Mogelijke gevolgen voor de betrokkenen"),
            assessment.consequences,
        ),
        (
            "consequences",
            "decision",
            _("Beoordeling van het risico"),
            assessment.get_decision_display(),
        ),
        ("consequences", "reasoning", _("Onderbouwing"), assessment.reasoning),
        ("measures", "measures_taken", _("Genomen maatregelen"), assessment.measures_taken),
        ("measures", "measures_planned", _("Voorgenomen maatregelen"), assessment.measures_planned),
        ("people", "people_informed", _("Zijn of worden de betrokkenen geïnformeerd"), people),
        (
            "security",
            "encrypted",
            _("Waren de gegevens versleuteld of onleesbaar gemaakt"),
            Encryption(assessment.encrypted).label,
        ),
        (
            "international",
            "cross_border",
            _("Betrokkenen in andere EU-landen"),
            _("ja") if assessment.cross_border else _("nee"),
        ),
    ]
    return [
        {"section": str(SECTIONS[s]), "key": k, "label": str(label), "value": str(value or "")}
        for s, k, label, value in rows
    ]


def as_text(fields: list[dict]) -> str:
    """The fields as plain text, section by section, to copy into the AP's portal."""
    lines, section = [], None
    for field in fields:
        if field["section"] != section:
            section = field["section"]
            lines += ["", section]
        lines.append(f"{field['label']}: {field['value']}")
    return "\n".join(lines).strip() + "\n"
