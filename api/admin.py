"""The API in the admin: the privacy officer manages the clients and their keys (a key is shown
once, on the page that makes it), the webhook subscriptions, and replays deliveries; auditors see
everything read-only. Keys, calls and deliveries are written by the services only."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import RecordAdmin, RecordInline
from accounts.history import HistoryAdmin
from api.jobs import delivery_replay
from api.models import (
    ApiCall,
    ApiClient,
    ApiKey,
    Scope,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from api.services import apikey_create, apikeys_revoke


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("rechten"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ApiClient
        fields = ["name", "system", "scopes", "is_active"]


class ApiKeyInline(RecordInline):
    model = ApiKey
    fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields


@admin.register(ApiClient)
class ApiClientAdmin(HistoryAdmin):
    form = ApiClientForm
    list_display = ["name", "system", "scope_list", "is_active"]
    list_filter = ["is_active"]
    inlines = [ApiKeyInline]
    actions = ["make_key"]

    @admin.display(description=_("rechten"))
    def scope_list(self, client):
        return ", ".join(client.scopes)

    @admin.action(description=_("Nieuwe sleutel maken (eenmalig getoond)"), permissions=["change"])
    def make_key(self, request, queryset):
        made = []
        for client in queryset.filter(is_active=True):
            key, full = apikey_create(client=client, by=request.user)
            made.append((client, full))
        if not made:
            self.message_user(request, _("Geen actieve client gekozen."), messages.WARNING)
            return None
        # The keys are in this response only: not in a message (the session) and not in a log.
        response = TemplateResponse(
            request,
            "api/admin/keys_made.html",
            {**self.admin_site.each_context(request), "made": made, "opts": self.model._meta},
        )
        response["Cache-Control"] = "no-store"
        return response


@admin.register(ApiKey)
class ApiKeyAdmin(RecordAdmin):
    list_display = ["prefix", "client", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["client"]
    actions = ["revoke"]

    def has_revoke_permission(self, request):
        return request.user.has_perm("api.change_apikey")

    @admin.action(description=_("Sleutels intrekken"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = apikeys_revoke(keys=list(queryset), by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d sleutel ingetrokken.", "%(n)d sleutels ingetrokken.", count)
            % {"n": count},
        )


@admin.register(ApiCall)
class ApiCallAdmin(RecordAdmin):
    list_display = ["at", "client", "method", "route", "status", "duration_ms"]
    list_filter = ["client", "status"]
    list_select_related = ["client"]


class SubscriptionForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("gebeurtenissen"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["client", "url", "events", "is_active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(HistoryAdmin):
    form = SubscriptionForm
    list_display = ["client", "url", "is_active", "created_at"]
    list_select_related = ["client"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RecordAdmin):
    list_display = [
        "created_at",
        "event",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event"]
    list_select_related = ["subscription__client"]
    readonly_fields = [
        "subscription",
        "event",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_response",
        "created_at",
        "delivered_at",
    ]
    actions = ["replay"]

    def has_replay_permission(self, request):
        return request.user.has_perm("api.change_webhookdelivery")

    @admin.action(description=_("Opnieuw afleveren"), permissions=["replay"])
    def replay(self, request, queryset):
        count = delivery_replay(deliveries=list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(n)d aflevering opnieuw ingepland.",
                "%(n)d afleveringen opnieuw ingepland.",
                count,
            )
            % {"n": count},
        )
