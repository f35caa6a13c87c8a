"""Keys of the API clients: made (shown once), revoked. A rotation is a new key, then the old one
revoked once the system uses the new one."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import KEY_PREFIX_LENGTH, ApiClient, ApiKey, key_digest


@transaction.atomic
def apikey_create(*, client: ApiClient, by=None) -> tuple[ApiKey, str]:
    """A new key for the client: (the stored row, the full key to show once). Only the prefix and
    the SHA-256 of the secret are stored; the key cannot be shown again."""
    if not client.is_active:
        raise ValidationError(_("Deze client is niet actief."), code="inactive")
    for _attempt in range(5):
        prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(client=client, prefix=prefix, digest=key_digest(secret))
            break
        except IntegrityError:  # the same random prefix already exists (one in 4 billion)
            continue
    else:
        raise RuntimeError("no free key prefix")
    return key, f"{prefix}.{secret}"


@transaction.atomic
def apikeys_revoke(*, keys, by=None) -> int:
    """Revoke these keys at once: the next call with one of them is refused (401)."""
    now = timezone.now()
    revoked = 0
    for key in ApiKey.objects.select_for_update().filter(
        pk__in=[k.pk for k in keys], revoked_at__isnull=True
    ):
        key.revoked_at = now
        key._change_reason = _("Ingetrokken")
        key.save(update_fields=["revoked_at"])
        revoked += 1
    return revoked
