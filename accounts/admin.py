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


# --- The sign-in history and the officer's unlock -------------------------------------------
# (here because the admin finds only `accounts.admin`; the bases above stay importable.)
from django.contrib import messages  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from accounts.models import SignInEvent  # noqa: E402


@admin.register(SignInEvent)
class SignInEventAdmin(RecordAdmin):
    list_display = ("at", "kind", "username", "method", "address", "detail", "by")
    list_filter = ("kind", "method")
    search_fields = ("username", "address")
    date_hierarchy = "at"
    list_select_related = ("by",)


# allauth's e-mail addresses play no part here (staff sign in by user name).
from allauth.account.models import EmailAddress  # noqa: E402

admin.site.unregister(EmailAddress)

# Single sign-on is configured by settings (OIDC_…), not in the admin; its accounts show in the
# sign-in history.
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken  # noqa: E402

for model in (SocialAccount, SocialApp, SocialToken):
    admin.site.unregister(model)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class OfficeUserAdmin(UserAdmin):
    actions = ["unlock"]

    @admin.action(description=_("Ontgrendelen (inlogblokkade opheffen)"), permissions=["change"])
    def unlock(self, request, queryset):
        from accounts.services import account_unlock

        for user in queryset:
            account_unlock(user=user, request=request, by=request.user)
        self.message_user(
            request,
            _("%(count)d gebruiker(s) ontgrendeld.") % {"count": len(queryset)},
            messages.SUCCESS,
        )
