"""The desk in the admin: for the privacy officer (letter templates, the full picture of every
request with its history) and for auditors (read-only). Requests are taken in and worked at the
desk, through the services: here a request's rules-bearing fields are read-only, its timeline
and outbox are never edited by anyone."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin import RecordAdmin, RecordInline
from accounts.history import HistoryAdmin
from accounts.search import IndexedSearchAdmin
from requests_desk.jobs import requests_past_retention
from requests_desk.models import (
    DataSubjectRequest,
    LetterTemplate,
    OutboxMessage,
    Reminder,
    RequestEvent,
    RequestTask,
)


class RequestEventInline(RecordInline):
    model = RequestEvent
    fields = ["at", "kind", "by", "text"]
    readonly_fields = fields
    verbose_name_plural = _("tijdlijn")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("request", "by")


class RequestTaskInline(RecordInline):
    model = RequestTask
    fields = ["title", "activity", "system", "done_at", "done_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("request", "activity", "system", "done_by")
        )


class DataSubjectRequestForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        contact = ("requester_email", "requester_phone", "requester_address")
        if not any(data.get(field) for field in contact if field in self.fields):
            raise ValidationError(_("Vul ten minste een e-mailadres, telefoonnummer of adres in."))
        return data


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(IndexedSearchAdmin, HistoryAdmin):
    form = DataSubjectRequestForm
    list_display = [
        "reference",
        "kind",
        "status",
        "requester_name",
        "received_at",
        "target_on",
        "due_on",
        "extended_due_on",
        "assignee",
    ]
    list_filter = ["status", "kind", "channel", "identity_status", "assignee"]
    search_fields = ["reference", "requester_name", "requester_email"]
    date_hierarchy = "received_at"
    list_select_related = ["assignee"]
    inlines = [RequestTaskInline, RequestEventInline]
    # Everything with a rule attached changes through the desk's services only.
    readonly_fields = [
        "reference",
        "kind",
        "channel",
        "subject",
        "received_at",
        "due_on",
        "target_on",
        "status",
        "identity_status",
        "identity_method",
        "identity_verified_by",
        "identity_verified_at",
        "extended_due_on",
        "extension_reason",
        "extension_told_on",
        "outcome",
        "closed_at",
        "assignee",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "kind", "channel", "status", "subject", "description"]}),
        (
            _("Verzoeker"),
            {
                "fields": [
                    "requester_name",
                    "requester_email",
                    "requester_phone",
                    "requester_address",
                ]
            },
        ),
        (
            _("Termijnen"),
            {
                "fields": [
                    "received_at",
                    "target_on",
                    "due_on",
                    "extended_due_on",
                    "extension_reason",
                    "extension_told_on",
                ]
            },
        ),
        (
            _("Identiteit"),
            {
                "fields": [
                    "identity_status",
                    "identity_method",
                    "identity_verified_by",
                    "identity_verified_at",
                ]
            },
        ),
        (_("Afhandeling"), {"fields": ["assignee", "outcome", "closed_at"]}),
    ]

    def get_urls(self):
        view = self.admin_site.admin_view(self.retention_report)
        return [
            path("bewaartermijn/", view, name="requests_desk_retention_report"),
            *super().get_urls(),
        ]

    def retention_report(self, request):
        """What the nightly retention job would minimise now (a dry run): privacy officer only."""
        if not request.user.has_perm("requests_desk.change_datasubjectrequest"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Bewaartermijn: wat de nachtelijke opschoning nu zou minimaliseren"),
            "requests": requests_past_retention(today=timezone.localdate()),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/requests_desk/retention_report.html", context)

    def has_add_permission(self, request):
        return False  # requests are taken in at the desk (request_open)

    def save_model(self, request, obj, form, change):
        """Contact details go through the service: a new e-mail address is matched to its data
        subject again and the timeline says what was corrected."""
        from requests_desk.services import CONTACT_FIELDS, request_correct_contact

        contact = {f: form.cleaned_data[f] for f in CONTACT_FIELDS if f in form.changed_data}
        other = [f for f in form.changed_data if f not in CONTACT_FIELDS]
        if other:
            obj.save(update_fields=other)
        fresh = type(obj).objects.get(pk=obj.pk)
        request_correct_contact(request=fresh, by=request.user, **contact)

    def has_delete_permission(self, request, obj=None):
        return False  # a request is closed, withdrawn or minimised, never deleted by hand


@admin.register(RequestTask)
class RequestTaskAdmin(RecordAdmin, HistoryAdmin):
    """The checklists, read-only here (ticked off at the desk), with who ticked what and when."""

    list_display = ["title", "request", "activity", "system", "done_at", "done_by"]
    list_filter = [("done_at", admin.EmptyFieldListFilter), "activity"]
    search_fields = ["request__reference", "title"]
    list_select_related = ["request", "activity", "system", "done_by"]
    readonly_fields = [field.name for field in RequestTask._meta.fields]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(HistoryAdmin):
    list_display = ["kind", "subject", "updated_at"]
    readonly_fields = ["kind", "updated_at"]

    def has_add_permission(self, request):
        return False  # one template per kind, shipped by a migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(RecordAdmin):
    list_display = ["queued_at", "letter_kind", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "letter_kind"]
    search_fields = ["to", "subject", "request__reference"]
    list_select_related = ["request"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]


@admin.register(RequestEvent)
class RequestEventAdmin(RecordAdmin):
    list_display = ["at", "request", "kind", "by", "text"]
    list_filter = ["kind"]
    search_fields = ["request__reference", "text"]
    list_select_related = ["request", "by"]
    readonly_fields = [field.name for field in RequestEvent._meta.fields]


@admin.register(Reminder)
class ReminderAdmin(RecordAdmin):
    """Which reminders went out, to whom, about which deadline: written by the jobs only."""

    list_display = ["sent_at", "request", "kind", "deadline_on", "recipient"]
    list_filter = ["kind"]
    search_fields = ["request__reference"]
    list_select_related = ["request", "recipient"]
