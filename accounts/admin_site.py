"""The office's admin site: Django's admin with the office's names, and as its index the
privacy officer's start page (accounts.start_page)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.start_page import start_page_sections


class OfficeAdminSite(admin.AdminSite):
    site_header = _("Rezulto Privacy Office")
    site_title = _("Privacy Office")
    index_title = _("Start")

    def index(self, request, extra_context=None):
        sections = start_page_sections(user=request.user, now=timezone.now())
        return super().index(request, {**(extra_context or {}), "start_page": sections})
