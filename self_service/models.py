from django.db import models
from django.utils.translation import gettext_lazy as _

from self_service.rights import KIND_CHOICES


class PendingSubmissionQuerySet(models.QuerySet):
    def expired(self, *, now):
        return self.filter(expires_at__lte=now)


class PendingSubmission(models.Model):
    """A request filed through the public form whose e-mail address is not yet confirmed.

    It is not a request: nothing is opened, no clock runs, until the person follows the signed
    link in the confirmation mail. Then it becomes a request and this row is deleted; an
    unconfirmed row is removed once its link has expired. Deliberately without history: the row
    holds personal data for a day at most and must leave no copy behind.
    """

    public_id = models.UUIDField(_("kenmerk"), unique=True, editable=False)
    kind = models.CharField(_("soort verzoek"), max_length=40, choices=KIND_CHOICES)
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), max_length=254)
    details = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("ingediend op"))
    expires_at = models.DateTimeField(_("verloopt op"), db_index=True)

    objects = PendingSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("onbevestigd verzoek")
        verbose_name_plural = _("onbevestigde verzoeken")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def is_expired(self, *, now) -> bool:
        return self.expires_at <= now
