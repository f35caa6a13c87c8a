"""The download link: it asks for nothing more, a GET never counts, and it refuses a tampered or
expired token and a link used up; every download is logged without personal data."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.utils import timezone

from subject_rights.models import PackageDownload
from subject_rights.services import erasure_carry_out, package_build, packages_remove_expired
from subject_rights.tokens import package_token
from tests.subject_rights.conftest import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(register):
    return package_build(request=verified("access"))


def url(package, token=None):
    return f"/privacy/inzage/{token or package_token(package)}/"


def test_the_link_shows_a_button_and_a_get_counts_nothing(client, package):
    response = client.get(url(package))
    assert response.status_code == 200
    assert "Download het ZIP-bestand" in response.content.decode()
    package.refresh_from_db()
    assert package.downloads == 0


def test_a_post_downloads_the_zip_and_logs_it(client, package):
    response = client.post(url(package))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == package.sha256
    package.refresh_from_db()
    assert package.downloads == 1
    assert PackageDownload.objects.filter(package=package).count() == 1


def test_a_tampered_token_is_refused(client, package):
    token = package_token(package)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(url(package, tampered))
    assert response.status_code == 404
    assert "onvolledig of gewijzigd" in response.content.decode()
    assert not PackageDownload.objects.exists()


def test_an_expired_link_is_refused(client, package, settings):
    later = timezone.now() + dt.timedelta(days=settings.ACCESS_PACKAGE_DAYS, minutes=1)
    with time_machine.travel(later):
        response = client.post(url(package))
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()


def test_a_used_up_link_is_refused(client, package, settings):
    for _ in range(settings.ACCESS_PACKAGE_MAX_DOWNLOADS):
        assert client.post(url(package)).status_code == 200
    response = client.post(url(package))
    assert response.status_code == 410
    assert "maximale aantal keren" in response.content.decode()
    assert client.get(url(package)).status_code == 410


def test_an_erased_package_is_gone(client, register, privacy_officer):
    request = verified("erasure")
    access = verified("access")
    package = package_build(request=access)
    erasure_carry_out(request=request, by=privacy_officer)
    response = client.post(url(package))
    assert response.status_code == 410
    assert "niet meer beschikbaar" in response.content.decode()


def test_expired_and_used_up_packages_lose_their_file(register, settings):
    fresh = package_build(request=verified("access"))
    used = package_build(request=verified("access"))
    used.downloads = used.max_downloads
    used.save()
    later = timezone.now() + dt.timedelta(days=settings.ACCESS_PACKAGE_DAYS + 1)
    assert packages_remove_expired() == 1
    used.refresh_from_db()
    assert not used.file
    assert packages_remove_expired(now=later) == 1
    fresh.refresh_from_db()
    assert not fresh.file and fresh.size_bytes > 0  # the record stays
