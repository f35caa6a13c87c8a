"""The signed download link of an access package (django.core.signing, its own salt). The token
names the package and is valid as long as the package's own expiry; a changed character breaks
the signature."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "rights.access-package"


def package_token(package) -> str:
    return signing.dumps({"p": package.pk}, salt=SALT)


def read_package_token(token: str) -> int:
    """The package id; raises signing.BadSignature (SignatureExpired when too old)."""
    data = signing.loads(token, salt=SALT, max_age=settings.ACCESS_PACKAGE_DAYS * 24 * 3600)
    return int(data["p"])


def package_url(package) -> str:
    return settings.SITE_URL + reverse("rights_public:download", args=[package_token(package)])
