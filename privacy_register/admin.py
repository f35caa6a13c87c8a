"""The register in the admin, for the privacy officer (auditors read it, nothing more): every
model with its history, filters, search and autocomplete; the Art. 30 export, the completeness
report and publishing the privacy statement."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.admin import RecordAdmin
from accounts.history import HistoryAdmin
from accounts.search import IndexedSearchAdmin
from privacy_register import exports, selectors, services
from privacy_register.forms import ProcessingActivityForm
from privacy_register.models import (
    Controller,
    DataSubjectCategory,
    PersonalDataCategory,
    ProcessingActivity,
    Processor,
    ProcessorAgreement,
    PublishedStatement,
    RecipientCategory,
    SecurityMeasure,
    System,
    ThirdCountryTransfer,
)
from privacy_register.statement_diff import statement_changes


@admin.register(Controller)
class ControllerAdmin(HistoryAdmin):
    list_display = ["name", "kvk_number", "email", "dpo_name"]


@admin.register(DataSubjectCategory, RecipientCategory, SecurityMeasure)
class VocabularyAdmin(IndexedSearchAdmin, HistoryAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(PersonalDataCategory)
class PersonalDataCategoryAdmin(IndexedSearchAdmin, HistoryAdmin):
    list_display = ["name", "is_special"]
    list_filter = ["is_special"]
    search_fields = ["name"]


class AgreementInline(admin.TabularInline):
    model = ProcessorAgreement
    extra = 0


@admin.register(Processor)
class ProcessorAdmin(IndexedSearchAdmin, HistoryAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    inlines = [AgreementInline]


@admin.register(ProcessorAgreement)
class ProcessorAgreementAdmin(IndexedSearchAdmin, HistoryAdmin):
    list_display = ["processor", "signed_on", "expires_on", "document_reference"]
    list_filter = ["processor__kind"]
    search_fields = ["processor__name", "document_reference"]
    # Newest first, by an index (the model's order by processor name needs a join and a sort).
    ordering = ["-signed_on", "-id"]
    autocomplete_fields = ["processor"]
    list_select_related = ["processor"]


@admin.register(System)
class SystemAdmin(IndexedSearchAdmin, HistoryAdmin):
    list_display = ["name", "slug", "processor"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["processor"]
    list_select_related = ["processor"]
    prepopulated_fields = {"slug": ["name"]}


class TransferInline(admin.TabularInline):
    model = ThirdCountryTransfer
    extra = 0


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(IndexedSearchAdmin, HistoryAdmin):
    form = ProcessingActivityForm
    list_display = [
        "name",
        "legal_basis",
        "status",
        "is_direct_marketing",
        "retention_text",
        "next_review_on",
        "owner",
    ]
    list_filter = ["status", "legal_basis", "is_direct_marketing", "dpia_needed"]
    search_fields = ["name", "slug", "purposes"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        "data_subject_categories",
        "personal_data_categories",
        "recipient_categories",
        "processors",
        "systems",
        "security_measures",
    ]
    inlines = [TransferInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "owner", "purposes", "public_text"]}),
        (
            _("Grondslag"),
            {
                "fields": [
                    "legal_basis",
                    "legitimate_interest",
                    "balancing_note",
                    "is_direct_marketing",
                ]
            },
        ),
        (
            _("Betrokkenen, gegevens en ontvangers"),
            {
                "fields": [
                    "data_subject_categories",
                    "personal_data_categories",
                    "recipient_categories",
                    "processors",
                    "systems",
                ]
            },
        ),
        (
            _("Bewaren en beveiligen"),
            {
                "fields": [
                    "retention_months",
                    "retention_event",
                    "retention_note",
                    "security_measures",
                ]
            },
        ),
        (
            _("Voor de privacyverklaring (art. 13 en 14 AVG)"),
            {
                "fields": [
                    "obtained_from_subject",
                    "data_source",
                    "provision_requirement",
                    "provision_consequence",
                    "automated_decisions",
                ]
            },
        ),
        (_("Review en DPIA"), {"fields": ["next_review_on", "dpia_needed", "dpia_done_on"]}),
        (_("Intern"), {"fields": ["internal_note"]}),
        (_("Verzoeken"), {"fields": ["is_searchable_by_subject", "request_kinds"]}),
    ]
    change_list_template = "admin/privacy_register/processingactivity/change_list.html"

    @admin.display(description=_("bewaartermijn"))
    def retention_text(self, activity):
        return activity.retention_text

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("art30.xlsx", view(self.export_xlsx), name="privacy_register_art30_xlsx"),
            path("art30.csv", view(self.export_csv), name="privacy_register_art30_csv"),
            path("volledigheid/", view(self.completeness), name="privacy_register_completeness"),
            path("publiceren/", view(self.publish), name="privacy_register_publish"),
            *super().get_urls(),
        ]

    def _require_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def export_xlsx(self, request):
        self._require_view(request)
        return exports.art30_response(fmt="xlsx")

    def export_csv(self, request):
        self._require_view(request)
        return exports.art30_response(fmt="csv")

    def completeness(self, request):
        self._require_view(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Volledigheid van het register"),
            "findings": selectors.completeness_findings(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy_register/completeness.html", context)

    def publish(self, request):
        """Publishing has a confirm step: GET shows the statement as it would be published and
        its difference with the published version; the POST publishes exactly that preview."""
        if not request.user.has_perm("privacy_register.add_publishedstatement"):
            raise PermissionDenied
        if request.method != "POST":
            proposed = services.statement_render()
            published = PublishedStatement.objects.order_by("-version").first()
            context = {
                **self.admin_site.each_context(request),
                "title": _("Privacyverklaring publiceren"),
                "opts": self.model._meta,
                "proposed": proposed,
                "published": published,
                "changes": statement_changes(published.content if published else "", proposed),
                "fingerprint": services.statement_fingerprint(proposed),
            }
            return TemplateResponse(request, "admin/privacy_register/publish.html", context)
        try:
            statement = services.statement_publish(
                by=request.user, previewed=request.POST.get("fingerprint", "")
            )
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("admin:privacy_register_publish")
        messages.success(
            request,
            _("Versie %(version)s van de privacyverklaring is gepubliceerd.")
            % {"version": statement.version},
        )
        return redirect("admin:privacy_register_publishedstatement_changelist")


@admin.register(PublishedStatement)
class PublishedStatementAdmin(RecordAdmin):
    list_display = ["version", "published_at", "published_by"]
    readonly_fields = ["version", "published_at", "published_by", "content"]
    list_select_related = ["published_by"]  # published from the register's page, never typed in
