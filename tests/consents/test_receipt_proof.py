"""A consent receipt carries the event's inclusion proof against a signed checkpoint, and the
standalone tools/verify_receipt.py checks it with the published public key alone — and refuses
it when one byte of the proof changes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from consents.models import ConsentEvent
from consents.receipts import consent_receipt
from consents.services import consent_give, consents_record
from tests.conftest import MATRIX_ROLES, assert_status
from tests.factories import DataSubjectFactory

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "verify_receipt.py"


@pytest.fixture
def public_key(client, tmp_path):
    response = client.get("/privacy/grootboek/publieke-sleutel/")
    path = tmp_path / "ledger.pem"
    path.write_bytes(response.content)
    return path


def check(receipt: dict, public_key: Path, tmp_path: Path, text: str | None = None):
    path = tmp_path / "receipt.json"
    path.write_text(text if text is not None else json.dumps(receipt), encoding="utf-8")
    return subprocess.run(
        [sys.executable, SCRIPT, path, public_key], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def ledger(purpose, register):
    """More than one stored 256-leaf subtree, so the proofs use stored nodes and leaves."""
    subjects = DataSubjectFactory.create_batch(300)
    for subject in subjects[:5]:
        consent_give(subject=subject, purpose=purpose, method="web_form")
    consents_record(
        pairs=[(s.pk, purpose.pk) for s in subjects], action="withdrawn", method="request"
    )
    return list(ConsentEvent.objects.order_by("sequence"))


@pytest.mark.parametrize("sequence", [1, 5, 200, 257, 305])
def test_a_receipt_verifies_offline_with_the_public_key(
    ledger, public_key, tmp_path, sequence, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = consent_receipt(ledger[sequence - 1])
    result = check(receipt, public_key, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"event #{sequence}" in result.stdout and "305 events" in result.stdout


def test_a_receipt_with_one_byte_changed_fails(ledger, public_key, tmp_path):
    receipt = consent_receipt(ledger[199])
    text = json.dumps(receipt["ledgerProof"], sort_keys=True)
    changed = 0
    for place in range(0, len(text), max(1, len(text) // 40)):
        if not text[place].isalnum():
            continue
        flipped = "1" if text[place] != "1" else "2"
        forged = text[:place] + flipped + text[place + 1 :]
        try:
            proof = json.loads(forged)
        except ValueError:
            continue
        result = check({**receipt, "ledgerProof": proof}, public_key, tmp_path)
        assert result.returncode == 1, f"changed at {place}: {forged[place - 20 : place + 20]}"
        assert "NOT verified" in result.stderr
        changed += 1
    assert changed > 20
    event = {**receipt["event"], "action": "given"}
    assert check({**receipt, "event": event}, public_key, tmp_path).returncode == 1


def test_a_receipt_fails_with_another_key(ledger, tmp_path, settings, client):
    receipt = consent_receipt(ledger[0])
    settings.CONSENT_CHECKPOINT_KEY = "b3RoZXItY2hlY2twb2ludC1rZXktMzItYnl0ZXMhISE="
    other = tmp_path / "other.pem"
    other.write_bytes(client.get("/privacy/grootboek/publieke-sleutel/").content)
    result = check(receipt, other, tmp_path)
    assert result.returncode == 1 and "another signing key" in result.stderr


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_the_public_key_is_public(client_as, role):
    response = assert_status(client_as(role), "/privacy/grootboek/publieke-sleutel/", 200)
    assert response.content.startswith(b"-----BEGIN PUBLIC KEY-----")
