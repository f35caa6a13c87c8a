"""The breach register in the admin: read-only for the officer and the auditor, with the history of
every row. Breaches are reported, assessed and notified at /desk/datalekken/ (the services)."""

from django.contrib import admin

from accounts.admin import RecordAdmin
from accounts.history import HistoryAdmin
from breaches.models import (
    ApFiling,
    Assessment,
    Breach,
    BreachEvent,
    BreachReminder,
    NoticeLookup,
    PeopleNotice,
)


class ReadOnly(RecordAdmin, HistoryAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Breach)
class BreachAdmin(ReadOnly):
    list_display = ["reference", "title", "aware_at", "cause", "status", "reported_by"]
    list_filter = ["status", "cause", "how_found"]
    search_fields = ["reference", "title"]
    list_select_related = ["reported_by"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ["breach", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["breach", "decided_by"]


@admin.register(ApFiling)
class ApFilingAdmin(ReadOnly):
    list_display = ["breach", "kind", "filed_at", "ap_reference", "filed_by"]
    list_filter = ["kind"]
    list_select_related = ["breach", "filed_by"]


@admin.register(PeopleNotice)
class PeopleNoticeAdmin(ReadOnly):
    list_display = ["breach", "recipients", "not_needed", "queued_at"]
    list_select_related = ["breach"]


@admin.register(NoticeLookup)
class NoticeLookupAdmin(ReadOnly):
    list_display = ["breach", "status", "recipients", "started_at", "finished_at", "by"]
    list_filter = ["status"]
    list_select_related = ["breach", "by"]


@admin.register(BreachReminder)
class BreachReminderAdmin(ReadOnly):
    list_display = ["breach", "hours", "sent_at", "mailed"]
    list_select_related = ["breach"]


@admin.register(BreachEvent)
class BreachEventAdmin(ReadOnly):
    list_display = ["breach", "at", "kind", "by", "text"]
    list_filter = ["kind"]
    list_select_related = ["breach", "by"]
