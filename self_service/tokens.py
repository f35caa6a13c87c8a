"""Signed, expiring tokens for the links we e-mail to data subjects (django.core.signing).

Each kind of link has its own salt, so a token made for one purpose is worthless for another, and
its own lifetime from settings. A token says *what* it points to, signed with SECRET_KEY and a
timestamp; it holds no personal data in the clear (a random id, or a subject's primary key).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM_REQUEST_SALT = "self_service.confirm-request"
CONFIRMED_REQUEST_SALT = "self_service.confirmed-request"
PREFERENCES_SALT = "self_service.preferences"


class InvalidToken(Exception):
    """The link was altered, is not one of ours, or is too old."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


@dataclass(frozen=True)
class _Link:
    salt: str
    max_age_setting: str

    def make(self, value: str | int) -> str:
        return signing.dumps(value, salt=self.salt, compress=False)

    def read(self, token: str) -> str | int:
        try:
            return signing.loads(
                token, salt=self.salt, max_age=getattr(settings, self.max_age_setting)
            )
        except signing.SignatureExpired as error:
            raise InvalidToken(expired=True) from error
        except signing.BadSignature as error:
            raise InvalidToken(expired=False) from error


confirm_request_link = _Link(CONFIRM_REQUEST_SALT, "SELF_SERVICE_CONFIRMATION_MAX_AGE")
# The page after confirming (reference and deadline) is reachable for a short while only.
confirmed_request_link = _Link(CONFIRMED_REQUEST_SALT, "SELF_SERVICE_CONFIRMED_PAGE_MAX_AGE")
preferences_link = _Link(PREFERENCES_SALT, "SELF_SERVICE_PREFERENCE_LINK_MAX_AGE")
