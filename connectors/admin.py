"""The connectors in the admin: the privacy officer configures them (the mapping edited here or
imported as a file, validated on save), the auditor reads. The secret itself is never shown, only
whether its environment variable is set. "Proefrun" looks an address up and shows per table what
an erasure would do, changing nothing."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import RecordAdmin
from accounts.history import HistoryAdmin
from connectors.mapping import errors_of
from connectors.models import Connector, ConnectorRun, Kind
from connectors.services import connector_dry_run, connector_save


class ConnectorForm(forms.ModelForm):
    base_url = forms.URLField(
        label=_("adres van het koppelvlak (HTTP)"), required=False, assume_scheme="https"
    )
    mapping_file = forms.FileField(
        label=_("mapping importeren (YAML-bestand)"),
        required=False,
        help_text=_("Vervangt de mapping hierboven."),
    )

    class Meta:
        model = Connector
        fields = [
            "system",
            "kind",
            "enabled",
            "secret_env",
            "base_url",
            "timeout_seconds",
            "mapping",
        ]
        widgets = {
            "mapping": forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "vLargeTextField"})
        }

    def clean(self):
        data = super().clean()
        upload = data.get("mapping_file")
        if upload:
            try:
                data["mapping"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("mapping_file", _("Het bestand is geen UTF-8-tekst."))
        kind = data.get("kind")
        if kind == Kind.SQL:
            for error in errors_of(data.get("mapping", "")):
                self.add_error("mapping", error)
        if kind in (Kind.SQL, Kind.HTTP) and not data.get("secret_env"):
            self.add_error("secret_env", _("Een SQL- of HTTP-koppeling heeft een geheim nodig."))
        if kind == Kind.HTTP and not data.get("base_url"):
            self.add_error("base_url", _("Een HTTP-koppeling heeft een adres nodig."))
        return data


class DryRunForm(forms.Form):
    email = forms.EmailField(label=_("e-mailadres"))


@admin.register(Connector)
class ConnectorAdmin(HistoryAdmin):
    form = ConnectorForm
    list_display = ["system", "kind", "enabled", "secret_state", "mapping_version", "dry_run_state"]
    list_filter = ["kind", "enabled"]
    list_select_related = ["system"]
    # One connector per system: the systems' own order, served by the unique index (ordering by
    # the system's name would join and sort the whole table).
    ordering = ["system_id"]
    readonly_fields = ["secret_state", "mapping_version", "dry_run_state", "dry_run_link"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            # The upload is a way to change the mapping, with nothing to show to who only looks
            # (the auditor would read a bare "None" under an untranslated label).
            fields = [name for name in fields if name != "mapping_file"]
        return fields

    @admin.display(description=_("geheim"))
    def secret_state(self, obj):
        if not obj.secret_env:
            return "—"
        return _("gezet") if obj.secret_is_set() else _("niet gezet")

    @admin.display(description=_("laatste proefrun"))
    def dry_run_state(self, obj):
        if obj.last_dry_run_ok is None:
            return "—"
        return _("geslaagd") if obj.last_dry_run_ok else _("mislukt")

    @admin.display(description=_("proefrun"))
    def dry_run_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:connectors_connector_dry_run", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Verbinding testen / proefrun"))

    def save_model(self, request, obj, form, change):
        try:
            connector_save(connector=obj, by=request.user)
        except ValidationError as error:  # the form checked already; a race is still refused
            messages.error(request, "; ".join(error.messages))

    def get_urls(self):
        return [
            path(
                "<int:pk>/dry-run/",
                self.admin_site.admin_view(self.dry_run_view),
                name="connectors_connector_dry_run",
            )
        ] + super().get_urls()

    def dry_run_view(self, request, pk):
        """Only who may change a connector runs one: a dry run reads the person's data there."""
        connector = get_object_or_404(Connector.objects.select_related("system"), pk=pk)
        if not self.has_change_permission(request, connector):
            raise PermissionDenied
        form = DryRunForm(request.POST or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = connector_dry_run(
                connector=connector, email=form.cleaned_data["email"], by=request.user
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Proefrun: %s") % connector.system,
            "connector": connector,
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "connectors/dry_run.html", context)


@admin.register(ConnectorRun)
class ConnectorRunAdmin(RecordAdmin):
    list_display = ["request", "connector", "operation", "status", "records", "finished_at"]
    list_filter = ["operation", "status"]
    list_select_related = ["request", "connector__system"]
    readonly_fields = [f.name for f in ConnectorRun._meta.fields if f.name != "data"]
    exclude = ["data"]
