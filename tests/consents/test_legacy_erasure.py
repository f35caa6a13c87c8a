"""Someone erased before there was one normaliser kept the keyed hash of the spelling they used
then (trimmed and lower-cased only): they are recognised when they come back under the normal
spelling — re-registration, an import, the restore's replay."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from consents import anchor
from consents.models import DataSubject
from consents.personal_data import subjects_by_erasure_hash
from consents.services import email_hash, email_hashes, subject_get_or_create
from tests.consents.conftest import legacy_email_hash as legacy_hash

pytestmark = pytest.mark.django_db
NORMAL = "x@xn--bcher-kva.example"
LEGACY = ["x@bücher.example", "x@bu\u0308cher.example", "x+tag@bücher.example"]


@pytest.mark.parametrize("spelling", LEGACY)
def test_a_legacy_spelling_is_among_the_normal_addresses_hashes(spelling):
    normal = spelling.replace("bücher", "xn--bcher-kva").replace("bu\u0308cher", "xn--bcher-kva")
    assert email_hashes(normal)[0] == email_hash(normal)
    assert legacy_hash(spelling) in email_hashes(normal)
    assert email_hashes("a@school.example") == [email_hash("a@school.example")]


@pytest.mark.parametrize("spelling", LEGACY[:2])
def test_erased_under_a_legacy_spelling_comes_back_to_their_row_re_keyed(spelling):
    erased = DataSubject.objects.create(
        email=None, email_hash=legacy_hash(spelling), erased_at=timezone.now()
    )
    back = subject_get_or_create(email="X@xn--bcher-kva.example")
    assert back.pk == erased.pk and back.email == NORMAL and back.erased_at is None
    assert DataSubject.objects.get(pk=erased.pk).email_hash == email_hash(NORMAL)
    assert DataSubject.objects.count() == 1


def test_the_replay_erases_a_row_whose_record_has_a_legacy_hash(capsys):
    subject = DataSubject.objects.create(email=NORMAL, email_hash=email_hash(NORMAL))
    anchor.erasure_write(email_hash=legacy_hash(LEGACY[1]), erased_at="2026-11-20T10:00:00Z")
    assert subjects_by_erasure_hash([legacy_hash(LEGACY[1])]) == {
        legacy_hash(LEGACY[1]): subject.pk
    }
    call_command("replay_erasures")
    subject.refresh_from_db()
    assert subject.email is None and subject.erased_at is not None
    assert "Erasures replayed: 1." in capsys.readouterr().out
