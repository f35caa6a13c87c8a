"""The public privacy statement is generated from the register and changes only when the privacy
officer publishes a new version; older versions stay readable."""

import pytest

from privacy_register.models import ProcessingActivity, PublishedStatement

pytestmark = pytest.mark.django_db


def publish(client):
    return client.post("/admin/privacy_register/processingactivity/publiceren/")


def test_nothing_published_yet_is_a_404(client):
    assert client.get("/privacy/verklaring/").status_code == 404


def test_the_published_statement_shows_what_the_register_held(client_as, register, client):
    publish(client_as("privacy_officer"))
    body = client.get("/privacy/verklaring/").content.decode()
    assert "Rezulto B.V." in body and "84541423" in body
    assert "Nieuwsbrieven" in body and "Toestemming" in body
    assert "vier weken" in body and "twintig werkdagen" in body
    assert "Autoriteit Persoonsgegevens" in body
    assert "Laatst gewijzigd op" in body


def test_the_statement_changes_only_when_a_new_version_is_published(client_as, register, client):
    officer = client_as("privacy_officer")
    publish(officer)
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(
        name="Nieuwsbrieven voor leraren"
    )
    assert "Nieuwsbrieven voor leraren" not in client.get("/privacy/verklaring/").content.decode()
    publish(officer)
    assert "Nieuwsbrieven voor leraren" in client.get("/privacy/verklaring/").content.decode()
    old = client.get("/privacy/verklaring/1/").content.decode()
    assert "Nieuwsbrieven voor leraren" not in old and "oudere versie" in old
    assert PublishedStatement.objects.count() == 2


def test_only_the_privacy_officer_publishes(client_as, register):
    assert publish(client_as("auditor")).status_code == 403
    assert not PublishedStatement.objects.exists()
