"""The consent ledger in the admin. The privacy officer edits subjects' details and the purposes
(new wording is a new version); nobody adds, changes or deletes ledger events here — they are
written by the services only. Auditors see everything, read-only."""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from accounts.admin import RecordAdmin, RecordInline
from accounts.history import HistoryAdmin
from accounts.search import IndexedSearchAdmin
from consents.exports import OptInImportResource, SpreadsheetCSV, optin_template_xlsx
from consents.forms import OptInImportForm
from consents.models import (
    ConsentEvent,
    ConsentPurpose,
    ConsentPurposeVersion,
    ConsentState,
    DataSubject,
    LedgerCheckpoint,
)
from consents.phones import normalise_phone
from consents.receipts import consent_receipt
from consents.selectors import ledger_queue

QUEUE_AGE_GOAL_SECONDS = 2  # issue 19: a recorded event is integrated within two seconds


class ConsentStateInline(RecordInline):
    model = ConsentState
    fields = ["purpose", "status", "since"]
    readonly_fields = fields
    verbose_name_plural = _("huidige toestemmingen")


class LedgerInline(RecordInline):
    model = ConsentEvent
    fk_name = "subject"
    fields = [
        "sequence",
        "occurred_at",
        "purpose",
        "action",
        "method",
        "recorded_by",
        "reference",
        "receipt",
    ]
    readonly_fields = fields
    ordering = ["sequence"]
    verbose_name_plural = _("tijdlijn in het grootboek")

    @admin.display(description=_("ontvangstbewijs"))
    def receipt(self, event):
        url = reverse("admin:consents_consentevent_receipt", args=[event.pk])
        return format_html('<a href="{}">JSON</a>', url)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("purpose", "recorded_by")


@admin.register(DataSubject)
class DataSubjectAdmin(IndexedSearchAdmin, HistoryAdmin):
    list_display = ["email", "name", "organisation", "is_restricted", "erased_at"]
    list_filter = ["is_restricted", ("erased_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "name", "organisation"]
    # Restriction is set and lifted on the desk, with a recorded reason (Art. 18): shown here.
    readonly_fields = ["email_hash", "is_restricted", "erased_at", "created_at"]
    inlines = [ConsentStateInline, LedgerInline]

    def save_model(self, request, obj, form, change):
        # The number as search and "may we contact?" find it: one spelling (consents.phones).
        obj.phone_e164 = normalise_phone(obj.phone)
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # erasure is a request on the desk, with its rules (Art. 17)


class VersionInline(admin.TabularInline):
    model = ConsentPurposeVersion
    extra = 0
    can_delete = False
    fields = ["number", "wording", "valid_from"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields  # existing versions never change; add a new one instead

    def has_change_permission(self, request, obj=None):
        return False


class NewVersionInline(admin.StackedInline):
    model = ConsentPurposeVersion
    extra = 1
    max_num = 1
    can_delete = False
    fields = ["wording"]
    verbose_name = _("nieuwe tekstversie")
    verbose_name_plural = _("nieuwe tekstversie")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(IndexedSearchAdmin, HistoryAdmin):
    list_display = ["name", "slug", "activity", "channel", "legal_basis", "is_active"]
    list_filter = ["channel", "legal_basis", "is_active"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["activity"]
    list_select_related = ["activity"]
    inlines = [VersionInline, NewVersionInline]

    def save_formset(self, request, form, formset, change):
        """A new wording gets the next version number; the old versions stay as they were."""
        for version in formset.save(commit=False):
            if version.pk is None:
                last = form.instance.versions.order_by("-number").first()
                version.number = (last.number if last else 0) + 1
                version.save()
        formset.save_m2m()


@admin.register(ConsentEvent)
class ConsentEventAdmin(ImportMixin, RecordAdmin):
    """The ledger, read-only; the privacy officer imports an existing opt-in list (with a dry-run
    preview) — each row becomes an event through the services."""

    resource_classes = [OptInImportResource]
    import_formats = [SpreadsheetCSV, base_formats.XLSX]
    import_form_class = OptInImportForm
    import_template_name = "admin/consents/consentevent/import.html"
    list_display = [
        "sequence",
        "occurred_at",
        "subject",
        "purpose",
        "action",
        "method",
        "recorded_by",
        "reference",
    ]
    list_filter = ["action", "method", "purpose"]
    search_fields = ["=sequence", "reference", "subject__email"]
    list_select_related = ["subject", "purpose", "recorded_by"]
    readonly_fields = [f.name for f in ConsentEvent._meta.fields]
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        """Above the ledger: how many events wait for the sequencer and how long the oldest has
        waited (the goal: integrated within two seconds)."""
        queue = ledger_queue()
        age = queue.oldest_age(timezone.now())
        text = _(
            "Wachtrij van de sequencer: %(count)s gebeurtenis(sen) nog niet in de keten; de "
            "oudste wacht %(age).1f s."
        ) % {"count": queue.waiting, "age": age}
        level = messages.WARNING if age > QUEUE_AGE_GOAL_SECONDS else messages.INFO
        extra = {"ledger_queue": queue, "ledger_queue_age": age}
        response = super().changelist_view(request, {**(extra_context or {}), **extra})
        if getattr(response, "status_code", 200) == 200 and request.method == "GET":
            self.message_user(request, text, level)
        return response

    def get_urls(self):
        receipt = self.admin_site.admin_view(self.receipt_view)
        template = self.admin_site.admin_view(self.import_template_view)
        return [
            path("<int:pk>/ontvangstbewijs/", receipt, name="consents_consentevent_receipt"),
            path("import/sjabloon/", template, name="consents_consentevent_import_template"),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """The opt-in list's template file (XLSX), for whoever may import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            optin_template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="opt-in-sjabloon.xlsx"'
        return response

    def receipt_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = get_object_or_404(ConsentEvent.objects.select_related("purpose__activity"), pk=pk)
        body = json.dumps(consent_receipt(event), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="consent-receipt-{event.sequence}.json"'
        )
        return response


@admin.register(LedgerCheckpoint)
class LedgerCheckpointAdmin(RecordAdmin):
    """The signed checkpoints of the ledger's tree, read-only: written by the beat job only, and
    also kept outside the database (`manage.py verify_consent_ledger` compares the two)."""

    list_display = ["tree_size", "signed_at", "root_hash", "key_id"]
    readonly_fields = [f.name for f in LedgerCheckpoint._meta.fields]
    show_full_result_count = False
