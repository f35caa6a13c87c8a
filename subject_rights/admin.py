"""Access packages and their downloads: records only the services write. The admin shows the
figures (build time, size, hash, downloads), never the file itself."""

from django.contrib import admin

from accounts.admin import RecordAdmin, RecordInline
from subject_rights.models import AccessPackage, PackageDownload


class DownloadInline(RecordInline):
    model = PackageDownload
    fields = ["at"]
    readonly_fields = ["at"]


@admin.register(AccessPackage)
class AccessPackageAdmin(RecordAdmin):
    list_display = [
        "request",
        "built_at",
        "build_seconds",
        "size_bytes",
        "downloads",
        "max_downloads",
        "expires_at",
    ]
    list_select_related = ["request"]
    search_fields = ["request__reference"]
    fields = [
        "request",
        "built_at",
        "build_seconds",
        "size_bytes",
        "sha256",
        "expires_at",
        "max_downloads",
        "downloads",
    ]
    readonly_fields = fields
    inlines = [DownloadInline]
