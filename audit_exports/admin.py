"""The export screen and the export log in the admin. Auditors and the privacy officer (the
`export_history` permission) export; the log is read-only for everyone (RecordAdmin). A file is
downloaded only by the person who asked for it."""

from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.admin import RecordAdmin
from audit_exports.forms import ExportForm
from audit_exports.models import ExportJob
from audit_exports.services import EXPORT_PERMISSION, export_start
from config.storage import exports as export_storage


@admin.register(ExportJob)
class ExportJobAdmin(RecordAdmin):
    list_display = ["pk", "created_at", "created_by", "format", "status", "rows_done", "sha256"]
    list_filter = ["status", "format"]
    list_select_related = ["created_by"]
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("nieuw/", wrap(self.new_export), name="audit_exports_new"),
            path("<int:pk>/voortgang/", wrap(self.progress), name="audit_exports_progress"),
            path("<int:pk>/status/", wrap(self.status), name="audit_exports_status"),
            path("<int:pk>/download/", wrap(self.download), name="audit_exports_download"),
            *super().get_urls(),
        ]

    def _own_job(self, request, pk) -> ExportJob:
        if not request.user.has_perm(EXPORT_PERMISSION):
            raise PermissionDenied
        return get_object_or_404(ExportJob, pk=pk, created_by=request.user)

    def new_export(self, request):
        if not request.user.has_perm(EXPORT_PERMISSION):
            raise PermissionDenied
        form = ExportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                job = export_start(
                    by=request.user,
                    tables=data["tables"],
                    fmt=data["format"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if job.is_downloadable:
                    return self._file_response(job)
                return redirect("admin:audit_exports_progress", pk=job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nieuwe export"),
            "form": form,
            "inline_max": settings.AUDIT_EXPORT_INLINE_MAX_ROWS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/audit_exports/new_export.html", context)

    def progress(self, request, pk):
        job = self._own_job(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export #%(pk)s") % {"pk": job.pk},
            "job": job,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/audit_exports/progress.html", context)

    def status(self, request, pk):
        job = self._own_job(request, pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "download_url": (
                    reverse("admin:audit_exports_download", args=[job.pk])
                    if job.is_downloadable
                    else None
                ),
            }
        )

    def download(self, request, pk):
        job = self._own_job(request, pk)
        if not job.is_downloadable:
            raise Http404
        return self._file_response(job)

    def _file_response(self, job):
        # Streamed from the storage through this view (which checked who asks), never a link to
        # the store: the file may sit on another machine or in a private bucket.
        return FileResponse(
            export_storage().open(job.file, "rb"),
            as_attachment=True,
            filename=f"audit-export-{job.pk}{PurePosixPath(job.file).suffix}",
        )
