"""Signed unsubscribe tokens — one per subject × purpose, valid for a configured time, tamper-proof
(django.core.signing with its own salt)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "consents.unsubscribe"


def unsubscribe_token(*, subject, purpose) -> str:
    return signing.dumps({"s": subject.pk, "p": purpose.pk}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int]:
    """(subject id, purpose id); raises signing.BadSignature (or SignatureExpired) otherwise."""
    data = signing.loads(token, salt=SALT, max_age=settings.UNSUBSCRIBE_LINK_MAX_AGE)
    return int(data["s"]), int(data["p"])


def unsubscribe_url(*, subject, purpose) -> str:
    path = reverse(
        "consents_public:unsubscribe", args=[unsubscribe_token(subject=subject, purpose=purpose)]
    )
    return settings.SITE_URL + path


def unsubscribe_headers(*, subject, purpose) -> dict[str, str]:
    """The headers every marketing mail carries (RFC 8058 one-click; the mail server signs them
    with DKIM)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subject=subject, purpose=purpose)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
