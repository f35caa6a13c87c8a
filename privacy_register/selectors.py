"""The completeness report: what is missing or stale in the register, each with where to fix it."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.start_page import SHOWN, Item, Section, section
from privacy_register.models import LegalBasis, ProcessingActivity, Processor

EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class Finding:
    subject: str
    problem: str
    fix_url: str
    severity: str = "error"  # "error" or "warning"
    code: str = ""  # stable, for code that acts on a kind of finding (FindingCode)


class FindingCode:
    """What a finding is about, by name: jobs and tests select on these, never on the text."""

    MISSING_FIELD = "missing_field"
    REVIEW_OVERDUE = "review_overdue"
    CONSENT_WITHOUT_PURPOSE = "consent_without_purpose"
    NO_AGREEMENT = "no_agreement"
    AGREEMENT_EXPIRED = "agreement_expired"
    AGREEMENT_EXPIRING = "agreement_expiring"


def _activity_url(activity) -> str:
    return reverse("admin:privacy_register_processingactivity_change", args=[activity.pk])


def completeness_findings(*, today: dt.date | None = None) -> list[Finding]:
    today = today or timezone.localdate()
    findings = []
    activities = ProcessingActivity.objects.exclude(status="retired").annotate(
        subjects=Count("data_subject_categories", distinct=True),
        data=Count("personal_data_categories", distinct=True),
        recipients=Count("recipient_categories", distinct=True),
        measures=Count("security_measures", distinct=True),
        purposes_in_ledger=Count("consent_purposes", distinct=True),
    )
    for activity in activities:
        missing = [
            label
            for label, empty in [
                (_("doeleinden"), not activity.purposes.strip()),
                (_("categorieën betrokkenen"), not activity.subjects),
                (_("categorieën persoonsgegevens"), not activity.data),
                (_("categorieën ontvangers"), not activity.recipients),
                (_("bewaartermijn"), not activity.retention_text),
                (_("beveiligingsmaatregelen"), not activity.measures),
                (_("eigenaar"), not activity.owner),
                (_("verplichting tot verstrekken"), not activity.provision_requirement),
                (
                    _("bron van de gegevens"),
                    not activity.obtained_from_subject and not activity.data_source.strip(),
                ),
            ]
            if empty
        ]
        if missing:
            findings.append(
                Finding(
                    activity.name,
                    _("Verplicht veld leeg: %s") % ", ".join(missing),
                    _activity_url(activity),
                    code=FindingCode.MISSING_FIELD,
                )
            )
        if activity.next_review_on and activity.next_review_on < today:
            findings.append(
                Finding(
                    activity.name,
                    _("Review verlopen sinds %s") % activity.next_review_on,
                    _activity_url(activity),
                    "warning",
                    code=FindingCode.REVIEW_OVERDUE,
                )
            )
        if activity.legal_basis == LegalBasis.CONSENT and not activity.purposes_in_ledger:
            findings.append(
                Finding(
                    activity.name,
                    _("Grondslag toestemming, maar geen doel in het toestemmingsgrootboek"),
                    reverse("admin:consents_consentpurpose_add"),
                    code=FindingCode.CONSENT_WITHOUT_PURPOSE,
                )
            )
    processors = (
        Processor.objects.filter(activities__status="active")
        .distinct()
        .annotate(
            last_expiry=Max("agreements__expires_on"),
            agreements_count=Count("agreements", distinct=True),
            open_ended=Count("agreements", filter=Q(agreements__expires_on__isnull=True)),
        )
    )
    for processor in processors:
        url = reverse("admin:privacy_register_processor_change", args=[processor.pk])
        if not processor.agreements_count:
            findings.append(
                Finding(
                    processor.name,
                    _("Geen verwerkersovereenkomst"),
                    url,
                    code=FindingCode.NO_AGREEMENT,
                )
            )
        elif not processor.open_ended and processor.last_expiry < today:
            findings.append(
                Finding(
                    processor.name,
                    _("Verwerkersovereenkomst verlopen op %s") % processor.last_expiry,
                    url,
                    code=FindingCode.AGREEMENT_EXPIRED,
                )
            )
        elif not processor.open_ended and processor.last_expiry <= today + dt.timedelta(
            days=EXPIRY_WARNING_DAYS
        ):
            findings.append(
                Finding(
                    processor.name,
                    _("Verwerkersovereenkomst verloopt op %s") % processor.last_expiry,
                    url,
                    "warning",
                    code=FindingCode.AGREEMENT_EXPIRING,
                )
            )
    # Apps above the register add their findings (a system without a connector, say): each
    # declares `register_findings`, the dotted path of a function (today) → [Finding].
    for config in apps.get_app_configs():
        declared = getattr(config, "register_findings", None)
        if declared:
            findings += import_string(declared)(today=today)
    return findings


# --- The privacy officer's start page (accounts.start_page) ----------------------------------
# A review or a DPIA this many days ahead is "due".
ASSESSMENT_DAYS = 30


def start_page_sections(*, user, now: dt.datetime) -> list[Section]:
    """The completeness report's findings, and the reviews and DPIAs that are due."""
    if not user.has_perm("privacy_register.view_processingactivity"):
        return []
    today = timezone.localdate(now)
    findings = completeness_findings(today=today)
    sections = [
        Section(
            key="completeness",
            title=_("Volledigheid van het register"),
            total=len(findings),
            items=[
                Item(
                    label=finding.subject,
                    detail=finding.problem,
                    url=finding.fix_url,
                    level="bad" if finding.severity == "error" else "warn",
                )
                for finding in findings[:SHOWN]
            ],
            all_url=reverse("admin:privacy_register_completeness"),
            all_label=_("Het hele rapport"),
        )
    ]
    due = (
        ProcessingActivity.objects.exclude(status="retired")
        .filter(
            Q(next_review_on__lte=today + dt.timedelta(days=ASSESSMENT_DAYS))
            | Q(dpia_needed=True, dpia_done_on__isnull=True)
        )
        .order_by(F("next_review_on").asc(nulls_first=True), "name")
    )
    soon = today + dt.timedelta(days=ASSESSMENT_DAYS)

    def assessment_item(activity) -> Item:
        parts = []
        dpia_missing = activity.dpia_needed and not activity.dpia_done_on
        if dpia_missing:
            parts.append(_("DPIA nodig, nog niet uitgevoerd"))
        late = activity.next_review_on is not None and activity.next_review_on < today
        if activity.next_review_on and activity.next_review_on <= soon:
            text = _("review verlopen sinds %(date)s") if late else _("review uiterlijk %(date)s")
            parts.append(text % {"date": date_format(activity.next_review_on)})
        return Item(
            label=activity.name,
            detail="; ".join(parts),
            url=_activity_url(activity),
            level="bad" if late or dpia_missing else "warn",
        )

    sections.append(
        section(
            key="assessments",
            title=_("Reviews en DPIA's die aan de beurt zijn"),
            rows=due,
            item=assessment_item,
            all_url=reverse("admin:privacy_register_processingactivity_changelist"),
            all_label=_("Alle verwerkingen"),
        )
    )
    return sections
