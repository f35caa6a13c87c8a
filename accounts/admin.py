"""Admin bases for records that only the services write (ledger events, timelines, outboxes,
published statements, reminders): every role with a view permission may read them; nobody adds,
changes or deletes them in the admin, not even the privacy officer."""

from django.contrib import admin

from accounts.search import IndexedSearchAdmin


class RecordAdmin(IndexedSearchAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
