import re

import pytest
from django.core import mail


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SELF_SERVICE_BASE_URL = ""


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def only_mail():
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    return mail.outbox[0]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


ACCESS_REQUEST = {
    "kind": "access",
    "name": "Fatima de Vries",
    "email": "fatima@voorbeeld.nl",
    "details": "",
    "website": "",
}
