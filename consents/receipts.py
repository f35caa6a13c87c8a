"""A consent receipt for one ledger event: the fields of the Kantara Consent Receipt v1.1 and
ISO/IEC TS 27560, as JSON. The principal is identified by a pseudonymous id, never by e-mail.

`ledgerProof` proves the event is in the ledger: its entry, its inclusion proof in the Merkle tree
and the signed checkpoint of that tree; `publicKey` is the checkpoints' Ed25519 public key (also
published at /privacy/grootboek/publieke-sleutel/). Anyone can check it offline with
`tools/verify_receipt.py`. The proof covers the ledger entry; the register's descriptions around
it (service, purpose, controller) are shown as the register reads today. An event the sequencer
has not integrated yet (a second or two after it was recorded) has no proof yet: `ledgerProof` is
null, and the verifier refuses it."""

from django.urls import reverse

from consents.ledger_keys import public_key_pem
from consents.models import Action, ConsentEvent, PurposeBasis
from consents.selectors import ledger_inclusion

KANTARA_VERSION = "KI-CR-v1.1.0"


def consent_receipt(event: ConsentEvent, *, policy_url: str = "") -> dict:
    from privacy_register.models import Controller, PublishedStatement

    controller = Controller.objects.first()
    statement = PublishedStatement.objects.filter(published_at__lte=event.occurred_at).first()
    if statement and not policy_url:
        policy_url = reverse("register_public:statement_version", args=[statement.version])
    purpose = event.purpose
    activity = purpose.activity
    return {
        "version": KANTARA_VERSION,
        "jurisdiction": "NL",
        "consentTimestamp": int(event.occurred_at.timestamp()),
        "collectionMethod": event.get_method_display(),
        "consentReceiptID": f"rezulto-{event.sequence}-{event.hash[:16]}"
        if event.is_integrated
        else f"rezulto-queued-{event.pk}",
        "publicKey": public_key_pem(),
        "language": "nl",
        "piiPrincipalId": f"subject-{event.subject_id}",
        "piiControllers": [
            {
                "piiController": controller.name if controller else "",
                "contact": controller.dpo_email or controller.email if controller else "",
                "address": controller.address if controller else "",
                "email": controller.email if controller else "",
                "phone": controller.phone if controller else "",
            }
        ],
        "policyUrl": policy_url,
        "services": [
            {
                "service": activity.name,
                "purposes": [
                    {
                        "purpose": purpose.name,
                        "purposeCategory": [activity.purposes],
                        "consentType": "EXPLICIT"
                        if purpose.legal_basis == PurposeBasis.CONSENT
                        else "IMPLICIT",
                        "piiCategory": [c.name for c in activity.personal_data_categories.all()],
                        "primaryPurpose": True,
                        "termination": activity.retention_text
                        or "Tot intrekking van de toestemming",
                        "thirdPartyDisclosure": activity.processors.exists(),
                        "thirdPartyName": ", ".join(p.name for p in activity.processors.all()),
                        "wording": event.purpose_version.wording if event.purpose_version else "",
                        "wordingVersion": event.purpose_version.number
                        if event.purpose_version
                        else None,
                    }
                ],
            }
        ],
        "sensitive": activity.personal_data_categories.filter(is_special=True).exists(),
        "spiCat": [c.name for c in activity.personal_data_categories.filter(is_special=True)],
        "event": {
            "action": event.action,
            "given": event.action == Action.GIVEN,
            "recordedAt": event.recorded_at.isoformat(),
            "reference": event.reference,
            "ledgerSequence": event.sequence,
            "ledgerHash": event.hash,
        },
        "ledgerProof": ledger_inclusion(event),
    }
