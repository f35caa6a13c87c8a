"""The sign-in history: every sign-in, failed attempt, lockout, second factor added or removed,
role change and unlock, with who, when, from where and how. Written only by
`accounts.services.signin_record`; auditors export it like every history table."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("ingelogd")
    FAILED = "failed", _("inloggen mislukt")
    LOCKED_OUT = "locked_out", _("geweigerd: geblokkeerd")
    UNLOCKED = "unlocked", _("ontgrendeld")
    FACTOR_ADDED = "factor_added", _("tweede factor toegevoegd")
    FACTOR_REMOVED = "factor_removed", _("tweede factor verwijderd")
    ROLE_CHANGED = "role_changed", _("rol gewijzigd")


class SignInEvent(models.Model):
    at = models.DateTimeField(_("wanneer"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("wat"), max_length=20, choices=SignInEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sign_in_events",
    )
    # As typed at the login form: a failure for a name that has no account is recorded too.
    username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    method = models.CharField(_("hoe"), max_length=100, blank=True)
    detail = models.CharField(_("toelichting"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("aanmeldgebeurtenis")
        verbose_name_plural = _("aanmeldgeschiedenis")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["at", "id"], name="signin_list"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
